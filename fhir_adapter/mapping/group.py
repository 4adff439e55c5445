"""Group: the populations clinical particulars and dosing apply to."""
from __future__ import annotations

import hashlib

from ..monograph.model import Population
from ..terminology import systems
from ..terminology.lookup import quantity
from .common import Ids, narrative

AGE = {"coding": [{"system": systems.SNOMED, "code": "424144002", "display": "Current chronological age"}],
       "text": "Age"}
WEIGHT = {"coding": [{"system": systems.SNOMED, "code": "27113001", "display": "Body weight"}], "text": "Body weight"}
STATES = {
    "pregnancy": ({"coding": [{"system": systems.SNOMED, "code": "77386006", "display": "Pregnancy"}],
                   "text": "Pregnancy"}),
    "breast-feeding": {"text": "Breast-feeding"},
    "elderly": None,
}


def population_key(p: Population) -> str:
    # A short digest: ids stay within FHIR's 64 characters and never collide by truncation.
    sig = f"{p.age_low}|{p.age_high}|{p.age_high_exclusive}|{p.state}|{p.weight_low}|{p.weight_high}"
    return hashlib.sha1(sig.encode()).hexdigest()[:8]


def _range(low: float | None, high: float | None, unit: str) -> dict | None:
    ends = {k: quantity(v, unit) for k, v in (("low", low), ("high", high)) if v is not None}
    return ends or None


def age_range(p: Population) -> dict | None:
    high = p.age_high
    if high is not None and p.age_high_exclusive and float(high).is_integer():
        high -= 1  # "under 18 years": the high end excludes 18; ages are whole years here
    return _range(p.age_low, high, "a")


def weight_range(p: Population) -> dict | None:
    return _range(p.weight_low, p.weight_high, "kg")


def group(p: Population, ids: Ids) -> dict:
    chars = []
    rng = age_range(p)
    if rng:
        chars.append({"code": AGE, "valueRange": rng, "exclude": False})
    wrng = weight_range(p)
    if wrng:
        chars.append({"code": WEIGHT, "valueRange": wrng, "exclude": False})
    state = STATES.get(p.state or "")
    if state:
        chars.append({"code": {"text": "Physiological state"}, "valueCodeableConcept": state, "exclude": False})
    res = {
        "resourceType": "Group",
        "id": ids("group", population_key(p)),
        "text": narrative(f"Population: {p.text}", [("Age", _age_text(p)), ("State", p.state)]),
        "type": "person",
        "membership": "definitional",
        "name": p.text[:120],
        "description": p.text,
    }
    if chars:
        res["characteristic"] = chars
    return res


def _age_text(p: Population) -> str | None:
    if p.age_low is not None and p.age_high is not None:
        return f"{p.age_low}-{p.age_high} years"
    if p.age_low is not None:
        return f"{p.age_low} years and over"
    if p.age_high is not None:
        return f"under {p.age_high} years" if p.age_high_exclusive else f"up to {p.age_high} years"
    return None
