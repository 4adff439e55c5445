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



def pytest_terminal_summary(terminalreporter):
    """The corpus figures per family and component, for the sets the corpus tests scored."""
    import io
    import sys

    corpus = sys.modules.get("tests.test_corpus_scores")
    if corpus is None:
        return
    from .scoring import print_table

    for name, scored in corpus.RUNS.items():
        out = io.StringIO()
        print_table(scored, out=out)
        terminalreporter.write_sep("-", f"reader scores: {name}")
        for line in out.getvalue().splitlines():
            if not line.startswith("  "):  # families and components, not every file
                terminalreporter.write_line(line)
