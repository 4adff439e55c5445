"""Shared pieces of the mapping stage: ids, narrative, source spans, quantities."""
from __future__ import annotations

import hashlib
import html
import re

from ..monograph.model import Amount, Monograph, Quantity, Span
from ..terminology import systems
from ..terminology.lookup import quantity as ucum_quantity

# Elements every resource of a kind shares (its meta.profile, a CUD's status): the mapping uses
# one dict for all of them, and bundle.py validates it once instead of once per resource.
_CONSTANTS: dict[int, tuple[dict, str]] = {}


def constant(value: dict, datatype: str) -> dict:
    _CONSTANTS[id(value)] = (value, datatype)
    return value


def constant_value(key: int) -> dict:
    return _CONSTANTS[key][0]


def constant_type(value) -> str | None:
    hit = _CONSTANTS.get(id(value))
    return hit[1] if hit is not None and hit[0] is value else None


def profiled(url: str) -> dict:
    """The shared meta of resources that declare one profile."""
    return _META.setdefault(url, constant({"profile": [url]}, "Meta"))


_META: dict[str, dict] = {}


def slug(s: str, limit: int = 24) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return (s[:limit].rstrip("-")) or "product"


class Ids:
    """Deterministic ids: the same monograph always gives the same ids."""

    def __init__(self, m: Monograph):
        p = m.product
        strength = ""
        if p.strength and p.strength.quantity:
            strength = f"{p.strength.quantity.value}{p.strength.quantity.unit}"
        digest = hashlib.sha1(f"{p.name}|{strength}|{p.dose_form_key}|{m.text}".encode()).hexdigest()[:8]
        self.key = f"{slug(p.name)}-{digest}"

    def __call__(self, kind: str, n: int | str | None = None) -> str:
        rid = f"{self.key}-{kind}" + (f"-{n}" if n is not None else "")
        return rid[:64]


def ref(rtype: str, rid: str, display: str | None = None) -> dict:
    r = {"reference": f"{rtype}/{rid}"}
    if display:
        r["display"] = display[:200]
    return r


def narrative(title: str, rows: list[tuple[str, str | None]]) -> dict:
    """Generated XHTML narrative: a heading and a table of the element values shown."""
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows if v)
    body = f"<p><b>{html.escape(title)}</b></p>" + (f"<table>{cells}</table>" if cells else "")
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def source_span(span: Span | None, doc_id: str) -> list[dict]:
    """The project's extension saying which characters of the source a fact was read from.

    One URI: the DocumentReference holding the source, with an RFC 5147 text/plain fragment
    (`#char=start,end`, character offsets into its decoded text). A single element keeps
    the dozens of spans per monograph cheap to store and to validate.
    """
    if span is None:
        return []
    return [{"url": systems.SOURCE_SPAN_EXT, "valueUri": f"DocumentReference/{doc_id}#char={span.start},{span.end}"}]


def parse_source_span(uri: str) -> tuple[str, int, int] | None:
    """('DocumentReference/id', start, end) of a source-span URI, or None."""
    m = re.fullmatch(r"(DocumentReference/[A-Za-z0-9\-.]{1,64})#char=(\d+),(\d+)", uri or "")
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3))


def qty(q: Quantity, value: float | None = None) -> dict:
    return ucum_quantity(q.value if value is None else value, q.unit)


def qty_or_range(q: Quantity) -> tuple[str, dict]:
    """('Quantity' or 'Range', value) for a quantity that may be a range."""
    if q.is_range:
        return "Range", {"low": ucum_quantity(q.value, q.unit), "high": ucum_quantity(q.high, q.unit)}
    return "Quantity", ucum_quantity(q.value, q.unit)


def fmt(q: Quantity | None) -> str:
    if q is None:
        return ""
    v = f"{q.value}-{q.high}" if q.is_range else f"{q.value}"
    return f"{q.comparator or ''}{v} {q.unit}".strip()


def product_label(m: Monograph, strength: Amount | None = None) -> str:
    p = m.product
    parts = [p.name]
    strength = strength or p.strength
    if strength and strength.quantity:
        s = fmt(strength.quantity)
        if strength.per:
            per = strength.per
            s += f"/{per.unit.strip('{}')}" if per.value == 1 else f"/{per.value} {per.unit.strip('{}')}"
        parts.append(s)
    if p.dose_form:
        parts.append(p.dose_form)
    return " ".join(parts)


def products(m: Monograph, ids: Ids) -> list[tuple[str, str, Amount | None]]:
    """(Medication id, ManufacturedItemDefinition id, strength) of each product the label describes:
    one per strength where it states several, else the one product."""
    if not m.product.strengths:
        return [(ids("med"), ids("item"), None)]
    return [(ids("med") if k == 0 else ids("med", k + 1), ids("item") if k == 0 else ids("item", k + 1), a)
            for k, a in enumerate(m.product.strengths)]


def product_of(m: Monograph, ids: Ids, strength: Quantity | None) -> tuple[str, str, Amount | None]:
    """The product a pack of this strength holds (the first product when the pack names none)."""
    prods = products(m, ids)
    if strength is not None:
        for prod in prods:
            if prod[2] and (prod[2].quantity.value, prod[2].quantity.unit) == (strength.value, strength.unit):
                return prod
    return prods[0]
