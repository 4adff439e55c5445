"""Invalid resources, each breaking one rule of one layer, with where it must be reported.

Every case is a valid base resource with one change; `expect` is (issue code, expression).
"""
from __future__ import annotations

import copy

NARR = {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>'}
PROFILE = "https://fhir-adapter.github.io/fhir/StructureDefinition/"

MED = {"resourceType": "Medication", "id": "m1", "meta": {"profile": [PROFILE + "fhir-adapter-medication"]},
       "text": NARR, "status": "active",
       "code": {"coding": [{"system": "https://fhir-adapter.github.io/fhir/CodeSystem/product", "code": "x"}],
                "text": "Examplin"},
       "doseForm": {"text": "tablet"},
       "totalVolume": {"value": 2, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"},
       "ingredient": [{"item": {"concept": {"text": "examplin"}}, "isActive": True,
                       "strengthRatio": {"numerator": {"value": 5, "unit": "mg", "system": "http://unitsofmeasure.org",
                                                       "code": "mg"},
                                         "denominator": {"value": 1, "unit": "mL", "system": "http://unitsofmeasure.org",
                                                         "code": "mL"}}}]}
CUD = {"resourceType": "ClinicalUseDefinition", "id": "c1", "meta": {"profile": [PROFILE + "fhir-adapter-clinical-use-definition"]},
       "text": NARR, "type": "contraindication", "subject": [{"reference": "Medication/m1"}],
       "status": {"coding": [{"system": "http://hl7.org/fhir/publication-status", "code": "active"}]},
       "contraindication": {"diseaseSymptomProcedure": {"concept": {"text": "epilepsy"}}}}
MK = {"resourceType": "MedicationKnowledge", "id": "k1", "meta": {"profile": [PROFILE + "fhir-adapter-medication-knowledge"]},
      "text": NARR, "status": "active", "name": ["Examplin"],
      "code": {"coding": [{"system": "https://fhir-adapter.github.io/fhir/CodeSystem/product", "code": "x"}], "text": "Examplin"},
      "associatedMedication": [{"reference": "Medication/m1"}],
      "monograph": [{"source": {"reference": "DocumentReference/d1"}}],
      "medicineClassification": [{"type": {"coding": [{"system": "https://fhir-adapter.github.io/fhir/CodeSystem/classification-type",
                                                       "code": "atc"}]},
                                  "classification": [{"coding": [{"system": "http://www.whocc.no/atc", "code": "A03AX"}]}]}],
      "storageGuideline": [{"stabilityDuration": {"value": 2, "unit": "year", "system": "http://unitsofmeasure.org", "code": "a"}}],
      "indicationGuideline": [{"dosingGuideline": [{"dosage": [{"type": {"text": "d"}, "dosage": [
          {"text": "5 mg once a day", "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
           "doseAndRate": [{"doseQuantity": {"value": 5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}]}]}],
      "definitional": {"ingredient": [{"item": {"concept": {"text": "examplin"}},
                                       "strengthQuantity": {"value": 5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}}
GROUP = {"resourceType": "Group", "id": "g1", "text": NARR, "type": "person", "membership": "definitional",
         "characteristic": [{"code": {"text": "Age"}, "valueRange": {"low": {"value": 18, "unit": "year",
                                                                            "system": "http://unitsofmeasure.org", "code": "a"}},
                             "exclude": False}]}
PPD = {"resourceType": "PackagedProductDefinition", "id": "p1", "text": NARR,
       "packaging": {"type": {"text": "Box"}, "quantity": 1, "containedItem": [
           {"item": {"reference": {"reference": "ManufacturedItemDefinition/i1"}},
            "amount": {"value": 10, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tablet}"}}]}}
DOC = {"resourceType": "DocumentReference", "id": "d1", "text": NARR, "status": "current",
       "content": [{"attachment": {"contentType": "text/plain", "data": "aGVsbG8=", "title": "x"}}]}
VALID = [MED, CUD, MK, GROUP, PPD, DOC]


def change(base: dict, path: str, value=None, delete: bool = False) -> dict:
    """A copy of base with the element at a dotted path (list indexes as numbers) set or removed."""
    out = copy.deepcopy(base)
    node = out
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for k in keys[:-1]:
        node = node[k]
    if delete:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return out


# (name, layer, resource, expected issue code, expected expression)
CASES = [
    # layer 2: structure
    ("unknown element", "structure", change(MED, "colour", "red"), "structure", "Medication.colour"),
    ("unknown nested element", "structure", change(MED, "code.label", "x"), "structure", "Medication.code.label"),
    ("boolean as string", "structure", change(MED, "ingredient.0.isActive", "true"), "structure",
     "Medication.ingredient[0].isActive"),
    ("decimal as string", "structure", change(MED, "totalVolume.value", "2"), "structure", "Medication.totalVolume.value"),
    ("integer as decimal", "structure", change(MK, "indicationGuideline.0.dosingGuideline.0.dosage.0.dosage.0.timing.repeat.frequency", 1.5),
     "structure", "MedicationKnowledge.indicationGuideline[0].dosingGuideline[0].dosage[0].dosage[0].timing.repeat.frequency"),
    ("empty array", "structure", change(MED, "ingredient", []), "structure", "Medication.ingredient"),
    ("empty object", "structure", change(MED, "doseForm", {}), "structure", "Medication.doseForm"),
    ("null value", "structure", change(MED, "status", None), "structure", "Medication.status"),
    ("null in array", "structure", change(MK, "name", ["Examplin", None]), "structure", "MedicationKnowledge.name[1]"),
    ("id over 64 characters", "structure", change(MED, "id", "x" * 65), "value", "Medication.id"),
    ("id with a space", "structure", change(MED, "id", "a b"), "value", "Medication.id"),
    ("uri with a space", "structure", change(MED, "code.coding.0.system", "http://exa mple.org"), "value",
     "Medication.code.coding[0].system"),
    ("array for a single element", "structure", change(MED, "doseForm", [{"text": "tablet"}]), "structure",
     "Medication.doseForm"),
    ("object for a repeating element", "structure", change(MK, "name", "Examplin"), "structure", "MedicationKnowledge.name"),
    ("missing required element", "structure", change(CUD, "type", delete=True), "required", "ClinicalUseDefinition.type"),
    ("missing Group.membership", "structure", change(GROUP, "membership", delete=True), "required", "Group.membership"),
    ("missing characteristic.exclude", "structure", change(GROUP, "characteristic.0.exclude", delete=True), "required",
     "Group.characteristic[0].exclude"),
    ("empty string", "structure", change(MED, "code.text", ""), "structure", "Medication.code.text"),
    ("invalid date", "structure", change(DOC, "date", "2020-13-45"), "value", "DocumentReference.date"),
    ("positiveInt zero", "structure",
     change(MK, "indicationGuideline.0.dosingGuideline.0.dosage.0.dosage.0.timing.repeat.frequency", 0), "value",
     "MedicationKnowledge.indicationGuideline[0].dosingGuideline[0].dosage[0].dosage[0].timing.repeat.frequency"),
    ("not base64", "structure", change(DOC, "content.0.attachment.data", "not base64!"), "value",
     "DocumentReference.content[0].attachment.data"),
    ("wrong reference target", "structure", change(CUD, "subject", [{"reference": "MedicationKnowledge/k1"}]), "structure",
     "ClinicalUseDefinition.subject[0].reference"),
    ("contained item points at Medication", "structure",
     change(PPD, "packaging.containedItem.0.item.reference.reference", "Medication/m1"), "structure",
     "PackagedProductDefinition.packaging.containedItem[0].item.reference.reference"),
    ("malformed reference", "structure", change(CUD, "subject", [{"reference": "not a reference"}]), "value",
     "ClinicalUseDefinition.subject[0].reference"),
    ("unknown choice type", "structure", change(GROUP, "characteristic.0.valueFoo", 1), "structure",
     "Group.characteristic[0].valueFoo"),
    ("complex value as string", "structure", change(MED, "doseForm", "tablet"), "structure", "Medication.doseForm"),
    # layer 3: required bindings
    ("ClinicalUseDefinition.type", "bindings", change(CUD, "type", "side-effect"), "code-invalid", "ClinicalUseDefinition.type"),
    ("MedicationKnowledge.status", "bindings", change(MK, "status", "current"), "code-invalid", "MedicationKnowledge.status"),
    ("Medication.status", "bindings", change(MED, "status", "ok"), "code-invalid", "Medication.status"),
    ("Quantity comparator", "bindings", change(MED, "totalVolume.comparator", "~"), "code-invalid",
     "Medication.totalVolume.comparator"),
    ("Group.type", "bindings", change(GROUP, "type", "people"), "code-invalid", "Group.type"),
    ("units of time", "bindings",
     change(MK, "indicationGuideline.0.dosingGuideline.0.dosage.0.dosage.0.timing.repeat.periodUnit", "day"), "code-invalid",
     "MedicationKnowledge.indicationGuideline[0].dosingGuideline[0].dosage[0].dosage[0].timing.repeat.periodUnit"),
    ("narrative status", "bindings", change(GROUP, "text.status", "written"), "code-invalid", "Group.text.status"),
    ("document status", "bindings", change(DOC, "status", "draft"), "code-invalid", "DocumentReference.status"),
    # layer 4: invariants
    ("cud-1 two kinds", "invariants", change(CUD, "indication", {"diseaseSymptomProcedure": {"concept": {"text": "x"}}}),
     "invariant", "ClinicalUseDefinition"),
    ("qty-3 code without system", "invariants", change(MED, "totalVolume.system", delete=True), "invariant",
     "Medication.totalVolume"),
    ("rat-1 numerator alone", "invariants", change(MED, "ingredient.0.strengthRatio.denominator", delete=True), "invariant",
     "Medication.ingredient[0].strengthRatio"),
    ("txt-1 script in narrative", "invariants",
     change(MED, "text.div", '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p><script>alert(1)</script></div>'),
     "invariant", "Medication.text.div"),
    ("txt-2 empty narrative", "invariants", change(MED, "text.div", '<div xmlns="http://www.w3.org/1999/xhtml"> </div>'),
     "invariant", "Medication.text.div"),
    ("dom-3 unreferenced contained", "invariants", change(MED, "contained", [{"resourceType": "Group", "id": "g", "type": "person",
                                                                            "membership": "definitional"}]),
     "invariant", "Medication"),
    ("ext-1 extension with value and children", "invariants",
     change(MED, "extension", [{"url": "http://example.org/x", "valueString": "a",
                                "extension": [{"url": "y", "valueString": "b"}]}]), "invariant", "Medication.extension[0]"),
    ("rng-2 low above high", "invariants",
     change(GROUP, "characteristic.0.valueRange.high", {"value": 10, "unit": "year", "system": "http://unitsofmeasure.org",
                                                        "code": "a"}), "invariant", "Group.characteristic[0].valueRange"),
    # layer 5: the project's profiles
    ("profile: code missing", "profiles", change(MED, "code", delete=True), "required", "Medication.code"),
    ("profile: fixed narrative status", "profiles", change(MED, "text.status", "additional"), "invariant", "Medication.text.status"),
    ("profile: subject cardinality", "profiles",
     change(CUD, "subject", [{"reference": "Medication/m1"}, {"reference": "Medication/m2"}]), "structure",
     "ClinicalUseDefinition.subject"),
    ("profile: subject type", "profiles", change(CUD, "subject", [{"reference": "Device/x"}]), "invariant",
     "ClinicalUseDefinition.subject[0].reference"),
    ("profile: classification type binding", "profiles",
     change(MK, "medicineClassification.0.type", {"text": "ATC"}), "structure", "MedicationKnowledge.medicineClassification[0].type"),
    ("profile: associated medication required", "profiles", change(MK, "associatedMedication", delete=True), "required",
     "MedicationKnowledge.associatedMedication"),
    ("profile: ingredient isActive", "profiles", change(MED, "ingredient.0.isActive", delete=True), "required",
     "Medication.ingredient[0].isActive"),
]
