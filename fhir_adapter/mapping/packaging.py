"""PackagedProductDefinition (one per marketed pack) and the ManufacturedItemDefinition it holds."""
from __future__ import annotations

from ..monograph.model import Amount, Monograph, Presentation
from ..terminology.lookup import container_concept, dose_form_concept, quantity
from ..terminology.tables import CONTAINERS
from .common import Ids, fmt, narrative, product_label, product_of, products, qty, ref


def manufactured_items(m: Monograph, ids: Ids) -> list[dict]:
    """One manufactured item per product of the label (per strength where it states several)."""
    return [manufactured_item(m, ids, item_id, amount) for _med, item_id, amount in products(m, ids)]


def manufactured_item(m: Monograph, ids: Ids, item_id: str | None = None, amount: Amount | None = None) -> dict:
    p = m.product
    form = dose_form_concept(p.dose_form_key, p.dose_form) or {"text": "unknown"}
    label = product_label(m, amount)
    res = {
        "resourceType": "ManufacturedItemDefinition",
        "id": item_id or ids("item"),
        "text": narrative(f"Manufactured item of {label}", [("Dose form", form.get("text")),
                                                            ("Unit", p.unit_of_presentation)]),
        "status": "active",
        "name": label,
        "manufacturedDoseForm": form,
    }
    if p.unit_of_presentation:
        res["unitOfPresentation"] = {"text": p.unit_of_presentation}
    if m.ingredients:
        res["ingredient"] = [{"text": i.name} for i in m.ingredients if i.active][:1 if amount else None] \
            or [{"text": m.ingredients[0].name}]
    return res


def _name(c: str) -> str:
    return CONTAINERS.get(c, (None, c))[1].lower()


def packaged_product(m: Monograph, ids: Ids, pres: Presentation, n: int) -> dict:
    unit = pres.unit
    desc = f"{pres.unit_count} {unit}{'s' if pres.unit_count != 1 else ''}"
    if pres.fill_volume:
        desc += f" of {fmt(pres.fill_volume)}"
    desc += " (" + ", ".join(f"{q} {_name(c)}" for c, q in pres.levels) + ")"
    _med, item_id, amount = product_of(m, ids, pres.strength)
    label = product_label(m, amount)
    item = {"item": {"reference": ref("ManufacturedItemDefinition", item_id)}}
    if pres.fill_volume:
        item["amount"] = qty(pres.fill_volume)
    else:
        item["amount"] = quantity(pres.units_in_innermost, unit)
    inner: dict | None = None
    for container, q in reversed(pres.levels):
        level: dict = {"type": container_concept(container), "quantity": q}
        mat = pres.materials.get(container)
        if mat:
            level["material"] = [{"text": mat}]
        if inner is None:
            level["containedItem"] = [item]
        else:
            level["packaging"] = [inner]
        inner = level
    if m.shelf_life and inner is not None:
        inner["shelfLifeStorage"] = [{"type": {"text": "Shelf life of the medicinal product as packaged for sale"},
                                      "periodDuration": qty(m.shelf_life)}]
    res = {
        "resourceType": "PackagedProductDefinition",
        "id": ids("pack", n),
        "text": narrative(f"{label}: {desc}", [("Contents", desc)]),
        "name": f"{label}, {desc}",
        "containedItemQuantity": [quantity(pres.unit_count, unit)],
        "description": desc,
        "packaging": inner,
    }
    return res
