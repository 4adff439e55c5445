"""read_monograph(text) -> Monograph: the whole reading stage, which never raises."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from .clinical import interactions_of, items_of, population_of, stated_effects
from .composition import purposes, read_composition
from .dosage import read_dosage
from .model import (
    Amount,
    Classification,
    ClinicalItem,
    Monograph,
    Presentation,
    Product,
    Quantity,
    Span,
    Warning,
)
from .normalise import normalise, restore_spans
from .packaging import read_packaging
from .product import read_classifications, read_title, registration_of
from .quantities import num
from .rules import detect_family, detect_language, section_model
from .sections import LOW_CONFIDENCE, Block, blocks_of, segment
from .storage import read_shelf_life, read_storage
from .text import Para, sentences
from .vocabulary import FORM_ROUTE, FORM_UNIT, dose_form_in, routes_in

T = TypeVar("T")
_NEGATIVE_USE = re.compile(
    r"contraindicated|(?:is|are|should|must)\s+not\s+(?:be\s+)?(?:used|prescribed|recommended|administered|taken)|"
    r"not (?:to )?be used|does not allow the drug to be used|must not|is not used|are not used|do not use", re.I)
_STATES = [("pregnancy", r"pregnan", "Pregnancy"), ("breast-feeding", r"lactat|breast-?feed", "Breast-feeding")]


def _guard(warnings: list[Warning], what: str, fn: Callable[[], T], default: T) -> T:
    """Run one extractor; a failure becomes a warning, never an exception."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the reader must never raise on any text
        warnings.append(Warning(f"could not read {what}: {type(exc).__name__}: {exc}"))
        return default


def read_monograph(text: str) -> Monograph:
    if not isinstance(text, str):
        text = str(text or "")
    source = text
    norm = normalise(source)
    mono = _read_normalised(norm.text)
    if norm.text != source:
        # Readers work on the normalised text; spans and the text kept point into the source.
        restore_spans(mono, norm)
        mono.text = source
    return mono


def _read_normalised(text: str) -> Monograph:
    warnings: list[Warning] = []
    language = detect_language(text)
    family, _scores = detect_family(text, language)
    model = section_model(language, family)
    blocks, sections = _guard(warnings, "sections", lambda: segment(text, model), ([], []))
    title_block = next((b for b in blocks if b.kind == "title"), None)
    product = Product(name="Unnamed product", span=Span(0, 0))
    if title_block:
        product = _guard(warnings, "title", lambda: read_title(title_block.para.text, title_block.para.span.start), product)
    else:
        warnings.append(Warning("no title line: the product has no name"))
    mono = Monograph(text=text, family=family, product=product, sections=sections, warnings=warnings,
                     language=language)
    if not text.strip():
        warnings.append(Warning("the monograph is empty"))
        return mono
    _guard(warnings, "product", lambda: _read_product(mono, blocks), None)
    _guard(warnings, "composition", lambda: _read_ingredients(mono, blocks), None)
    _guard(warnings, "clinical particulars", lambda: _read_clinical(mono, blocks), None)
    _guard(warnings, "interactions", lambda: _read_interactions(mono, blocks), None)
    _guard(warnings, "dosage", lambda: _read_dosage(mono, blocks), None)
    _guard(warnings, "storage", lambda: _read_storage(mono, blocks), None)
    _guard(warnings, "packaging", lambda: _read_packaging(mono, blocks), None)
    _guard(warnings, "placement", lambda: _report_placement(mono, blocks), None)
    for name in ("indications", "contraindications", "warnings_precautions", "undesirable_effects"):
        # An item needs words of its own; punctuation left over from splitting is no item.
        setattr(mono, name, [i for i in getattr(mono, name) if re.search(r"\w{2,}", i.text)])
    mono.interactions = [i for i in mono.interactions if re.search(r"\w{2,}", i.interactant)]
    return mono


def _content(b: Block) -> str:
    return b.content if b.inline else b.para.text


def _read_product(m: Monograph, blocks: list[Block]) -> None:
    p = m.product
    inn = [b for b in blocks_of(blocks, "inn") if not (b.heading and not b.inline)]
    if inn:
        p.inn = _content(inn[0]).strip().rstrip(".")
    for b in blocks_of(blocks, "dose_form", "release_form"):
        form = dose_form_in(_content(b)) if not (b.heading and not b.inline) else None
        if form and not p.dose_form_key:
            p.dose_form_key, p.dose_form = form
        if not (b.heading and not b.inline):
            for r in routes_in(_content(b)):
                if r not in p.routes and form:
                    p.routes.append(r)
    if not p.unit_of_presentation and p.dose_form_key in FORM_UNIT:
        p.unit_of_presentation = FORM_UNIT[p.dose_form_key]
    desc = [b for b in blocks if b.kind == "description"]
    if desc:
        p.description = " ".join(b.para.text for b in desc)
    appearance = [b for b in blocks_of(blocks, "appearance")] + [b for b in blocks_of(blocks, "dose_form") if b.inline]
    if appearance:
        p.appearance = " ".join(_content(b) for b in appearance if not (b.heading and not b.inline))
    p.registration_number, p.ndc = registration_of(m.text)
    m.classifications = read_classifications(blocks_of(blocks, "pharmacotherapeutic_group", "atc"))
    if not any(c.system == "pharmacotherapeutic-group" for c in m.classifications):
        # "Lisinopril, an oral long-acting angiotensin converting enzyme inhibitor, is ...": the class
        # a description gives its drug in apposition
        for b in blocks_of(blocks, "appearance", "description"):
            names = "|".join(re.escape(n) for n in (p.name, p.inn or "") if n)
            am = re.match(rf"^(?:{names})\s*,\s*an?\s+([^,;]{{5,90}}?),\s+is\b", _content(b), re.I) if names else None
            if am:
                start = (b.content_start if b.inline else b.para.span.start) + am.start(1)
                m.classifications.append(Classification("pharmacotherapeutic-group", am.group(1).strip(),
                                                        Span(start, start + len(am.group(1)))))
                break


def _read_ingredients(m: Monograph, blocks: list[Block]) -> None:
    p = m.product
    per = p.strength.per if p.strength else None
    m.ingredients = read_composition(blocks_of(blocks, "composition"), per)
    if not m.ingredients:
        # a US PI states its composition in DESCRIPTION: "Each tablet contains ... Inactive ingredients: ..."
        m.ingredients = read_composition(_composition_sentences(blocks_of(blocks, "appearance")), per)
    for text, start in purposes(blocks_of(blocks, "composition")):
        # a Drug Facts purpose ("Pain reliever/fever reducer") is how the label classes its ingredient
        if not any(c.text.lower() == text.lower() for c in m.classifications):
            m.classifications.append(Classification("purpose", text, Span(start, start + len(text))))
    known = {i.name.lower() for i in m.ingredients}
    m.ingredients += [i for i in read_composition(blocks_of(blocks, "excipients"), per, active=False)
                      if i.name.lower() not in known]
    actives = [i for i in m.ingredients if i.active]
    if p.strength is None and actives and actives[0].amount and actives[0].amount.quantity:
        p.strength = actives[0].amount
    elif p.strength and len(actives) == 1 and not (p.strength.quantity.unit == "%" and actives[0].amount
                                                   and actives[0].amount.quantity):
        # (a percentage on the label, "0.1%", says less than "0.1 g per 100 g" in the composition)
        a = actives[0]
        # The labelled strength is what the product is known by; a differing content
        # figure ("in terms of total protein 0.9-2.4 mg") stays as a note.
        if a.amount and a.amount.quantity and (a.amount.quantity.value, a.amount.quantity.unit) != \
                (p.strength.quantity.value, p.strength.quantity.unit):
            q = a.amount.quantity
            rng = f"{q.value}-{q.high}" if q.high else f"{q.value}"
            a.note = "; ".join(x for x in (a.note, f"{a.amount.qualifier or 'content'} {rng} {q.unit}") if x)
        a.amount = Amount(p.strength.quantity, p.strength.per or (a.amount.per if a.amount else None))
    if not m.ingredients and p.inn:
        warnings_text = "no composition section: the active substance is taken from the name"
        m.warnings.append(Warning(warnings_text))
    if not m.ingredients and blocks_of(blocks, "composition"):
        m.warnings.append(Warning("composition section has no readable ingredient",
                                  text=" ".join(b.para.text for b in blocks_of(blocks, "composition"))[:300]))


_ALSO = re.compile(r"also ((?:\d+(?:[.,]\d+)?(?:,\s*)?)+)\s*(mg|g|ug|mcg|ml)\b")


def _strengths(m: Monograph) -> list[Amount]:
    """Every strength of a label of one active substance that states several: the amounts of its
    one-per-strength composition lines ("Rosuvelan 10 mg: each tablet contains ..."), the others a
    strength list names ("10, 20, 40 or 80 mg"), and those the packs are labelled with."""
    actives = [i for i in m.ingredients if i.active and i.amount and i.amount.quantity]
    if len({i.name.lower() for i in actives}) > 1:
        return []  # a combination of substances: one product with several ingredients
    base = m.product.strength
    out: list[Amount] = []

    def add(q: Quantity, per: Quantity | None) -> None:
        if q is not None and not any((a.quantity.value, a.quantity.unit) == (q.value, q.unit) for a in out):
            out.append(Amount(q, per))

    for i in actives:
        add(i.amount.quantity, i.amount.per)
        am = _ALSO.search(i.note or "")
        for v in re.findall(r"\d+(?:[.,]\d+)?", am.group(1)) if am else []:
            add(Quantity(num(v), am.group(2)), i.amount.per)
    if base and base.quantity and not out:
        add(base.quantity, base.per)
    unit = out[0].quantity.unit if out else None
    for pres in m.presentations:
        if pres.strength and (unit is None or pres.strength.unit == unit):
            add(pres.strength, out[0].per if out else None)
    return out if len(out) > 1 else []


_COMPOSITION_SENTENCE = re.compile(r"\b(?:each|one|1)\s+(?:[^.;]|\.(?=\d)){0,50}?(?<=\S)\s+contains\b|"
                                   r"\btablets?\b[^.;]{0,60}\bequivalent to\s+\d|\bin addition to the active ingredient|"
                                   r"\b(?:coat|coating|shell)s?\s+(?:also\s+)?contains?\b|"
                                   r"\b(?:inactive ingredients|excipients)\s*:", re.I)


def _composition_sentences(blocks: list[Block]) -> list[Block]:
    """The sentences of a description that state composition, as blocks of their own."""
    out = []
    carry = False  # a sentence that ends on a colon goes on in the next ("... inactive ingredients:")
    for b in blocks:
        if b.heading and not b.inline:
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        for sent, soff in sentences(text):
            if _COMPOSITION_SENTENCE.search(sent) or carry:
                span = Span(off + soff, off + soff + len(sent))
                out.append(Block(Para(sent, span, 0), kind="composition", content=sent, content_start=span.start))
            carry = sent.rstrip().endswith(":")
    return out


def _read_clinical(m: Monograph, blocks: list[Block]) -> None:
    m.indications = items_of(blocks_of(blocks, "indications"), "indication", m.text)
    m.contraindications = items_of(blocks_of(blocks, "contraindications"), "contraindication", m.text)
    cautions = items_of(blocks_of(blocks, "cautions"), "warning", m.text)
    for c in cautions:
        c.group = c.group or "With caution"
    special = items_of(blocks_of(blocks, "boxed_warning", "warnings"), "warning", m.text, lists=False)
    driving = items_of(blocks_of(blocks, "driving"), "warning", m.text, lists=False)
    for d in driving:
        d.group = "Effects on ability to drive and use machines"
    m.warnings_precautions = cautions + special + _pregnancy(m, blocks) + driving
    m.undesirable_effects = items_of(blocks_of(blocks, "undesirable_effects"), "undesirable-effect", m.text)
    if section_model(m.language, m.family).effects_in_warnings or not blocks_of(blocks, "undesirable_effects"):
        # a Drug Facts label, or any with no section of them: what its warnings say it may cause
        have = {u.text.lower() for u in m.undesirable_effects}
        m.undesirable_effects += [e for e in stated_effects(blocks_of(blocks, "boxed_warning", "warnings"))
                                  if e.text.lower() not in have]
    m.overdose = " ".join(_content(b) for b in blocks_of(blocks, "overdose") if not (b.heading and not b.inline)) or None
    for kind, items, sec in (("indications", m.indications, "indications"),
                             ("contraindications", m.contraindications, "contraindications"),
                             ("undesirable effects", m.undesirable_effects, "undesirable_effects")):
        if not items and blocks_of(blocks, sec):
            m.warnings.append(Warning(f"the {kind} section has no item the reader could split out"))


def _pregnancy(m: Monograph, blocks: list[Block]) -> list[ClinicalItem]:
    """The pregnancy and lactation section: a use it rules out is a contraindication, the rest warnings."""
    out: list[ClinicalItem] = []
    pblocks = blocks_of(blocks, "pregnancy")
    heading = " ".join(b.heading or "" for b in pblocks)
    for b in pblocks:
        if b.heading and not b.inline or b.label:
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        for sent, soff in sentences(text):
            span = Span(off + soff, off + soff + len(sent))
            states = [s for s in _STATES if re.search(s[1], sent, re.I)] or \
                [s for s in _STATES if re.search(s[1], heading, re.I)]
            for clause in re.split(r";\s+", sent):
                cl_states = [s for s in _STATES if re.search(s[1], clause, re.I)] or states
                if _NEGATIVE_USE.search(clause) and not re.search(r"\bif\b|\bunless\b", clause, re.I):
                    for _key, rx, label in cl_states:
                        if any(re.search(rx, c.text, re.I) for c in m.contraindications):
                            continue
                        pop = population_of(label)
                        m.contraindications.append(ClinicalItem("contraindication", label, span,
                                                                group=heading or None, population=pop, note=sent))
                else:
                    pop = population_of(" ".join(s[2] for s in cl_states)) if cl_states else None
                    out.append(ClinicalItem("warning", clause.strip().rstrip("."), span,
                                            group="Pregnancy and lactation", population=pop))
    return out


def _read_interactions(m: Monograph, blocks: list[Block]) -> None:
    names = [m.product.name, m.product.inn or ""] + [i.name for i in m.ingredients if i.active]
    names += [w for n in names for w in n.split()[:1] if len(w) > 5]
    m.interactions = interactions_of(blocks_of(blocks, "interactions"), names)


def _read_dosage(m: Monograph, blocks: list[Block]) -> None:
    routes = m.product.routes or ([FORM_ROUTE[m.product.dose_form_key]] if m.product.dose_form_key in FORM_ROUTE else [])
    names = {w.lower() for n in [m.product.name, m.product.inn or ""] + [i.name for i in m.ingredients if i.active]
             for w in re.findall(r"[A-Za-z][\w-]{3,}", n)}
    m.dosages, m.administration = read_dosage(blocks_of(blocks, "dosage", "administration"), routes, frozenset(names),
                                            m.language)
    for d in m.dosages:
        if d.route and d.route not in m.product.routes:
            m.product.routes.append(d.route)
    if not m.dosages and blocks_of(blocks, "dosage"):
        m.warnings.append(Warning("the dosage section has no regimen the reader could parse",
                                  text=" ".join(b.para.text for b in blocks_of(blocks, "dosage"))[:300]))


def _read_storage(m: Monograph, blocks: list[Block]) -> None:
    m.storage = read_storage(blocks_of(blocks, "storage"))
    if m.storage is None or (m.storage.temperature_low is None and m.storage.temperature_high is None):
        # "HOW SUPPLIED/STORAGE AND HANDLING": storage sentences inside the packaging section
        extra = [b for b in blocks_of(blocks, "release_form", "packaging")
                 if not (b.heading and not b.inline) and re.search(r"\bstore\b|°\s*C", _content(b), re.I)]
        if extra:
            m.storage = read_storage(blocks_of(blocks, "storage") + extra)
    m.shelf_life, m.shelf_life_span = read_shelf_life(blocks_of(blocks, "shelf_life"))
    if m.shelf_life is None and blocks_of(blocks, "shelf_life"):
        m.warnings.append(Warning("shelf life given but not read", text=m.section_text("shelf_life")[:200]))


def _read_packaging(m: Monograph, blocks: list[Block]) -> None:
    m.package_levels, m.presentations = read_packaging(blocks_of(blocks, "release_form", "packaging"),
                                                       m.product.unit_of_presentation)
    if not m.presentations and blocks_of(blocks, "carton"):
        # An OTC label names its pack only on the carton ("Bottle of 100 caplets"): what the
        # carton says of the pack is the pack, though nothing else on it is read.
        m.package_levels, m.presentations = read_packaging(blocks_of(blocks, "carton"), m.product.unit_of_presentation)
    p = m.product
    if not m.presentations and p.pack_count and p.unit_of_presentation:
        # No packaging section: the title's "2 ml ampoule 10 pcs." is the one pack there is.
        m.presentations = [Presentation([("pack", 1), (p.unit_of_presentation, p.pack_count)]
                                        if p.total_volume else [("pack", 1)], p.pack_count, p.unit_of_presentation,
                                        p.total_volume, units_in_innermost=1 if p.total_volume else p.pack_count,
                                        span=p.span)]
    if m.presentations and m.product.total_volume is None:
        vols = {p.fill_volume.value for p in m.presentations if p.fill_volume}
        if len(vols) == 1:
            m.product.total_volume = Quantity(vols.pop(), "ml")
    if not m.presentations and blocks_of(blocks, "packaging"):
        m.warnings.append(Warning("packaging described but no pack could be read",
                                  text=m.section_text("packaging")[:300]))
    m.product.strengths = _strengths(m)


def _report_placement(m: Monograph, blocks: list[Block]) -> None:
    for b in blocks:
        if b.kind == "description" and b is not blocks[0] and b.inferred and \
                any(x.heading for x in blocks[:blocks.index(b)]):
            m.warnings.append(Warning("paragraph could not be placed in a section", b.para.span, b.para.text[:200]))
    for s in m.sections:
        if s.inferred and s.kind not in ("description", "title"):
            m.warnings.append(Warning(f"heading missing: text placed in '{s.kind}' by its content and position",
                                      s.span, m.text[s.span.start:s.span.end][:120]))
    for b in blocks:
        if b.inferred and b.kind not in ("description", "title") and b.confidence < LOW_CONFIDENCE:
            # a paragraph the order of sections placed against (or without) what its words say
            m.warnings.append(Warning(f"low-confidence placement ({b.confidence:.2f}) in '{b.kind}': its words point "
                                      f"{'to no section' if b.confidence >= 0.3 else 'to another section'}",
                                      b.para.span, b.para.text[:200]))
