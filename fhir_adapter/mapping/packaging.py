"""PackagedProductDefinition (one per marketed pack) and the ManufacturedItemDefinition it holds."""
from __future__ import annotations

from ..monograph.model import Monograph, Presentation
from ..terminology.lookup import container_concept, dose_form_concept, quantity
from ..terminology.tables import CONTAINERS
from .common import Ids, fmt, narrative, product_label, qty, ref


def manufactured_item(m: Monograph, ids: Ids) -> dict:
    p = m.product
    form = dose_form_concept(p.dose_form_key, p.dose_form) or {"text": "unknown"}
    res = {
        "resourceType": "ManufacturedItemDefinition",
        "id": ids("item"),
        "text": narrative(f"Manufactured item of {product_label(m)}", [("Dose form", form.get("text")),
                                                                        ("Unit", p.unit_of_presentation)]),
        "status": "active",
        "name": product_label(m),
        "manufacturedDoseForm": form,
    }
    if p.unit_of_presentation:
        res["unitOfPresentation"] = {"text": p.unit_of_presentation}
    if m.ingredients:
        res["ingredient"] = [{"text": i.name} for i in m.ingredients if i.active] or [{"text": m.ingredients[0].name}]
    return res


def _name(c: str) -> str:
    return CONTAINERS.get(c, (None, c))[1].lower()


def packaged_product(m: Monograph, ids: Ids, pres: Presentation, n: int) -> dict:
    unit = pres.unit
    desc = f"{pres.unit_count} {unit}{'s' if pres.unit_count != 1 else ''}"
    if pres.fill_volume:
        desc += f" of {fmt(pres.fill_volume)}"
    desc += " (" + ", ".join(f"{q} {_name(c)}" for c, q in pres.levels) + ")"
    item = {"item": {"reference": ref("ManufacturedItemDefinition", ids("item"))}}
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
        "text": narrative(f"{product_label(m)}: {desc}", [("Contents", desc)]),
        "name": f"{product_label(m)}, {desc}",
        "containedItemQuantity": [quantity(pres.unit_count, unit)],
        "description": desc,
        "packaging": inner,
    }
    return res
