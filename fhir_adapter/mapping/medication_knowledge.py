"""MedicationKnowledge: what is known about the product, linking all the other resources."""
from __future__ import annotations

import re

from ..monograph.model import Dosage, Monograph
from ..terminology import systems
from ..terminology.lookup import atc_concept, dose_form_concept, quantity, route_concept
from .common import Ids, fmt, narrative, product_label, products, profiled, ref, source_span
from .dosage import dosage
from .group import AGE, WEIGHT, age_range, weight_range
from .medication import identifiers, product_code, strength

ACTIVE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass", "code": "ACTI",
                      "display": "active ingredient"}], "text": "active ingredient"}
EXCIPIENT = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass", "code": "IACT",
                         "display": "inactive ingredient"}], "text": "excipient"}


def _class_type(code: str, text: str) -> dict:
    return {"coding": [{"system": systems.CLASSIFICATION_TYPE, "code": code}], "text": text}


def _words(s: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]{4,}", s.lower())}


def _match_indication(label: str | None, indications: list[tuple[str, str]]) -> str | None:
    """The indication CUD a regimen's label names, by shared word stems."""
    if not label:
        return None
    lw = _words(label)
    best, score = None, 0.0
    for cid, text in indications:
        tw = _words(text)
        if not tw or not lw:
            continue
        s = len(lw & tw) / min(len(lw), len(tw))
        if s > score:
            best, score = cid, s
    return best if score >= 0.5 else None


def _characteristics(d: Dosage) -> list[dict]:
    out = []
    if d.population:
        rng = age_range(d.population)
        if rng:
            out.append({"type": AGE, "valueRange": rng})
        wrng = weight_range(d.population)
        if wrng:
            out.append({"type": WEIGHT, "valueRange": wrng})
    if d.condition_range:
        c = d.condition_range
        t = {"text": d.condition.capitalize() if d.condition else "Patient characteristic"}
        if c.comparator:
            out.append({"type": t, "valueQuantity": quantity(c.value, c.unit, c.comparator)})
        elif c.is_range:
            out.append({"type": t, "valueRange": {"low": quantity(c.value, c.unit), "high": quantity(c.high, c.unit)}})
        else:
            out.append({"type": t, "valueQuantity": quantity(c.value, c.unit)})
    return out


def indication_guidelines(m: Monograph, ids: Ids, indications: list[tuple[str, str]]) -> list[dict]:
    """Regimens grouped by the indication they are for, then by patient characteristics."""
    groups: dict[tuple, dict] = {}
    order: list[tuple] = []
    for seq, d in enumerate(m.dosages, 1):
        cud = _match_indication(d.indication, indications)
        chars = _characteristics(d)
        key = (cud, repr(chars))
        if key not in groups:
            guideline: dict = {"dosage": [{"type": {"text": d.indication or "dosage"}, "dosage": []}]}
            if chars:
                guideline["patientCharacteristic"] = chars
            groups[key] = {"cud": cud, "guideline": guideline}
            order.append(key)
        groups[key]["guideline"]["dosage"][0]["dosage"].append(dosage(d, ids, seq))
    by_cud: dict[str | None, dict] = {}
    out: list[dict] = []
    for key in order:
        g = groups[key]
        if g["cud"] not in by_cud:
            entry: dict = {"dosingGuideline": []}
            if g["cud"]:
                entry["indication"] = [{"reference": ref("ClinicalUseDefinition", g["cud"])}]
            by_cud[g["cud"]] = entry
            out.append(entry)
        by_cud[g["cud"]]["dosingGuideline"].append(g["guideline"])
    return out


def storage_guideline(m: Monograph, ids: Ids) -> list[dict]:
    st = m.storage
    if st is None and m.shelf_life is None:
        return []
    g: dict = {}
    if st is not None:
        g["extension"] = source_span(st.span, ids("doc"))
        env = []
        if st.temperature_low is not None or st.temperature_high is not None:
            rng = {}
            if st.temperature_low is not None:
                rng["low"] = quantity(st.temperature_low, "Cel")
            if st.temperature_high is not None:
                rng["high"] = quantity(st.temperature_high, "Cel")
            env.append({"type": {"text": "Temperature"}, "valueRange": rng})
        if st.protect_from_light:
            env.append({"type": {"text": "Light"}, "valueCodeableConcept": {"text": "Protect from light"}})
        if st.dry:
            env.append({"type": {"text": "Humidity"}, "valueCodeableConcept": {"text": "Store in a dry place"}})
        if st.protect_from_freezing:
            env.append({"type": {"text": "Freezing"}, "valueCodeableConcept": {"text": "Do not freeze"}})
        if env:
            g["environmentalSetting"] = env
        if st.notes:
            g["note"] = [{"text": n} for n in st.notes]
    if m.shelf_life is not None:
        g["stabilityDuration"] = quantity(m.shelf_life.value, m.shelf_life.unit)
    return [g]


def medication_knowledge(m: Monograph, ids: Ids, cud_ids: list[str], indications: list[tuple[str, str]],
                         pack_ids: list[str]) -> dict:
    p = m.product
    doc = ids("doc")
    res: dict = {
        "resourceType": "MedicationKnowledge",
        "id": ids("mk"),
        "meta": profiled(systems.PROFILE_MEDICATION_KNOWLEDGE),
        "text": narrative(product_label(m), [
            ("Name", p.name), ("International name", p.inn), ("Dose form", p.dose_form),
            ("Routes", ", ".join(p.routes)), ("Classification", "; ".join(c.text for c in m.classifications)),
            ("Shelf life", fmt(m.shelf_life)), ("Clinical particulars", f"{len(cud_ids)} items"),
        ]),
    }
    if identifiers(m):
        res["identifier"] = identifiers(m)
    res["code"] = product_code(m, ids)
    res["status"] = "active"
    names = [p.name] + ([p.inn] if p.inn and p.inn.lower() != p.name.lower() else [])
    res["name"] = names
    res["associatedMedication"] = [ref("Medication", med, product_label(m, amount)) for med, _, amount in products(m, ids)]
    res["monograph"] = [{"type": {"text": "Product monograph"}, "source": ref("DocumentReference", doc)}]
    if m.administration:
        res["preparationInstruction"] = " ".join(m.administration)
    guidelines = indication_guidelines(m, ids, indications)
    if guidelines:
        res["indicationGuideline"] = guidelines
    classes = []
    for c in m.classifications:
        if c.system == "atc":
            classes.append({"type": _class_type("atc", "ATC"), "classification": [atc_concept(c.code or c.text)]})
        elif c.system == "purpose":
            classes.append({"type": _class_type("purpose", "Purpose"), "classification": [{"text": c.text}]})
        else:
            classes.append({"type": _class_type("pharmacotherapeutic-group", "Pharmacotherapeutic group"),
                            "classification": [{"text": c.text}]})
    if classes:
        res["medicineClassification"] = classes
    if pack_ids:
        res["packaging"] = [{"packagedProduct": ref("PackagedProductDefinition", pid)} for pid in pack_ids]
    if cud_ids:
        res["clinicalUseIssue"] = [ref("ClinicalUseDefinition", cid) for cid in cud_ids]
    sg = storage_guideline(m, ids)
    if sg:
        res["storageGuideline"] = sg
    definitional: dict = {}
    form = dose_form_concept(p.dose_form_key, p.dose_form)
    if form:
        definitional["doseForm"] = form
    if p.routes:
        definitional["intendedRoute"] = [route_concept(r) for r in p.routes]
    if m.ingredients:
        # The spans of these facts are on Medication.ingredient; an Extension is the dearest
        # element to validate, so they are not repeated here.
        definitional["ingredient"] = [
            {"item": {"concept": {"text": i.name}}, "type": ACTIVE if i.active else EXCIPIENT, **strength(i)}
            for i in m.ingredients]
    if definitional:
        res["definitional"] = definitional
    return res
