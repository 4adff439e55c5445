"""Monograph -> R5 collection Bundle of every resource the monograph yields."""
from __future__ import annotations

from fhir.resources import get_fhir_model_class
from fhir.resources.bundle import Bundle, BundleEntry
from pydantic import BaseModel

from ..monograph.model import Monograph
from ..terminology import systems
from .clinical_use import clinical_item, interaction
from .common import Ids, constant_type, constant_value
from .document_reference import document_reference
from .group import group, population_key
from .medication import medications
from .medication_knowledge import medication_knowledge
from .packaging import manufactured_items, packaged_product


def resources(m: Monograph) -> list[dict]:
    """Every resource as FHIR JSON (dicts), in a stable order."""
    ids = Ids(m)
    groups: dict[str, str] = {}
    group_res: list[dict] = []
    items = m.indications + m.contraindications + m.warnings_precautions + m.undesirable_effects
    for it in items:
        if it.population is not None:
            key = population_key(it.population)
            if key not in groups:
                g = group(it.population, ids)
                groups[key] = g["id"]
                group_res.append(g)
    cuds: list[dict] = []
    counters: dict[str, int] = {}
    indications: list[tuple[str, str]] = []
    for it in items:
        counters[it.kind] = counters.get(it.kind, 0) + 1
        c = clinical_item(m, ids, it, counters[it.kind], groups)
        if it.kind == "indication":
            indications.append((c["id"], it.text + " " + (it.group or "")))
        cuds.append(c)
    for n, ix in enumerate(m.interactions, 1):
        cuds.append(interaction(m, ids, ix, n))
    packs = [packaged_product(m, ids, p, n) for n, p in enumerate(m.presentations, 1)]
    out = [medication_knowledge(m, ids, [c["id"] for c in cuds], indications, [p["id"] for p in packs]),
           *medications(m, ids), document_reference(m, ids)]
    if packs:
        out += manufactured_items(m, ids)
    return out + packs + group_res + cuds


def bundle_json(m: Monograph) -> dict:
    res = resources(m)
    ids = Ids(m)
    return {
        "resourceType": "Bundle",
        "id": ids("bundle"),
        "type": "collection",
        "entry": [{"fullUrl": f"{systems.CANONICAL_BASE}/{r['resourceType']}/{r['id']}", "resource": r} for r in res],
    }


def validated_bundle(bundle: dict) -> Bundle:
    """A collection Bundle (as JSON) as a fhir.resources model, every resource validated.

    Each resource is validated by its own model class; the Bundle and its entries, which
    this module writes itself, are only assembled. Validating through Bundle.entry.resource
    costs a third more for the same checks (the polymorphic field tries the type first).
    """
    entries = [BundleEntry.model_construct(
        fullUrl=e["fullUrl"],
        resource=get_fhir_model_class(e["resource"]["resourceType"]).model_validate(_with_constants(e["resource"])))
        for e in bundle["entry"]]
    return Bundle.model_construct(id=bundle["id"], type=bundle["type"], entry=entries)


def _with_constants(resource: dict) -> dict:
    """Shared constant elements as their validated models: pydantic does not validate a model
    instance twice, and these were validated the first time they were met. Each resource gets
    its own copy, so changing one resource's element never changes another's."""
    out = None
    for k, v in resource.items():
        datatype = constant_type(v)
        if datatype is not None:
            out = out or dict(resource)
            out[k] = _fresh(_constant_model(id(v), datatype))
    return out or resource


def _fresh(value):
    """A copy of a validated model that shares nothing mutable with it (strings are immutable)."""
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _fresh(v) for k, v in value.__dict__.items()
                                        if isinstance(v, (BaseModel, list))})
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


_MODELS: dict[int, object] = {}


def _constant_model(key: int, datatype: str):
    if key not in _MODELS:
        _MODELS[key] = get_fhir_model_class(datatype).model_validate(constant_value(key))
    return _MODELS[key]


def to_bundle(m: Monograph) -> Bundle:
    """The Bundle as a validated fhir.resources model (raises if the mapping made invalid R5)."""
    return validated_bundle(bundle_json(m))
