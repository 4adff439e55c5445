"""The definitions the project publishes (profiles/), under the configured canonical base.

The files are written with the default base; a deployment that sets
FHIR_ADAPTER_CANONICAL_BASE gets every url, system and profile in them moved to its own.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import systems

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
DEFAULT_BASE = "https://fhir-adapter.github.io/fhir"


def read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if systems.CANONICAL_BASE != DEFAULT_BASE:
        text = text.replace(DEFAULT_BASE, systems.CANONICAL_BASE)
    return json.loads(text)


def resources(pattern: str = "*.json", folder: Path = PROFILES) -> list[dict]:
    return [read(p) for p in sorted(folder.glob(pattern))]
