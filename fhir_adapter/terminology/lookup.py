"""Lookups from reading-stage keys to codings (plain dicts in FHIR JSON shape)."""
from __future__ import annotations

import re

from . import systems, tables


def ucum(unit_key: str) -> tuple[str, str]:
    """(UCUM code, display unit) for a unit key; compound keys such as mg/kg are built from parts."""
    if unit_key in tables.UNITS:
        return tables.UNITS[unit_key]
    if "/" in unit_key:
        num, den = unit_key.split("/", 1)
        n, d = ucum(num), ucum(den)
        den_code = {"m2": "m2"}.get(den, d[0])
        return f"{n[0]}/{den_code}", f"{n[1]}/{d[1] if den != 'm2' else 'm²'}"
    return unit_key, unit_key


def quantity(value: float, unit_key: str, comparator: str | None = None) -> dict:
    code, shown = ucum(unit_key)
    q = {"value": value, "unit": shown, "system": systems.UCUM, "code": code}
    if comparator:
        q["comparator"] = comparator
    return q


def route_concept(key: str) -> dict:
    row = tables.ROUTES.get(key)
    if not row:
        return {"text": key}
    return _concept(row, tables.ROUTE_TEXT[key])


def _concept(row: tuple, text: str) -> dict:
    """EDQM and SNOMED CT codings of a table row (either may be missing) with the text kept."""
    codings = []
    if row[0]:
        codings.append({"system": systems.EDQM, "code": row[0], "display": row[1]})
    if len(row) > 2 and row[2]:
        codings.append({"system": systems.SNOMED, "code": row[2], "display": row[3]})
    return {"coding": codings, "text": text} if codings else {"text": text}


def dose_form_concept(key: str | None, text: str | None) -> dict | None:
    if not key and not text:
        return None
    row = tables.DOSE_FORMS.get(key or "")
    if not row:
        return {"text": text or key}
    return _concept(row, text or row[1])


def container_concept(key: str) -> dict:
    row = tables.CONTAINERS.get(key)
    if not row:
        return {"text": key}
    return _concept(row, row[1])


_ATC_RE = re.compile(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")


def atc_concept(code: str, text: str | None = None) -> dict:
    concept: dict = {"text": text or code}
    if _ATC_RE.match(code):
        concept["coding"] = [{"system": systems.ATC, "code": code}]
    return concept
