"""ClinicalUseDefinition: one per indication, contraindication, interaction, effect, warning."""
from __future__ import annotations

from ..monograph.model import ClinicalItem, Interaction, Monograph
from ..terminology import systems
from ..terminology.icd10 import icd10
from .common import Ids, constant, narrative, product_label, products, profiled, ref, source_span
from .group import population_key

STATUS = constant({"coding": [{"system": "http://hl7.org/fhir/publication-status", "code": "active",
                               "display": "Active"}]}, "CodeableConcept")
TYPE_ID = {"indication": "ind", "contraindication": "ci", "warning": "warn", "undesirable-effect": "ae",
           "interaction": "ix"}


def _base(m: Monograph, ids: Ids, kind: str, n: int, title: str, rows, span) -> dict:
    return {
        "resourceType": "ClinicalUseDefinition",
        "id": ids(TYPE_ID[kind], n),
        "meta": profiled(systems.PROFILE_CLINICAL_USE),
        "text": narrative(title, rows),
        "extension": source_span(span, ids("doc")),
        "type": kind,
        "subject": [ref("Medication", med, product_label(m, amount)) for med, _, amount in products(m, ids)],
        "status": STATUS,
    }


def condition_concept(text: str) -> dict:
    """A condition's text, coded in ICD-10 when the text is exactly an ICD-10 title."""
    hit = icd10(text)
    if hit is None:
        return {"text": text}
    return {"coding": [{"system": systems.ICD10, "code": hit[0], "display": hit[1]}], "text": text}


def clinical_item(m: Monograph, ids: Ids, item: ClinicalItem, n: int, groups: dict[str, str]) -> dict:
    kind = item.kind
    res = _base(m, ids, kind, n, f"{kind.replace('-', ' ').capitalize()}: {item.text}",
                [("Group", item.group), ("Frequency", item.frequency),
                 ("Population", item.population.text if item.population else None), ("Note", item.note)], item.span)
    concept = {"concept": condition_concept(item.text)}
    if item.group and kind in ("warning", "contraindication", "indication"):
        res["category"] = [{"text": item.group}]
    if kind == "indication":
        res["indication"] = {"diseaseSymptomProcedure": concept}
    elif kind == "contraindication":
        res["contraindication"] = {"diseaseSymptomProcedure": concept}
    elif kind == "undesirable-effect":
        ue: dict = {"symptomConditionEffect": concept}
        if item.group:
            ue["classification"] = {"text": item.group}
        if item.frequency:
            ue["frequencyOfOccurrence"] = {"text": item.frequency}
        res["undesirableEffect"] = ue
    else:
        res["warning"] = {"description": item.text}
    if item.population is not None:
        gid = groups.get(population_key(item.population))
        if gid:
            res["population"] = [ref("Group", gid, item.population.text)]
    return res


def interaction(m: Monograph, ids: Ids, ix: Interaction, n: int) -> dict:
    res = _base(m, ids, "interaction", n, f"Interaction with {ix.interactant}",
                [("Interactant", ix.interactant), ("Effect", ix.effect)], ix.span)
    res["interaction"] = {
        "interactant": [{"itemCodeableConcept": {"text": ix.interactant}}],
        "type": {"text": "drug interaction"},
        "effect": {"concept": {"text": ix.effect}},
    }
    return res
