"""The first pipeline component: text as pasted -> text the readers can rely on, with a map back.

What it mends, each a rule below: Windows line ends, form feeds and page furniture of PDF
pastes (page numbers, running headers repeated at every page, "Reference ID" footers), words
hyphenated across a line break, soft hyphens and zero-width characters, exotic spaces and
dashes, micro signs, ligatures, and tab-separated table cells (which become " | " cells, as
tables flattened into text are written elsewhere).

Every later component reads `Normalised.text`; every span it makes is in that text's
coordinates, and `to_source` turns it back into a span of the text the user gave, which is
what the DocumentReference holds and the source-span extension points into.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass

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
_TAB_CELLS = re.compile(r"[ ]*\t+[ \t]*|[ ]{3,}")
_DEGREE_LOOKALIKE = re.compile(r"(?<=\d)[\u2070\u00ba\u02da](?=\s?(?:[CF]\b|[-–]\s?\d|to\s+\d))")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|[.,]\d)")
_RUNNING_MIN = 3  # a short line repeated at this many page breaks is a running header or footer


@dataclass
class Normalised:
    source: str
    text: str
    offsets: array  # offsets[i] = index in source of text[i]; one more entry for the end
    changes: Counter  # rule name -> how often it applied

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of `text` as the span of `source` it came from."""
        n = len(self.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        if end <= start:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


class _Builder:
    """Text built piece by piece, each piece knowing where in the source it starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets = array("l")

    def keep(self, s: str, src_start: int) -> None:
        self.parts.append(s)
        self.offsets.extend(range(src_start, src_start + len(s)))

    def put(self, s: str, src_at: int) -> None:
        """Text that replaces something else: all of it maps to one source position."""
        self.parts.append(s)
        self.offsets.extend([src_at] * len(s))


def _running_lines(lines: list[str]) -> set[str]:
    """Short lines that repeat at page breaks (form feeds) or many times over: running heads."""
    counts = Counter(s.strip() for s in lines if 0 < len(s.strip()) <= 80)
    pages = sum(1 for s in lines if "\f" in s) + 1
    if pages < _RUNNING_MIN:
        return set()
    return {s for s, n in counts.items() if n >= max(_RUNNING_MIN, pages - 1) and not s.endswith(":")
            and not re.fullmatch(r"[-–—|=_*•\s]+", s)}


def normalise(source: str) -> Normalised:
    changes: Counter = Counter()
    # Pass 1, per character: the same length, so offsets stay as they are.
    text = source.translate(_CHAR_MAP)
    # "25⁰C", "25ºC", "25˚C": a superscript zero, an ordinal or a ring written for the degree sign
    text = _DEGREE_LOOKALIKE.sub("°", text)
    b = _Builder()
    lines = text.splitlines(keepends=True)
    running = _running_lines(lines)
    pos = 0
    for raw in lines:
        line = raw.rstrip("\r\n\f")
        ending = raw[len(line):]
        stripped = line.replace("\f", "").strip()
        if "\f" in line or "\f" in ending:
            changes["page break"] += 1
        if stripped and (_FURNITURE.match(stripped) or stripped in running):
            changes["page furniture"] += 1
            pos += len(raw)
            continue  # the whole line and its line end go
        i = 0
        for m in _TAB_CELLS.finditer(line):
            if not line[:m.start()].strip() or not line[m.end():].strip():
                continue  # indentation or trailing tabs are no cell boundary
            _keep_chars(b, line[i:m.start()], pos + i, changes)
            b.put(" | ", pos + m.start())
            changes["table cells"] += 1
            i = m.end()
        _keep_chars(b, line[i:], pos + i, changes)
        # A line end is "\n" whatever it was ("\r\n", "\f"): one character at the end's place.
        if ending:
            b.put("\n", pos + len(line))
        pos += len(raw)
    joined = "".join(b.parts)
    offsets = b.offsets
    # Pass 2: words broken by a hyphen at a line end are joined again.
    if _HYPHEN_BREAK.search(joined):
        b2 = _Builder()
        i = 0
        words = Counter(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", joined))
        for m in _HYPHEN_BREAK.finditer(joined):
            a, w = m.group("a"), m.group("b")
            if words[f"{a}-{w}".lower()] > words[f"{a}{w}".lower()]:
                continue  # "film-coated" written so elsewhere: a compound, not a broken word
            cut = m.start() + len(a)
            b2.parts.append(joined[i:cut])
            b2.offsets.extend(offsets[i:cut])
            i = m.start("b")
            changes["hyphenated line break"] += 1
        b2.parts.append(joined[i:])
        b2.offsets.extend(offsets[i:len(joined)])
        joined, offsets = "".join(b2.parts), b2.offsets
    # Pass 3: thousands separators ("1,500 mg", "1/10,000") go, so no reader takes them for a decimal comma.
    if _THOUSANDS.search(joined):
        b3 = _Builder()
        i = 0
        for m in _THOUSANDS.finditer(joined):
            for k, ch in enumerate(m.group(0)):
                if ch == ",":
                    b3.parts.append(joined[i:m.start() + k])
                    b3.offsets.extend(offsets[i:m.start() + k])
                    i = m.start() + k + 1
            changes["thousands separator"] += 1
        b3.parts.append(joined[i:])
        b3.offsets.extend(offsets[i:len(joined)])
        joined, offsets = "".join(b3.parts), b3.offsets
    offsets.append(len(source))
    return Normalised(source, joined, offsets, changes)


def _keep_chars(b: _Builder, s: str, src_start: int, changes: Counter) -> None:
    """Copy s, dropping invisible characters and opening ligatures."""
    if not any(c in _DROP or c in _LIGATURES for c in s):
        b.keep(s, src_start)
        return
    run = 0
    for k, c in enumerate(s):
        if c in _DROP or c in _LIGATURES:
            b.keep(s[run:k], src_start + run)
            if c in _LIGATURES:
                b.put(_LIGATURES[c], src_start + k)
                changes["ligature"] += 1
            else:
                changes["invisible character"] += 1
            run = k + 1
    b.keep(s[run:], src_start + run)


def restore_spans(obj, norm: Normalised, _seen: set | None = None):
    """Every Span inside obj (dataclasses, lists, tuples, dicts), mapped back to source offsets.

    Spans are frozen, so each is replaced in its holder; the walk visits each object once."""
    from dataclasses import fields, is_dataclass

    from .model import Span

    seen = _seen if _seen is not None else set()
    if id(obj) in seen:
        return obj
    if isinstance(obj, Span):
        return Span(*norm.to_source(obj.start, obj.end))
    seen.add(id(obj))
    if is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            v = getattr(obj, f.name)
            if v is not None and not isinstance(v, str | int | float | bool):
                setattr(obj, f.name, restore_spans(v, norm, seen))
    elif isinstance(obj, list):
        obj[:] = [restore_spans(v, norm, seen) for v in obj]
    elif isinstance(obj, tuple):
        return tuple(restore_spans(v, norm, seen) for v in obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            obj[k] = restore_spans(v, norm, seen)
    return obj
