"""The first pipeline component: text as pasted -> text the readers can rely on, with a map back.

What it mends, each a rule below: Windows line ends, form feeds and page furniture of PDF
pastes (page numbers, running headers repeated at every page, "Reference ID" footers), words
hyphenated across a line break, soft hyphens and zero-width characters, exotic spaces and
dashes, micro signs, ligatures, tab-separated table cells (which become " | " cells, as
tables flattened into text are written elsewhere), and frequency tables pasted one cell per
line (tables.py: rebuilt as rows).

Every later component reads `Normalised.text`; every span it makes is in that text's
coordinates, and `to_source` turns it back into a span of the text the user gave, which is
what the DocumentReference holds and the source-span extension points into.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from .tables import frequency_table_edits

# One character for another: the length never changes, so these need no map.
_CHAR_MAP = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u03bc": "µ",  # Greek mu written for the micro sign: "μg" and "µg" are one unit
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2264": "≤", "\u2265": "≥",
})
# Characters that stand for nothing in the text: removed (the map keeps the offsets).
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}

# Lines that are page furniture, never content: "Page 3 of 12", "- 3 -", "3 / 12",
# "Reference ID: 4567890" (FDA label PDFs).
_FURNITURE = re.compile(
    r"^\s*(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|reference id:\s*\d+|стр(?:аница)?\.?\s*\d+"
    r"(?:\s*из\s*\d+)?)\s*$", re.I)
# A word broken at a line end by a hyphen: "hyper-\nsensitivity".
_HYPHEN_BREAK = re.compile(r"(?P<a>[^\W\d_]+)-[ \t]*\n[ \t]*(?P<b>[^\W\d_A-ZА-Я][^\W\d_]*)")
# Cells of a table flattened into text: tabs, or three spaces or more between words.
_DEGREE_LOOKALIKE = re.compile(r"(?<=\d)[\u2070\u00ba\u02da](?=\s?(?:[CF]\b|[-–]\s?\d|to\s+\d))")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|[.,]\d)")
_CYRILLIC_CELSIUS = re.compile(r"(?<=°)(\s?)С(?![^\W\d_])")
# "[see\nWarnings and Precautions (5.1)\n]." (a web page's links, each on a line of its own): a bracket
# that closes within a few lines is one aside of the paragraph it opened in
_BROKEN_BRACKET = re.compile(r"\[(?:[^\[\]\n]|\n(?!\s*\n)){0,600}?\n(?!\s*\n)(?:[^\[\]\n]|\n(?!\s*\n)){0,600}?\]")
_RUNNING_MIN = 3  # a short line repeated at this many page breaks is a running header or footer


class _Pass:
    """One rewrite of the whole text, as anchors: from text position a on, positions advance one for
    one from source position b, until the next anchor. No anchor at all: nothing changed."""

    __slots__ = ("anchors_out", "anchors_in")

    def __init__(self) -> None:
        self.anchors_out: list[int] = []
        self.anchors_in: list[int] = []

    def map(self, pos: int) -> int:
        k = bisect_right(self.anchors_out, pos) - 1
        if k < 0:
            return pos
        return self.anchors_in[k] + (pos - self.anchors_out[k])


def _rewrite(text: str, matches, replace) -> tuple[str, _Pass]:
    """text with each match edited, and how the result maps back. replace(match) gives None (keep it),
    a string (for the whole match) or a list of (start, end, replacement) edits inside it, so a
    replacement that drops one character ("1,500") maps every other one exactly."""
    out: list[str] = []
    p = _Pass()
    i = n = 0
    for m in matches:
        r = replace(m)
        if r is None:
            continue
        for start, end, repl in ([(m.start(), m.end(), r)] if isinstance(r, str) else r):
            out.append(text[i:start])
            n += start - i
            # the replacement maps onto the start of what it replaces, what follows onto its end
            p.anchors_out.append(n)
            p.anchors_in.append(start)
            out.append(repl)
            n += len(repl)
            p.anchors_out.append(n)
            p.anchors_in.append(end)
            i = end
    if not p.anchors_out:
        return text, p
    out.append(text[i:])
    return "".join(out), p


@dataclass
class Normalised:
    source: str
    text: str
    passes: list  # each rewrite, in order; positions map back through them in reverse
    changes: Counter  # rule name -> how often it applied

    @property
    def identity(self) -> bool:
        return not self.passes

    def _back(self, pos: int) -> int:
        for p in reversed(self.passes):
            pos = p.map(pos)
        return pos

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of `text` as the span of `source` it came from."""
        n = len(self.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        if end <= start:
            s = self._back(start)
            return s, s
        return self._back(start), self._back(end - 1) + 1


def _running_lines(text: str) -> set[str]:
    """Short lines that repeat at page breaks (form feeds) many times over: running heads and feet."""
    pages = text.count("\f") + 1
    if pages < _RUNNING_MIN:
        return set()
    counts = Counter(s.strip() for s in re.split(r"[\n\f]", text) if 0 < len(s.strip()) <= 80)
    return {s for s, n in counts.items() if n >= max(_RUNNING_MIN, pages - 1) and not s.endswith(":")
            and not re.fullmatch(r"[-–—|=_*•\s]+", s)}


_LINE_END = re.compile(r"\r\n|[\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile("[" + "".join(_DROP) + "".join(_LIGATURES) + "]")
_DOT_LEADER = re.compile(r"(?<=\S)[ \t]*\.{4,}[ \t]*(?=[^\s.])")
_CELL_GAP = re.compile(r"(?<=\S)(?:[ ]*\t+[ \t]*|[ ]{3,})(?=\S)")
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")
_HYPHEN_GAP = re.compile(r"-[ \t]+\n")
_THOUSANDS_HINT = re.compile(r"\d,\d\d\d")
# The start of a line that could be page furniture: one scan finds the lines worth a closer look.
_FURNITURE_LINE = re.compile(r"^[ \t]*(?P<line>(?:page|-\s*\d|\d+\s*/|reference id|стр)[^\n]*?)[ \t]*(?:\n|\Z)",
                             re.M | re.I)
_ANY_LINE = re.compile(r"^[ \t]*(?P<line>[^\n]*?)[ \t]*(?:\n|\Z)", re.M)


def normalise(source: str) -> Normalised:
    changes: Counter = Counter()
    passes: list[_Pass] = []

    def apply(text: str, rx: re.Pattern, replace, rule: str) -> str:
        if not rx.search(text):
            return text
        counted = 0

        def counting(m):
            nonlocal counted
            r = replace(m)
            if r is not None:
                counted += 1
            return r

        out, p = _rewrite(text, rx.finditer(text), counting)
        if p.anchors_out:
            passes.append(p)
            changes[rule] += counted
        return out

    # One character for another keeps every offset: no pass to record. (Each rule is tried only
    # where a cheap test says it may apply: most texts need few of them.)
    text = source.translate(_CHAR_MAP) if _MAPPED.search(source) else source
    # "25⁰C", "25ºC", "25˚C": a superscript zero, an ordinal or a ring written for the degree sign
    if "\u2070" in text or "\u00ba" in text or "\u02da" in text:
        text = _DEGREE_LOOKALIKE.sub("°", text)
    if "°" in text and "С" in text:  # "25 °С" with a Cyrillic Es is degrees Celsius
        text = _CYRILLIC_CELSIUS.sub(r"\1C", text)
    running = _running_lines(text) if "\f" in text else set()
    changes["page break"] = text.count("\f")
    text = apply(text, _LINE_END, lambda m: "\n", "line end")
    text = apply(text, _ANY_LINE if running else _FURNITURE_LINE,
                 lambda m: "" if m.group("line") and (_FURNITURE.match(m.group("line"))
                                                      or m.group("line") in running) else None,
                 "page furniture")
    if "\n|" in text:  # adverse-reaction tables pasted one cell per line
        table_edits = frequency_table_edits(text)
        if table_edits:
            text, p = _rewrite(text, [None], lambda _: table_edits)
            passes.append(p)
            changes["frequency table rebuilt"] += 1
    if "\t" in text or "   " in text:
        text = apply(text, _CELL_GAP, lambda m: " | ", "table cells")
    if "...." in text:  # "Chlorpheniramine maleate 4 mg ........ Antihistamine": dot leaders part cells
        text = apply(text, _DOT_LEADER, lambda m: " | ", "dot leader")
    if "[" in text:  # newline for space keeps every offset
        text = _BROKEN_BRACKET.sub(lambda m: m.group(0).replace("\n", " "), text)
    text = apply(text, _INVISIBLE, lambda m: _LIGATURES.get(m.group(0), ""), "invisible character or ligature")
    if "-\n" in text or _HYPHEN_GAP.search(text):
        words = Counter(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text))

        def join(m):
            a, w = m.group("a"), m.group("b")
            if words[f"{a}-{w}".lower()] > words[f"{a}{w}".lower()]:
                return None  # "film-coated" written so elsewhere: a compound, not a broken word
            return [(m.end("a"), m.start("b"), "")]
        text = apply(text, _HYPHEN_BREAK, join, "hyphenated line break")
    if _THOUSANDS_HINT.search(text):
        text = apply(text, _THOUSANDS, lambda m: [(m.start() + k, m.start() + k + 1, "")
                                                  for k, c in enumerate(m.group(0)) if c == ","],
                     "thousands separator")
    return Normalised(source, text, passes, +changes)


def restore_spans(obj, norm: Normalised):
    """Every Span inside obj (dataclasses, lists, tuples, dicts), mapped back to source offsets.

    Spans are frozen, so each is replaced in its holder; the walk visits each object once."""
    from .model import Span

    if norm.identity:
        return obj
    seen: set[int] = set()
    scalar = (str, int, float, bool, type(None))

    def fix(v):
        if isinstance(v, scalar):
            return v
        if type(v) is Span:
            return Span(*norm.to_source(v.start, v.end))
        if id(v) in seen:
            return v
        seen.add(id(v))
        if isinstance(v, list):
            v[:] = [fix(x) for x in v]
        elif isinstance(v, tuple):
            return tuple(fix(x) for x in v)
        elif isinstance(v, dict):
            for k in v:
                v[k] = fix(v[k])
        elif hasattr(v, "__dataclass_fields__"):
            d = v.__dict__
            for k, x in d.items():
                if not isinstance(x, scalar):
                    d[k] = fix(x)
        return v

    return fix(obj)
