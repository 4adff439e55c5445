"""Medication: the product itself (code, dose form, ingredients with strengths, volume)."""
from __future__ import annotations

from dataclasses import replace

from ..monograph.model import Amount, Ingredient, Monograph
from ..terminology import systems
from ..terminology.lookup import dose_form_concept
from .common import Ids, fmt, narrative, product_label, products, profiled, qty, ref, source_span


def product_code(m: Monograph, ids: Ids, label: str | None = None) -> dict:
    """The product's code: the national code the label gives (NDC, registration number) first,
    then always the project's own product code, so every product can be found by one token."""
    label = label or product_label(m)
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


def medications(m: Monograph, ids: Ids) -> list[dict]:
    """One Medication per product of the label: per strength where it states several."""
    return [medication(m, ids, med_id, amount) for med_id, _item, amount in products(m, ids)]


def _ingredients_of(m: Monograph, amount: Amount | None) -> list[Ingredient]:
    """The ingredients of one strength: its active substance at that strength, once, and the excipients."""
    if amount is None:
        return m.ingredients
    out, active_seen = [], False
    for ing in m.ingredients:
        if ing.active:
            if active_seen:
                continue
            active_seen = True
            ing = replace(ing, amount=Amount(amount.quantity, amount.per or (ing.amount.per if ing.amount else None),
                                             ing.amount.qualifier if ing.amount else None))
        out.append(ing)
    return out


def medication(m: Monograph, ids: Ids, med_id: str | None = None, amount: Amount | None = None) -> dict:
    p = m.product
    doc = ids("doc")
    label = product_label(m, amount)
    own = _ingredients_of(m, amount)
    ingredients = []
    for ing in own:
        entry = {"item": {"concept": {"text": ing.name}}, "isActive": ing.active, **strength(ing)}
        entry["extension"] = source_span(ing.span, doc)
        ingredients.append(entry)
    res: dict = {
        "resourceType": "Medication",
        "id": med_id or ids("med"),
        "meta": profiled(systems.PROFILE_MEDICATION),
        "text": narrative(label, [
            ("Dose form", p.dose_form),
            ("Ingredients", "; ".join(f"{i.name} {fmt(i.amount.quantity) if i.amount and i.amount.quantity else ''}".strip()
                                       for i in own)),
            ("Volume", fmt(p.total_volume)),
        ]),
        "extension": source_span(p.span, doc),
        "code": product_code(m, ids, label),
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
