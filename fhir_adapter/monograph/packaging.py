"""Packaging: levels of containers with counts and fill volumes, and the packs they make.

"1 ml or 2 ml in ampoules" / "5 ampoules in a blister pack" / "1 or 2 blister packs in a
cardboard box" read as levels; the presentations are every combination of their
alternatives that the text allows (a count in brackets such as "(5 or 10 ampoules)"
checks the product of the counts).
"""
from __future__ import annotations

import itertools
import re

from .model import PackageLevel, Presentation, Quantity
from .quantities import NUM, num
from .sections import Block
from .text import sentences, split_top_level
from .vocabulary import UNITS_OF_PRESENTATION, container_in

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "twelve": 12, "twenty": 20, "thirty": 30}
_N = rf"(?:{NUM}|{'|'.join(_WORDS)})"
_ALTS = rf"(?P<alts>{_N}(?:\s*(?:,|or|and|/)\s*{_N})*)"
_COUNT_IN = re.compile(rf"^{_ALTS}\s+(?P<what>[a-z][\w\s-]*?)(?:\s+of\s+(?P<each>{NUM})\s*ml(?:\s+each)?)?"
                       rf"(?:\s*\([^)]*\))?[\s,]*(?:each\s+)?(?:along with|together with|with|in|into|are placed in|is placed in|"
                       rf"packed in|per)\b", re.I)
_VOLUME_IN = re.compile(rf"^(?P<alts>{NUM}\s*(?P<u>ml|g)\b(?:\s*\([^)]*\))?(?:\s*(?:,|or|and|/)\s*{NUM}\s*(?:ml|g)\b(?:\s*\([^)]*\))?)*|{NUM}(?:\s*(?:,|or|and|/)\s*{NUM})*\s*(?P<u2>ml|g)\b)(?:\s+of\s+(?:the\s+)?(?:solution|suspension|drug|(?:medicinal\s+)?product|concentrate|preparation|ointment|"
                        rf"cream|gel|paste|syrup|emulsion))?\s+"
                        rf"(?:each\s+)?(?:in|into)\b", re.I)
# "Bottles of 30", "PVC/aluminium blisters in cartons of 30, 60 or 120 film-coated tablets",
# "HDPE bottle with a screw cap containing 100 tablets": a container and how many units it holds
_OF_COUNT = re.compile(rf"^(?P<c>[A-Za-z][\w/ ,-]*?)\s+of\s+{_ALTS}(?:\s+(?P<what>[a-z][\w -]*?))?\s*(?:$|[.;:(]|\s+NDC\b)",
                       re.I)
_IN_OF = re.compile(rf"^(?P<inner>[A-Za-z][\w/ ,-]*?)\s+in\s+(?P<outer>[\w ]+?)\s+of\s+{_ALTS}\s+(?P<what>[a-z][\w -]*)",
                    re.I)
_CONTAINING = re.compile(rf"^(?P<c>[A-Za-z].*?)\bcontaining\s+{_ALTS}\s+(?P<what>[a-z][\w -]*)", re.I)
_MATERIAL = re.compile(r"\b(?:made of|of)\s+((?:colou?rless |dark |brown |amber |neutral |clear )*(?:glass|polyvinyl chloride|PVC|"
                       r"aluminium|aluminum|polyethylene|polypropylene|cardboard|paper)[\w\s]*?)(?=[,.;]|\s+with|\s+and|$)", re.I)


def _alts(s: str) -> list[float]:
    """The alternative numbers of '1 or 2', 'one, two or six', '0.5 ml (25 mg) or 1 ml (50 mg)'."""
    s = re.sub(r"\([^)]*\)", " ", s)
    return [_WORDS[x.lower()] if x.lower() in _WORDS else num(x) for x in re.findall(_N, s, re.I)]


def _unit_of(words: str) -> str | None:
    for key, pat in UNITS_OF_PRESENTATION.items():
        if re.search(rf"\b(?:{pat})\b", words, re.I):
            return key
    return None


def _outer_container(s: str, after: int) -> str | None:
    rest = s[after:]
    m = re.search(r"\b(?:in|into)\s+(?:(?:a|an|the)\s+)?", rest, re.I)
    tail = rest[m.end():] if m else rest
    return container_in(tail)


def read_packaging(blocks: list[Block], unit_hint: str | None) -> tuple[list[PackageLevel], list[Presentation]]:
    levels: list[PackageLevel] = []
    strength: Quantity | None = None
    for b in blocks:
        if b.heading and not b.inline:
            strength = None
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        # the cells of a how-supplied table row ("Bottles of 30 | NDC 0000-0000-30") read one by one
        for sent in (c.strip() for cell in text.split(" | ") for c, _ in sentences(cell)):
            sm = _STRENGTH_LABEL.match(sent)
            if sm:
                strength = Quantity(num(sm.group("v")), sm.group("u").lower().replace("mcg", "ug"))
                sent = sent[sm.end():].strip()
            start = len(levels)
            # "NDC 1 bottles of 30; NDC 2 bottles of 90": one pack per clause
            for clause, _ in split_top_level(sent, ";"):
                _read_sentence(_NDC_LEAD.sub("", clause.strip()), unit_hint, levels)
            for lv in levels[start:]:
                lv.strength = strength
            if len(levels) == start and not sm:
                strength = None  # the packs under a strength label end where the pack lines do
    return levels, _presentations(levels, unit_hint)


_NDC_LEAD = re.compile(r"^NDC\s*[\dX]{4,5}-[\dX]{3,4}(?:-[\dX]{1,2})?\s*", re.I)


# "250 mg: 20 or 60 tablets", "TREVALIMA 20 mg/0.4 mL prefilled syringe: a carton ...",
# "AMVELTA 5 mg tablets: NDC ... bottles of 30": a pack sentence led by the strength it holds
_STRENGTH_LABEL = re.compile(r"^(?:[^\W\d_][\w-]*\s+){0,3}(?P<v>\d+(?:[.,]\d+)?)\s*(?P<u>mg|g|mcg|µg|iu)\b"
                             r"(?:\s*/\s*\d+(?:[.,]\d+)?\s*ml)?(?:[^:.;]{0,40}:|(?:\s+[^\W\d_][\w-]*){0,2}\s*$)", re.I)


def _read_sentence(sent: str, unit_hint: str | None, levels: list[PackageLevel]) -> None:
    """The package levels one sentence describes, appended to levels."""
    mat = _MATERIAL.search(sent)
    vm = _VOLUME_IN.match(sent)
    if vm:
        cont = _outer_container(sent, vm.end() - 3)
        if cont:
            unit = (vm.group("u") or vm.group("u2")).lower()  # ml of a liquid, g of an ointment
            levels.append(PackageLevel(cont, sent, fill_volumes=[Quantity(v, unit) for v in _alts(vm.group("alts"))],
                                       material=mat.group(1).strip() if mat else None, inner="liquid"))
            return
    io = _IN_OF.match(sent)
    if io and container_in(io.group("outer")) and (_unit_of(io.group("what")) or unit_hint):
        inner = container_in(io.group("inner"))
        levels.append(PackageLevel(container_in(io.group("outer")), sent,
                                   counts=[int(v) for v in _alts(io.group("alts"))],
                                   material=f"{io.group('inner').strip()}" if inner else None,
                                   inner=_unit_of(io.group("what")) or unit_hint))
        return
    for rx in (_CONTAINING, _OF_COUNT):
        dm = rx.match(sent)
        what = (dm.group("what") or "") if dm else ""
        unit = (_unit_of(what) or unit_hint) if dm else None
        cont = container_in(dm.group("c")) if dm else None
        if dm and cont and unit and not container_in(what):
            levels.append(PackageLevel(cont, sent, counts=[int(v) for v in _alts(dm.group("alts"))],
                                       material=mat.group(1).strip() if mat else None, inner=unit))
            break
    else:
        dm = None
    if dm:
        return
    cm = _COUNT_IN.match(sent)
    if cm:
        what = cm.group("what")
        inner = container_in(what) or _unit_of(what)
        outer = _outer_container(sent, cm.end("what"))
        if inner and outer and inner != outer:
            level = PackageLevel(outer, sent, counts=[int(v) for v in _alts(cm.group("alts"))],
                                 material=mat.group(1).strip() if mat else None, inner=inner)
            if cm.group("each"):
                level.fill_volumes = [Quantity(num(cm.group("each")), "ml")]
            levels.append(level)


def _presentations(levels: list[PackageLevel], unit_hint: str | None) -> list[Presentation]:
    """Every pack the levels allow, outermost container first with its quantity in the one above.

    Each level that holds the product itself (a fill volume, or units of presentation) roots
    a chain of the levels that hold it, outwards; a label may describe several packs."""
    if not levels:
        return []
    by_inner = {lv.inner: lv for lv in levels}
    roots = [lv for lv in levels if lv.inner == "liquid" or lv.inner in UNITS_OF_PRESENTATION
             or (lv.inner == unit_hint and unit_hint)]
    out: list[Presentation] = []
    used: set[int] = set()
    for root in roots:
        if id(root) in used:
            continue
        out += _chain_presentations(root, by_inner, used, unit_hint)
    return out


def _chain_presentations(root: PackageLevel, by_inner: dict, used: set[int], unit_hint: str | None) -> list[Presentation]:
    primary = root if root.inner == "liquid" else None
    chain: list[PackageLevel] = []  # innermost first
    if primary:
        unit, cur = primary.container, primary.container
    else:
        chain.append(root)
        unit = root.inner if root.inner in UNITS_OF_PRESENTATION else (unit_hint or "unit")
        cur = root.container
    used.add(id(root))
    seen = {id(lv) for lv in chain}
    while cur in by_inner and id(by_inner[cur]) not in seen:
        lv = by_inner[cur]
        chain.append(lv)
        seen.add(id(lv))
        used.add(id(lv))
        cur = lv.container
    if not chain:
        return []
    fill = primary.fill_volumes if primary else []
    # A level that names its own fill volume ("5 ampoules of 1 ml each") narrows the choice.
    for lv in chain:
        if lv.fill_volumes:
            fill = lv.fill_volumes
    mats = {lv.container: lv.material for lv in chain + ([primary] if primary else []) if lv.material}
    strength = next((lv.strength for lv in ([primary] if primary else []) + chain if lv.strength), None)
    out: list[Presentation] = []
    for vol in fill or [None]:
        for combo in itertools.product(*[lv.counts or [1] for lv in chain]):
            total = 1
            for c in combo:
                total *= c
            outward = [lv.container for lv in chain]  # innermost first
            if primary:
                containers = [primary.container] + outward
                qty_in_parent = list(combo) + [1]  # primary sits combo[0] times in chain[0]
                per_innermost = 1
            else:
                containers = outward
                qty_in_parent = list(combo[1:]) + [1]
                per_innermost = combo[0]
            nested = list(zip(reversed(containers), reversed(qty_in_parent), strict=True))
            out.append(Presentation(nested, total, unit, vol, mats, units_in_innermost=per_innermost,
                                    strength=strength))
    return out
