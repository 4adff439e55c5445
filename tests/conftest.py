from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "fhir_adapter" / "examples" / "cellex.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def examplin_text() -> str:
    return (FIXTURES / "examplin.txt").read_text(encoding="utf-8")


def bundle_dict(text: str) -> dict:
    from fhir_adapter import convert

    return json.loads(convert(text).model_dump_json(exclude_none=True))


def of_type(bundle: dict, rtype: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]
