import json

import pytest
from fhir.resources import get_fhir_model_class

from fhir_adapter import convert
from fhir_adapter.mapping.common import parse_source_span
from fhir_adapter.terminology import systems

from ..conftest import bundle_dict, of_type


@pytest.fixture(scope="module")
def seed_bundle(seed_text):
    return bundle_dict(seed_text)


@pytest.fixture(scope="module")
def ex_bundle(examplin_text):
    return bundle_dict(examplin_text)


def walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def test_every_resource_validates_and_has_generated_narrative(seed_bundle, ex_bundle):
    for b in (seed_bundle, ex_bundle):
        for e in b["entry"]:
            r = e["resource"]
            get_fhir_model_class(r["resourceType"]).model_validate(r)
            assert r["text"]["status"] == "generated"
            assert r["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
            assert e["fullUrl"].endswith(f"/{r['resourceType']}/{r['id']}")


def test_conversion_is_deterministic(seed_text):
    a = convert(seed_text).model_dump_json()
    b = convert(seed_text).model_dump_json()
    assert a == b


def test_references_resolve_and_respect_r5_targets(seed_bundle, ex_bundle):
    for b in (seed_bundle, ex_bundle):
        known = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in b["entry"]}
        for _, node in walk(b):
            if isinstance(node.get("reference"), str):
                assert node["reference"] in known, node["reference"]
        for cud in of_type(b, "ClinicalUseDefinition"):
            assert all(s["reference"].startswith("Medication/") for s in cud["subject"])
            kinds = [k for k in ("indication", "contraindication", "interaction", "undesirableEffect", "warning")
                     if k in cud]
            assert len(kinds) == 1  # cud-1
        for ppd in of_type(b, "PackagedProductDefinition"):
            items = [n for _, n in walk(ppd["packaging"]) if "containedItem" in n]
            assert items and all(ci["item"]["reference"]["reference"].startswith("ManufacturedItemDefinition/")
                                 for n in items for ci in n["containedItem"])


def test_quantities_are_ucum(seed_bundle, ex_bundle):
    n = 0
    for b in (seed_bundle, ex_bundle):
        for path, node in walk(b):
            if "value" in node and ("unit" in node or "code" in node) and isinstance(node["value"], (int, float)):
                assert node.get("system") == systems.UCUM and node.get("code"), path
                n += 1
    assert n > 20


def test_medication_and_knowledge(seed_bundle, ex_bundle):
    med = of_type(seed_bundle, "Medication")[0]
    assert med["code"]["text"] == "Cellex"
    assert med["code"]["coding"][0]["system"] == systems.PRODUCT_CODES
    assert med["doseForm"]["coding"][0] == {"system": systems.EDQM, "code": "11201000",
                                            "display": "Solution for injection"}
    active = [i for i in med["ingredient"] if i["isActive"]]
    assert active[0]["strengthRatio"]["numerator"]["value"] == 0.1
    assert active[0]["strengthRatio"]["denominator"]["code"] == "mL"
    water = [i for i in med["ingredient"] if "water" in i["item"]["concept"]["text"]][0]
    assert water["strengthCodeableConcept"]["text"] == "up to 1 ml"
    mk = of_type(seed_bundle, "MedicationKnowledge")[0]
    assert mk["associatedMedication"][0]["reference"] == f"Medication/{med['id']}"
    assert mk["monograph"][0]["source"]["reference"].startswith("DocumentReference/")
    assert len(mk["clinicalUseIssue"]) == len(of_type(seed_bundle, "ClinicalUseDefinition"))
    env = mk["storageGuideline"][0]["environmentalSetting"]
    assert env[0]["valueRange"]["low"]["value"] == 2 and env[0]["valueRange"]["high"]["code"] == "Cel"
    assert mk["storageGuideline"][0]["stabilityDuration"]["code"] == "a"
    dose = mk["indicationGuideline"][0]["dosingGuideline"][0]["dosage"][0]["dosage"][0]
    assert dose["doseAndRate"][0]["doseRange"]["high"]["value"] == 0.2
    assert dose["timing"]["repeat"]["boundsDuration"]["value"] == 10
    assert dose["route"]["coding"][0]["code"] == "20066000"
    ex_mk = of_type(ex_bundle, "MedicationKnowledge")[0]
    atc = [c for c in ex_mk["medicineClassification"] if c["type"]["text"] == "ATC"][0]
    assert atc["classification"][0]["coding"][0] == {"system": systems.ATC, "code": "A03AX"}
    ex_med = of_type(ex_bundle, "Medication")[0]
    assert ex_med["identifier"][0]["value"] == "LP-004321"
    assert [c["system"] for c in ex_med["code"]["coding"]] == [systems.REGISTRATION_CODES, systems.PRODUCT_CODES]
    assert ex_med["code"]["coding"][0]["code"] == "LP-004321"


def test_dosing_guidelines_carry_population(ex_bundle):
    mk = of_type(ex_bundle, "MedicationKnowledge")[0]
    chars = [dg.get("patientCharacteristic") for ig in mk["indicationGuideline"] for dg in ig["dosingGuideline"]]
    lows = sorted(c[0]["valueRange"]["low"]["value"] for c in chars if c)
    assert lows == [6, 18]


def test_populations_are_groups(seed_bundle):
    groups = {g["id"]: g for g in of_type(seed_bundle, "Group")}
    age = [c for c in of_type(seed_bundle, "ClinicalUseDefinition") if "18" in json.dumps(c.get("contraindication"))]
    gid = age[0]["population"][0]["reference"].split("/")[1]
    g = groups[gid]
    assert g["membership"] == "definitional" and g["type"] == "person"
    assert g["characteristic"][0]["valueRange"]["high"]["value"] == 17


def test_packaging(ex_bundle):
    ppds = of_type(ex_bundle, "PackagedProductDefinition")
    assert [p["containedItemQuantity"][0]["value"] for p in ppds] == [10, 20]
    outer = ppds[1]["packaging"]
    assert outer["type"]["coding"][0]["code"] == "30009000"  # EDQM Box
    blister = outer["packaging"][0]
    assert blister["quantity"] == 2 and blister["containedItem"][0]["amount"]["value"] == 10
    assert outer["shelfLifeStorage"][0]["periodDuration"]["value"] == 2


def test_source_spans_point_into_the_document(seed_text, seed_bundle):
    import base64
    doc = of_type(seed_bundle, "DocumentReference")[0]
    assert base64.b64decode(doc["content"][0]["attachment"]["data"]).decode() == seed_text
    cuds = [c for c in of_type(seed_bundle, "ClinicalUseDefinition") if c["type"] == "contraindication"]
    for cud in cuds[:5]:
        assert cud["extension"][0]["url"] == systems.SOURCE_SPAN_EXT
        target, start, end = parse_source_span(cud["extension"][0]["valueUri"])
        assert target == f"DocumentReference/{doc['id']}"
        assert seed_text[start:end] == cud["contraindication"]["diseaseSymptomProcedure"]["concept"]["text"]
    assert parse_source_span("DocumentReference/x#char=1") is None


def test_garbage_still_gives_a_valid_bundle():
    b = bundle_dict("just some words\n\nand more words")
    assert of_type(b, "Medication") and of_type(b, "MedicationKnowledge")


def test_resources_share_no_mutable_element(seed_text):
    a, b = convert(seed_text), convert(seed_text)
    cuds = [e.resource for e in a.entry if e.resource.__resource_type__ == "ClinicalUseDefinition"]
    cuds[0].meta.profile.append("http://example.org/changed")
    cuds[0].status.coding[0].code = "retired"
    assert cuds[1].meta.profile == [systems.PROFILE_CLINICAL_USE] and cuds[1].status.coding[0].code == "active"
    other = [e.resource for e in b.entry if e.resource.__resource_type__ == "ClinicalUseDefinition"][0]
    assert other.meta.profile == [systems.PROFILE_CLINICAL_USE] and other.status.coding[0].code == "active"


def test_conditions_coded_in_icd10_only_on_an_exact_title(seed_bundle):
    cis = {c["contraindication"]["diseaseSymptomProcedure"]["concept"]["text"]: c["contraindication"]
           ["diseaseSymptomProcedure"]["concept"] for c in of_type(seed_bundle, "ClinicalUseDefinition")
           if c["type"] == "contraindication"}
    assert cis["Epilepsy"]["coding"] == [{"system": systems.ICD10, "code": "G40", "display": "Epilepsy"}]
    assert "coding" not in cis["manic psychosis"]  # no exact title: text only
    assert all(c["text"] for c in cis.values())
