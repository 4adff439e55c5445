"""Packaging: which container holds how many of what, and the packs that makes.

Each clause of a packaging section is read as a row of mentions -- counts ("1, 2 or 6"),
volumes ("0.4 mL", "10 g or 25 g"), containers, counted units (tablets, actuations) and the
words that relate them ("in", "of", "containing") -- from the vocabularies of
rules/<language>/vocabulary.json. Relations follow from the order of the row:

    5 ampoules in a blister pack            blister holds 5 ampoules
    cartons of 28 or 56 tablets             carton holds 28 | 56 tablets
    0.4 mL solution in a pre-filled pen     the pen holds 0.4 mL of the product
    a carton containing two trays, each with a pen    carton holds 2 trays, a tray 1 pen

A clause led by a strength ("40 mg:", "20 mg/0.2 mL:", "5 mg tablets in packs of 28") holds
that strength's packs; the lines under a strength standing alone (US how-supplied tables)
do too. A strength per volume gives the fill of its container when the clause names none.
The presentations are every combination of the alternatives a chain of levels allows.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .lexicon import alternation, lexicon
from .model import PackageLevel, Presentation, Quantity
from .quantities import NUM, PACKAGE_CODE, num, strength_label
from .sections import Block
from .text import sentences, split_top_level
from .vocabulary import CONTAINERS, UNITS_OF_PRESENTATION

_LX = lexicon()
_NUMBER_WORDS = {w: n for w, n in _LX.number_words.items() if w not in ("once", "twice", "thrice")}
_N = rf"(?:{NUM}|{alternation(_NUMBER_WORDS)})"
_OR = "|".join(_LX.packaging_words.get("or", ["or|and"]))
_ALTS = rf"{_N}(?:\s*(?:,\s*(?:(?:{_OR})\s+)?|\s(?:{_OR})\s+){_N})*"
_FILL_UNITS = alternation(w for w, u in _LX.units.items() if u in ("ml", "g"))
_VOLUME = rf"{_N}\s*(?:{_FILL_UNITS})(?:\s*(?:,|\s(?:{_OR}))\s*{_N}\s*(?:{_FILL_UNITS}))*|{_ALTS}\s*(?:{_FILL_UNITS})"
_PACK_UNITS = [(k, "|".join(ps)) for k, ps in _LX.pack_units.items()]

# One scan per clause: the first alternative that matches at a place wins, so volumes come
# before bare counts and containers before counted units ("ampoules" is both).
_MENTION = re.compile(
    r"(?<![\w-])(?:"
    rf"(?P<vol>{_VOLUME})(?![^\W\d_])"
    r"|(?P<times>\d+\s*[x×]\s*\d+)(?![^\W\d_]|[.,]\d)"
    rf"|(?P<num>{_ALTS})(?![^\W\d_]|[.,]\d)"
    + "".join(f"|(?P<c{i}>{p})(?![^\\W\\d_])" for i, (_, p) in enumerate(CONTAINERS))
    + "".join(f"|(?P<u{i}>{p})(?![^\\W\\d_])" for i, (_, p) in enumerate(_PACK_UNITS))
    + "|(?P<into>" + "|".join(_LX.packaging_words.get("in", ["in"])) + r")(?![^\W\d_])"
    + "|(?P<holds>" + "|".join(_LX.packaging_words.get("holds", ["of"])) + r")(?![^\W\d_])"
    + ")", re.I)

# What is no count: a package code, a strength or concentration, a percentage, a page number.
_NOT_COUNTS = re.compile(
    rf"{PACKAGE_CODE.pattern}|"
    rf"{NUM}\s*(?:mg|g|mcg|µg|μg|micrograms?|milligrams?|grams?|iu|units|ме|мг|мкг|г)\s*/\s*(?:{NUM}\s*)?(?:ml|мл|actuation|dose|g|г)\b|"
    rf"{NUM}\s*(?:mg|mcg|µg|μg|micrograms?|milligrams?|iu|мг|мкг|ме)\b|{NUM}\s*%|"
    rf"\bpage\s+\d+(?:\s+of\s+\d+)?|\b\d+\s+(?:gauge|inch(?:es)?|microns?|mm|cm)\b|\b\d+/\d+\b", re.I)

_UNIT_WORDS = "|".join(p for _, p in _PACK_UNITS)
_LABEL_INSIDE = re.compile(r"(?<=\d)\s+(?=(?:(?-i:[A-ZА-Я])[\w-]*\s+){0,2}\d+(?:[.,]\d+)?\s*(?:mg|g|grams?|mcg|µg)\b"
                           r"(?:\s*/\s*\d+(?:[.,]\d+)?\s*ml)?[^:.;\d]{0,30}:)", re.I)
_MATERIAL = re.compile(r"\b(?:made of|of)\s+((?:colou?rless |dark |brown |amber |neutral |clear |type i )*(?:glass|polyvinyl chloride|"
                       r"PVC|aluminium|aluminum|polyethylene|polypropylene|cardboard|paper)[\w\s]*?)(?=[,.;]|\s+with|\s+and|$)",
                       re.I)
_WORD = re.compile(r"[^\W\d_][\w-]*|\d+")
_UNIT_KEY = {"tablet": "tablet", "capsule": "capsule", "suppository": "suppository", "sachet": "sachet",
             "ampoule": "ampoule", "vial": "vial", "actuation": "actuation"}
COUNTED = set(UNITS_OF_PRESENTATION) | {"actuation"}
_CONTAINER_KEYS = {k for k, _ in CONTAINERS}


@dataclass
class _M:
    """A mention: a count or volume (values), a container or counted unit (key), or a relation word."""

    kind: str  # num, vol, cont, unit, into, holds
    start: int
    end: int
    values: list[float] = field(default_factory=list)
    key: str | None = None  # container or unit key; for a count, what it counts
    word: str = ""
    each: list[Quantity] = field(default_factory=list)  # "5 ampoules of 1 ml each"
    aside: bool = False  # said in brackets
    times: tuple[int, int] | None = None  # "10 x 10": a count of things that hold a count each


def _numbers(s: str) -> list[float]:
    out = []
    for x in re.findall(_N, s, re.I):
        out.append(_NUMBER_WORDS[x.lower()] if x.lower() in _NUMBER_WORDS else num(x))
    return out


def _volumes(s: str) -> list[Quantity]:
    unit = _LX.units.get(re.findall(rf"(?:{_FILL_UNITS})", s, re.I)[-1].lower(), "ml")
    return [Quantity(v, unit) for v in _numbers(re.sub(rf"(?<![^\W\d_])(?:{_FILL_UNITS})(?![^\W\d_])", " ", s, flags=re.I))]


def _mask(s: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out what is never a count (keeping offsets) and bracketed asides but for a volume
    in them ("1 OZ (28 g)", "1 ampoule of solvent (water for injections, 10 ml)"); the spans of
    the brackets kept are returned: what is in them qualifies, it never leads."""
    s = _NOT_COUNTS.sub(lambda m: " " * len(m.group(0)), s)
    kept: list[tuple[int, int]] = []

    def aside(m: re.Match) -> str:
        v = re.search(_VOLUME, m.group(1), re.I)
        if not v:
            return " " * len(m.group(0))
        kept.append((m.start(), m.end()))
        a, b = m.start(1) + v.start() - m.start(), m.start(1) + v.end() - m.start()
        g = m.group(0)
        return " " * a + g[a:b] + " " * (len(g) - b)
    return re.sub(r"\(([^()]*)\)", aside, s), kept


def _mentions(clause: str) -> list[_M]:
    out: list[_M] = []
    masked, asides = _mask(clause)
    for m in _MENTION.finditer(masked):
        g = m.lastgroup
        word = m.group(0)
        if g == "vol":
            out.append(_M("vol", m.start(), m.end(), word=word, each=_volumes(word),
                          aside=any(a <= m.start() < b for a, b in asides)))
        elif g == "times":  # "7 x 4 tablets": four blisters of seven, 28 in all
            a, b = (int(x) for x in re.split(r"\s*[x×]\s*", word))
            out.append(_M("num", m.start(), m.end(), [a * b], word=word, times=(a, b)))
        elif g == "num":
            vals = _numbers(word)
            if all(v >= 1 and float(v).is_integer() for v in vals):
                out.append(_M("num", m.start(), m.end(), vals, word=word))
        elif g[0] == "c":
            out.append(_M("cont", m.start(), m.end(), key=CONTAINERS[int(g[1:])][0], word=word))
        elif g[0] == "u":
            out.append(_M("unit", m.start(), m.end(), key=_UNIT_KEY.get(_PACK_UNITS[int(g[1:])][0]), word=word))
        else:
            out.append(_M(g, m.start(), m.end(), word=word.lower()))
    return _counts_of_things(out, clause)


def _gap_words(clause: str, a: int, b: int) -> int:
    return len(_WORD.findall(clause[a:b]))


def _counts_of_things(ms: list[_M], clause: str) -> list[_M]:
    """'2 or 10 pre-filled syringes', 'two dose trays': a count and what it counts become one
    mention; '5 mL oral dosing syringe' is a container of that size (an accessory, not the fill)."""
    # a counted unit that names the kind of a container is no unit: "unit dose blisters", "dose trays"
    ms = [m for k, m in enumerate(ms) if not (m.kind == "unit" and k + 1 < len(ms) and ms[k + 1].kind == "cont"
                                              and not clause[m.end:ms[k + 1].start].strip())]
    out: list[_M] = []
    i = 0
    while i < len(ms):
        m = ms[i]
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if m.times and nxt and nxt.kind == "cont" and _gap_words(clause, m.end, nxt.start) <= 2:
            # "10 x 10 unit dose blisters": ten blisters of ten
            out.append(_M("num", m.start, nxt.end, [m.times[0]], key=nxt.key, word=clause[m.start:nxt.end],
                          times=m.times))
            i += 2
            continue
        if m.kind == "num" and nxt and nxt.kind in ("cont", "unit") and _gap_words(clause, m.end, nxt.start) <= 2:
            out.append(_M("num", m.start, nxt.end, m.values, key=nxt.key, word=clause[m.start:nxt.end]))
            i += 2
            continue
        if m.kind == "vol" and not m.aside and nxt and nxt.kind == "cont" and _gap_words(clause, m.end, nxt.start) <= 3 \
                and not re.search(r"\b(?:solution|of|in)\b", clause[m.end:nxt.start], re.I):
            out.append(_M("cont", m.start, nxt.end, key=nxt.key, word="sized " + nxt.word, each=m.each))
            i += 2
            continue
        out.append(m)
        i += 1
    return out


@dataclass
class _Clause:
    text: str
    strengths: list[Quantity] = field(default_factory=list)
    per_volume: list[Quantity | None] = field(default_factory=list)
    label_only: bool = False
    sentence_start: bool = True
    levels: list[PackageLevel] = field(default_factory=list)
    loose: list[_M] = field(default_factory=list)  # counts or volumes no container was named for
    containers: list[str] = field(default_factory=list)  # in the order they are named
    sized: list[_M] = field(default_factory=list)  # "a 10 mL bottle": a container and its size


def _label(clause: str) -> tuple[list[Quantity], list[Quantity | None], str, bool]:
    lab = strength_label(clause, _UNIT_WORDS)
    if lab is None:
        return [], [], clause, False
    return lab.strengths, lab.per_volume, lab.rest, lab.form == "alone"


def _accessories_out(ms: list[_M], clause: str) -> list[_M]:
    """'Four syringes in a set with four individually wrapped alcohol wipes in a plastic package':
    'with' and a count of things that are neither units nor containers is an accessory the pack
    comes with; it takes no part in what holds what."""
    out: list[_M] = []
    i = 0
    while i < len(ms):
        m, nxt = ms[i], ms[i + 1] if i + 1 < len(ms) else None
        if m.kind == "holds" and m.word == "with" and nxt is not None and nxt.kind == "num" and not nxt.key:
            end = ms[i + 2].start if i + 2 < len(ms) else len(clause)
            if _gap_words(clause, nxt.end, end) >= 2:
                i += 2
                continue
        out.append(m)
        i += 1
    return out


def _relate(c: _Clause, unit_hint: str | None) -> None:
    """The levels one clause states, from the order of its mentions."""
    ms = _accessories_out(_mentions(c.text), c.text)
    c.containers = [m.key for m in ms if m.kind == "cont" or (m.kind == "num" and m.key and m.key not in COUNTED)]
    subject: _M | None = None
    fills: set[tuple[str, tuple]] = set()
    related: set[int] = set()
    held_in: dict[int, PackageLevel] = {}  # a count mention -> the level that holds it
    # "tablets in packs of 28": what a bare count counts, where the clause names it
    counted = next((m.key for m in ms if m.kind == "unit" and m.key), None) or unit_hint

    def holds(outer: str, inner: _M | None, counts: list[float]) -> None:
        if (inner is None or not inner.key) and counts:
            # "single-dose vials in cartons of 10": a bare count counts the vials the carton was
            # said to hold (but "blisters in cartons of 30" counts tablets: a blister is no unit)
            have = next((lv for lv in c.levels if lv.container == outer and not lv.counts and lv.inner in COUNTED), None)
            if have is not None:
                have.counts = [int(v) for v in counts]
                return
        what = inner.key if inner is not None and inner.key else counted
        if not what or what == outer:
            return
        lv = PackageLevel(outer, c.text, counts=[int(v) for v in counts], inner=what)
        if inner is not None and inner.each:
            lv.fill_volumes = inner.each
        if inner is not None:
            held_in[id(inner)] = lv
        c.levels.append(lv)

    def is_container(m: _M) -> bool:
        return m.kind == "cont" or (m.kind == "num" and m.key in _CONTAINER_KEYS)

    def fill(container: str, vols: list[Quantity]) -> None:
        key = (container, tuple((v.value, v.unit) for v in vols))
        if key not in fills:
            fills.add(key)
            c.levels.append(PackageLevel(container, c.text, fill_volumes=vols, inner="liquid"))

    pending: list[_M] = []  # "1 vial of powder and 1 ampoule of solvent in a pack": counts listed together
    i = 0
    while i < len(ms):
        m = ms[i]
        if m.kind == "num" and m.key and subject is not None and subject.kind == "num" and subject.key and \
                re.search(r"(?:,|\band\b|\bи\b)\s*$", c.text[subject.end:m.start]):
            if id(subject) in held_in:
                # "a pack contains 1 vial of powder, 1 vial of solvent, ...": the list goes on
                holds(held_in[id(subject)].container, m, m.values)
                related.add(id(m))
                subject = m
                i += 1
                continue
            pending.append(subject)
        if m.kind in ("into", "holds"):
            obj = ms[i + 1] if i + 1 < len(ms) else None
            # ("in colorless glass (type I) single-use syringes": what the container is made of and
            # how it is used may stand between)
            near = obj is not None and _gap_words(c.text, m.end, obj.start) <= (6 if m.kind == "into" and obj.kind == "cont" else 4)
            if subject is None or not near or obj.kind in ("into", "holds"):
                i += 1
                continue
            word = m.word
            if m.kind == "into" and obj.kind == "cont":
                # X in C: C holds the counted X, or X's fill, or an X it does not count
                if subject.kind == "vol":
                    fill(obj.key, subject.each)
                elif subject.kind == "num" and subject.key in COUNTED and id(subject) in held_in \
                        and subject.key not in _CONTAINER_KEYS:
                    # "packs containing 28 tablets in blisters": the blisters are in the pack
                    holds(held_in[id(subject)].container, obj, [])
                elif subject.kind == "num":
                    for p in pending:
                        holds(obj.key, p, p.values)
                        related.add(id(p))
                    holds(obj.key, subject, subject.values)
                elif subject.kind == "cont":
                    holds(obj.key, subject, [])
                if subject.kind != "unit":
                    related.update((id(subject), id(obj)))
                subject, pending = obj, []
                i += 2
                continue
            if m.kind == "holds" and subject.kind in ("cont", "num") and (subject.kind == "cont" or subject.key):
                outer = subject.key
                # the count comes right after the word: "cartons of 28", "containing two dose trays"
                # ("a vial of powder and 1 ampoule" lists two things, it does not nest them)
                close = _gap_words(c.text, m.end, obj.start) <= (1 if word == "of" else 2)
                if obj.kind == "num" and close and (obj.key or word in ("of", "containing", "contains", "contain")):
                    holds(outer, obj, obj.values)
                    related.update((id(subject), id(obj)))
                    subject = obj if is_container(obj) or obj.key else subject
                    i += 2
                    continue
                if obj.kind == "vol" and word not in ("with",):
                    if subject.kind == "num":
                        subject.each = obj.each  # "5 ampoules of 1 ml each", "1 vial of solvent containing 5 mL"
                        if id(subject) in held_in:
                            held_in[id(subject)].fill_volumes = obj.each
                    else:
                        fill(outer, obj.each)
                    related.update((id(subject), id(obj)))
                    i += 2
                    continue
                if obj.kind == "cont" and (word.startswith("each") or word.startswith("contain")):
                    holds(outer, obj, [1] if subject.kind == "num" else [])
                    related.update((id(subject), id(obj)))
                    subject = obj
                    i += 2
                    continue
                if obj.kind == "cont" and word == "with" and subject.kind == "cont":
                    i += 2  # "a bottle with a 5 mL dosing syringe": an accessory, nothing it holds
                    continue
            i += 1
            continue
        if m.kind == "num" and m.key and subject is not None and is_container(subject) \
                and m.key in COUNTED and m.key != subject.key \
                and not re.search(r"\w{3,}", re.sub(r"\b(?:fl|oz|net|wt)\b", "", c.text[subject.end:m.start], flags=re.I)):
            # "1 bottle - 0.54 FL OZ (16 g) - 120 metered sprays": what a container holds, listed after it
            holds(subject.key, m, m.values)
            related.add(id(m))
        elif m.kind == "vol" and subject is not None and subject.kind == "num" and is_container(subject) \
                and not re.search(r"\w{3,}", c.text[subject.end:m.start]):
            fill(subject.key, m.each)
            related.add(id(m))
            i += 1
            continue
        if m.kind in ("cont", "num", "vol", "unit") and not m.aside:
            subject = m
        i += 1
    for m in ms:
        if m.times and m.key and counted:
            holds(m.key, None, [m.times[1]])
            related.add(id(m))
        if m.kind == "num" and m.key in _CONTAINER_KEYS and m.key not in COUNTED and m.values != [1] \
                and id(m) not in held_in and any(lv.container == m.key and lv.counts for lv in c.levels) \
                and not any(lv.inner == m.key for lv in c.levels):
            # "10 blisters of 10 tablets" said of no outer pack: the pack holds the ten blisters
            lv = PackageLevel("pack", c.text, counts=[int(v) for v in m.values], inner=m.key)
            held_in[id(m)] = lv
            c.levels.append(lv)
            related.add(id(m))
    # a volume in brackets counts only where it restates a quantity ("NET WT 1 OZ (28 g)"), not
    # where it describes something else ("a measuring spoon (2.5 ml and 5 ml)")
    c.sized = [m for m in ms if m.kind == "cont" and m.each]
    c.loose = [m for m in ms if id(m) not in related and m.kind in ("num", "vol") and (m.kind == "vol" or m.key in COUNTED)
               and not (m.aside and not re.search(r"\d\s*(?:[^\W\d_]+\.?\s*){1,2}\(\s*$", c.text[:m.start]))]
    mat = _MATERIAL.search(c.text)
    if mat and c.levels:
        c.levels[0].material = mat.group(1).strip()


def _clauses(blocks: list[Block]) -> list[_Clause | None]:
    """The clauses of the packaging text in order; None where a heading starts a new part."""
    out: list[_Clause | None] = []
    for b in blocks:
        if b.heading and not b.inline:
            out.append(None)
            continue
        if b.para.ruled and b.para.text.strip()[:1] != "|":
            out.append(None)  # a rule ("-") on a line of its own parts one pack's description from the next
        text = b.content if b.inline else b.para.text
        for cell in text.split(" | "):  # the cells of a how-supplied table row, one by one
            for sent, _ in sentences(cell.strip()):
                first = True
                # "...bottles of 120 500 mg tablets: NDC ...": lines of a table joined into one
                joined = _LABEL_INSIDE.split(sent)
                for clause in (c for piece in joined for c, _ in split_top_level(piece, ";")):
                    # "... in cartons: 1.25 mg tablets in packs of 28": a strength after a colon leads
                    parts = re.split(r":\s+(?=\d)", clause, maxsplit=1) if not strength_label(clause, _UNIT_WORDS) \
                        else [clause]
                    for part in parts:
                        strengths, per, rest, only = _label(part.strip())
                        out.append(_Clause(rest, strengths, per, only, first))
                        first = False
    return out


def read_packaging(blocks: list[Block], unit_hint: str | None) -> tuple[list[PackageLevel], list[Presentation]]:
    clauses = _clauses(blocks)
    for c in clauses:
        if c is not None:
            _relate(c, unit_hint)
    # Groups: the clauses under one strength label; the rest is common to every group.
    common: list[_Clause] = []
    groups: list[tuple[_Clause, list[_Clause]]] = []
    open_group: tuple[_Clause, list[_Clause]] | None = None
    for c in clauses:
        if c is None:
            open_group = None
            continue
        if c.strengths:
            open_group = (c, [c])
            groups.append(open_group)
        elif open_group is not None and open_group[0].label_only and not (c.levels or c.loose):
            open_group = None  # the pack lines under a strength standing alone end where they do
            common.append(c)
        elif open_group is not None:
            open_group[1].append(c)  # a strength that leads a sentence holds the packs up to the next
        else:
            common.append(c)
    common_levels = [lv for c in common for lv in c.levels]
    all_levels = list(common_levels)
    presentations: list[Presentation] = []
    context = _context(common, [])
    if not groups:
        _place_loose(common, common_levels, context)
        _name_packs(common_levels)
        return common_levels, _presentations_by_part(clauses, common_levels, unit_hint)
    for label, members in groups:
        for strength, per in zip(label.strengths, label.per_volume, strict=True):
            levels = [PackageLevel(lv.container, lv.text, list(lv.counts), list(lv.fill_volumes), lv.material, lv.inner,
                                   strength) for c in members for lv in c.levels]
            ctx = _context(members, common) or context
            _place_loose(members, levels, ctx, strength, common_levels)
            if per is not None and not any(lv.inner == "liquid" for lv in levels):
                inner = _innermost(levels) or ctx
                if inner:
                    levels.append(PackageLevel(inner, label.text, fill_volumes=[per], inner="liquid", strength=strength))
            own = {lv.inner for lv in levels}
            levels += [lv for lv in common_levels if lv.inner not in own]
            _name_packs(levels)
            all_levels += [lv for lv in levels if lv.strength is not None]
            for p in _presentations(levels, unit_hint):
                p.strength = strength
                presentations.append(p)
    return all_levels, presentations


def _presentations_by_part(clauses: list[_Clause | None], levels: list[PackageLevel],
                           unit_hint: str | None) -> list[Presentation]:
    """Presentations of the whole text, or of each of its parts where every part describes a pack
    of its own ('- 0.5 mL in syringes; four syringes in a package ... - a pen; four pens in a
    package ...'): a carton of one part never holds the package of another. A part that holds
    no product (a carton said once for all) is shared by every part."""
    parts: list[list[PackageLevel]] = [[]]
    for c in clauses:
        if c is None:
            if parts[-1]:
                parts.append([])
            continue
        parts[-1] += c.levels
    parts = [p for p in parts if p]
    own = [p for p in parts if any(lv.inner == "liquid" or lv.inner in COUNTED or (unit_hint and lv.inner == unit_hint)
                                   for lv in p)]
    if len(own) < 2:
        return _presentations(levels, unit_hint)
    shared = [lv for p in parts if p not in own for lv in p]
    return [pr for p in own for pr in _presentations(p + shared, unit_hint)]


def _context(clauses: list[_Clause], also: list[_Clause]) -> str | None:
    """The container a count or volume with none of its own belongs to: the first one named."""
    for c in list(clauses) + list(also):
        for k in c.containers:
            if k not in COUNTED or k in ("ampoule", "vial"):
                return k
    return None


def _place_loose(clauses: list[_Clause], levels: list[PackageLevel], ctx: str | None,
                 strength: Quantity | None = None, common: list[PackageLevel] = ()) -> None:
    """'250 mg: 20 or 60 tablets' after 'Alu/PVC blisters in cartons': counts and volumes whose
    clause names no container go in the container the text is about (the outermost one for
    counts, the one the product is filled in for volumes)."""
    if ctx:
        # a volume no container was named for is the fill only where no fill is known
        # ("... packed in a carton with a 5 mL measuring cup")
        known_fill = any(lv.inner == "liquid" or lv.fill_volumes for lv in list(levels) + list(common))
        outer = _outermost(levels) or _outermost(list(common)) or ctx
        filled = _innermost(levels) or _innermost(list(common)) or ctx
        for c in clauses:
            for m in c.loose:
                if m.kind == "vol" and not known_fill:
                    levels.append(PackageLevel(filled, c.text, fill_volumes=m.each, inner="liquid", strength=strength))
                elif m.key and m.key != outer:
                    levels.append(PackageLevel(outer, c.text, counts=[int(v) for v in m.values], inner=m.key,
                                               strength=strength))
    # "a 10 mL bottle with a pump delivering 60 doses": a container of a size holds that much
    for c in clauses:
        for m in c.sized:
            if any(lv.container == m.key and lv.inner != "liquid" for lv in levels) and \
                    not any(lv.container == m.key and lv.inner == "liquid" for lv in levels):
                levels.append(PackageLevel(m.key, c.text, fill_volumes=m.each, inner="liquid", strength=strength))


def _name_packs(levels: list[PackageLevel]) -> None:
    """'blisters in cartons: ... in packs of 28': a pack that is not otherwise named is the
    outermost container the text names (the carton)."""
    named = [lv for lv in levels if lv.container != "pack"]
    outer = _outermost(named)
    if not outer or any(lv.inner == "pack" for lv in levels):
        return
    for lv in levels:
        # (a pack of blisters said of no carton stays a pack: each how-supplied line is its own)
        if lv.container == "pack" and lv.inner != outer and (lv.inner in COUNTED or lv.inner == "liquid"):
            lv.container = outer


def _outermost(levels: list[PackageLevel]) -> str | None:
    inners = {lv.inner for lv in levels}
    for lv in levels:
        if lv.container not in inners and lv.inner != "liquid":
            return lv.container
    return None


def _innermost(levels: list[PackageLevel]) -> str | None:
    """The container that holds no other container: the one the product itself is in."""
    holders = {lv.container for lv in levels}
    for lv in levels:
        if lv.inner and lv.inner not in COUNTED and lv.inner not in holders and lv.inner != "liquid":
            return lv.inner
    return None


def _presentations(levels: list[PackageLevel], unit_hint: str | None) -> list[Presentation]:
    """Every pack the levels allow, outermost container first with its quantity in the one above.

    Each level that holds the product itself (a fill volume, or units of presentation) roots
    a chain of the levels that hold it, outwards; a label may describe several packs."""
    if not levels:
        return []
    # a container that is filled and also counts what it gives ("16 g ... 120 sprays") is one level
    counted = {lv.container: lv for lv in levels if lv.inner in COUNTED and lv.counts}
    merged = []
    for lv in levels:
        if lv.inner == "liquid" and lv.container in counted:
            counted[lv.container].fill_volumes = counted[lv.container].fill_volumes or lv.fill_volumes
            continue
        merged.append(lv)
    levels = merged
    by_inner: dict[str | None, PackageLevel] = {}
    for lv in levels:
        # the first level with counts says what holds a thing; a later one without counts does not override it
        have = by_inner.get(lv.inner)
        if have is None or (not have.counts and lv.counts):
            by_inner[lv.inner] = lv
    roots = [lv for lv in levels if lv.inner == "liquid" or lv.inner in COUNTED
             or (lv.inner == unit_hint and unit_hint)]
    out: list[Presentation] = []
    used: set[int] = set()
    for root in roots:
        if id(root) in used or (root.inner != "liquid" and not root.counts and root.container in by_inner):
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
        unit = root.inner if root.inner in COUNTED else (unit_hint or "unit")
        cur = root.container
    used.add(id(root))
    seen = {id(lv) for lv in chain}
    while cur in by_inner and id(by_inner[cur]) not in seen:
        lv = by_inner[cur]
        chain.append(lv)
        seen.add(id(lv))
        used.add(id(lv))
        cur = lv.container
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
