"""The product: name, strength, dose form, routes, registration, classification."""
from __future__ import annotations

import re

from .model import Amount, Classification, Product, Quantity, Span
from .quantities import AMOUNT_RE, NUM, amount_from_match, num, per_amount
from .sections import Block
from .vocabulary import FORM_UNIT, UNITS_OF_PRESENTATION, container_in, dose_form_in, routes_in

_ATC = re.compile(r"\b([A-Z]\d{2}(?:[A-Z](?:[A-Z](?:\d{2})?)?)?)\b")
_REG = re.compile(r"(?:registration (?:number|certificate)(?: number)?|marketing authori[sz]ation number\(?s?\)?|"
                  r"reg\.? no\.?)\s*[:№#]?\s*(?P<n>[A-ZА-Я]{1,3}[-\s]?[\w/-]*\d[\w/-]*)", re.I)
_NDC = re.compile(r"\bNDC\s*(?:No\.?|#)?\s*(\d{4,5}-\d{3,4}-\d{1,2})\b")


def _pretty(name: str) -> str:
    name = re.sub(r"[®™]", "", name).strip(" ,.-")
    return name.title() if name.isupper() else name


_BRAND_AND_NAME = re.compile(r"^(?P<brand>[^\W\d_][\w®™-]*?(?:\s+[^\W\d_][\w®™]*)?)[®™]?(?:-\s+|\s*\()"
                             r"(?P<inn>[^\W\d_][^()\d]{2,80}?)\)?$")


def read_title(title: str, offset: int) -> Product:
    """'CELLEX 0.1 mg/ml solution for subcutaneous administration 1 ml ampoule 5 pcs.'"""
    m = re.search(rf"\s{NUM}\s*(?:mg|g|mcg|µg|ml|iu|%|units?|me)\b", title, re.I)
    form = dose_form_in(title)
    form_at = title.lower().find(form[1].lower()) if form else -1
    cuts = [c for c in (m.start() if m else -1, form_at) if c > 0]
    cut = min(cuts) if cuts else len(title)
    name = _pretty(title[:cut]) or _pretty(title)
    # "LIPITOR (atorvastatin calcium)", and the SPL title "SERALTA- sertraline hydrochloride": a
    # brand and, after it, the substance's own name
    inn = None
    bm = _BRAND_AND_NAME.match(name)
    if bm:
        inn = bm.group("inn").strip()
        name = f"{bm.group('brand').strip()} ({inn})"
    p = Product(name=name, span=Span(offset, offset + max(1, cut)), inn=inn)
    if form:
        p.dose_form_key, p.dose_form = form
    p.routes = routes_in(title)
    rest = title[cut:]
    am = AMOUNT_RE.search(rest)
    if am:
        q = amount_from_match(am)
        if "/" in q.unit and q.unit.split("/")[1] == "ml":
            p.strength = Amount(Quantity(q.value, q.unit.split("/")[0], high=q.high), Quantity(per_amount(am), "ml"))
        elif "/" not in q.unit and q.unit not in ("ml",):
            unit = FORM_UNIT.get(p.dose_form_key or "", None)
            p.strength = Amount(q, Quantity(1, "{" + unit + "}") if unit else None)
        # "1 ml ampoule": the volume of one unit of presentation
        vm = re.search(rf"(?P<v>{NUM})\s*ml\s+(?P<c>ampoules?|vials?|bottles?|syringes?)", rest, re.I)
        if vm:
            p.total_volume = Quantity(num(vm.group("v")), "ml")
            p.unit_of_presentation = container_in(vm.group("c"))
    cm = re.search(r"\b(\d+)\s*(?:pcs|pieces|pc)\b\.?", title, re.I)
    if cm:
        p.pack_count = int(cm.group(1))
    if not p.unit_of_presentation:
        for key, pat in UNITS_OF_PRESENTATION.items():
            if re.search(rf"\b(?:{pat})\b", title, re.I):
                p.unit_of_presentation = key
                break
    if not p.unit_of_presentation and p.dose_form_key in FORM_UNIT:
        p.unit_of_presentation = FORM_UNIT[p.dose_form_key]
    return p


def read_classifications(blocks: list[Block]) -> list[Classification]:
    out: list[Classification] = []
    for b in blocks:
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if b.heading and not b.inline:
            continue
        if b.kind == "atc":
            for m in _ATC.finditer(text):
                out.append(Classification("atc", m.group(1), Span(off + m.start(), off + m.end()), code=m.group(1)))
            continue
        t = text.strip().rstrip(".")
        # "Nootropic agent. ATC code: N06BX03" may share a line
        am = re.search(r"\bATC(?: code)?\s*:?\s*([A-Z]\d{2}\w*)", t)
        if am:
            out.append(Classification("atc", am.group(1), Span(off + am.start(1), off + am.end(1)), code=am.group(1)))
            t = t[:am.start()].strip().rstrip(".;,")
        if t:
            out.append(Classification("pharmacotherapeutic-group", t, Span(off, off + len(t))))
    return out


def registration_of(text: str) -> tuple[str | None, list[str]]:
    m = _REG.search(text)
    return (m.group("n").strip() if m else None), sorted(set(_NDC.findall(text)))
