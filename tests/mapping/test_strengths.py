"""A label of several strengths: one Medication and one manufactured item per strength, every
pack holding the strength its label names, the MedicationKnowledge linking them all."""
from ..conftest import bundle_dict, of_type

TEXT = """Examplostat 10 mg, 20 mg and 40 mg film-coated tablets

COMPOSITION
Examplostat 10 mg: each film-coated tablet contains 10 mg examplostat.
Examplostat 20 mg: each film-coated tablet contains 20 mg examplostat.
Examplostat 40 mg: each film-coated tablet contains 40 mg examplostat.
Excipients: lactose monohydrate, magnesium stearate.

INDICATIONS
Hypercholesterolaemia.

HOW SUPPLIED
10 mg
  NDC 12345-010-30 bottles of 30
20 mg
  NDC 12345-020-30 bottles of 30
  NDC 12345-020-90 bottles of 90
40 mg tablets: NDC 12345-040-90 bottles of 90
"""


def test_each_strength_is_its_own_medication_with_its_own_packs():
    b = bundle_dict(TEXT)
    meds = of_type(b, "Medication")
    strengths = []
    for med in meds:
        active = [i for i in med["ingredient"] if i["isActive"]]
        assert len(active) == 1 and {i["item"]["concept"]["text"] for i in med["ingredient"] if not i["isActive"]} \
            == {"lactose monohydrate", "magnesium stearate"}
        strengths.append(active[0]["strengthRatio"]["numerator"]["value"])
    assert strengths == [10, 20, 40]
    mk = of_type(b, "MedicationKnowledge")[0]
    assert [r["reference"] for r in mk["associatedMedication"]] == [f"Medication/{m['id']}" for m in meds]
    items = {i["id"]: i["name"] for i in of_type(b, "ManufacturedItemDefinition")}
    assert len(items) == 3
    packs = []
    for ppd in of_type(b, "PackagedProductDefinition"):
        item = ppd["packaging"]["containedItem"][0]["item"]["reference"]["reference"].split("/")[1]
        packs.append((items[item].split()[1], ppd["containedItemQuantity"][0]["value"]))
    assert sorted(packs) == [("10", 30), ("20", 30), ("20", 90), ("40", 90)]
    cud = of_type(b, "ClinicalUseDefinition")[0]
    assert len(cud["subject"]) == 3


def test_a_label_of_one_strength_keeps_one_medication(seed_text):
    b = bundle_dict(seed_text)
    assert len(of_type(b, "Medication")) == 1
