"""Medication: the product itself (code, dose form, ingredients with strengths, volume)."""
from __future__ import annotations

from ..monograph.model import Ingredient, Monograph
from ..terminology import systems
from ..terminology.lookup import dose_form_concept
from .common import Ids, fmt, narrative, product_label, profiled, qty, ref, source_span


def product_code(m: Monograph, ids: Ids) -> dict:
    """The product's code: the national code the label gives (NDC, registration number) first,
    then always the project's own product code, so every product can be found by one token."""
    label = product_label(m)
    codings = [{"system": systems.NDC, "code": n, "display": label} for n in m.product.ndc]
    if m.product.registration_number:
        codings.append({"system": systems.REGISTRATION_CODES, "code": m.product.registration_number,
                        "display": label})
    codings.append({"system": systems.PRODUCT_CODES, "code": ids.key, "display": label})
    return {"coding": codings, "text": m.product.name}


def identifiers(m: Monograph) -> list[dict]:
    if not m.product.registration_number:
        return []
    return [{"use": "official", "type": {"text": "Marketing authorisation number"},
             "system": systems.REGISTRATION_CODES, "value": m.product.registration_number}]


def strength(ing: Ingredient) -> dict:
    """strength[x] of an ingredient: a Ratio per unit, or the text of a q.s. amount."""
    a = ing.amount
    if a is None:
        return {}
    if a.quantity is None:
        return {"strengthCodeableConcept": {"text": a.qualifier or "quantum satis"}} if a.qualifier else {}
    num = qty(a.quantity)
    if a.quantity.is_range:
        # Ratio numerators take one value; a range of content keeps its bounds in text.
        return {"strengthCodeableConcept": {"text": f"{fmt(a.quantity)}" + (f" per {fmt(a.per)}" if a.per else "")}}
    if a.per:
        return {"strengthRatio": {"numerator": num, "denominator": qty(a.per)}}
    return {"strengthQuantity": num}


def medication(m: Monograph, ids: Ids) -> dict:
    p = m.product
    doc = ids("doc")
    ingredients = []
    for ing in m.ingredients:
        entry = {"item": {"concept": {"text": ing.name}}, "isActive": ing.active, **strength(ing)}
        entry["extension"] = source_span(ing.span, doc)
        ingredients.append(entry)
    res: dict = {
        "resourceType": "Medication",
        "id": ids("med"),
        "meta": profiled(systems.PROFILE_MEDICATION),
        "text": narrative(product_label(m), [
            ("Dose form", p.dose_form),
            ("Ingredients", "; ".join(f"{i.name} {fmt(i.amount.quantity) if i.amount and i.amount.quantity else ''}".strip()
                                       for i in m.ingredients)),
            ("Volume", fmt(p.total_volume)),
        ]),
        "extension": source_span(p.span, doc),
        "code": product_code(m, ids),
        "status": "active",
    }
    if identifiers(m):
        res["identifier"] = identifiers(m)
    form = dose_form_concept(p.dose_form_key, p.dose_form)
    if form:
        res["doseForm"] = form
    if p.total_volume:
        res["totalVolume"] = qty(p.total_volume)
    if ingredients:
        res["ingredient"] = ingredients
    res["definition"] = ref("MedicationKnowledge", ids("mk"))
    return res
