"""Storage conditions and shelf life."""
from __future__ import annotations

import re

from .lexicon import alternation, lexicon
from .model import Quantity, Span, StorageCondition
from .quantities import NUM, TIME_WORDS, num
from .sections import Block
from .text import sentences

_DEG = r"\s*(?:°|º|degrees?)\s*(?:C|Celsius)\b|\s*°?\s*C\b"
_RANGE = re.compile(rf"(?:from\s+|between\s+|of\s+|at\s+|от\s+)?(?P<lo>[-+−]?{NUM})\s*(?:°\s*C?\s*)?(?:-|–|to|and|до)\s*(?P<hi>[-+−]?{NUM})(?:{_DEG})", re.I)
_LX = lexicon().storage
_MAX = re.compile(r"(?:not exceeding|not above|not higher than|not more than|below|under|up to|does not exceed|"
                  r"not to exceed|do not store above|store below|at or below|≤|<"
                  + "".join(f"|{p}" for p in _LX.get("maximum", [])) + rf")\s*(?P<v>[-+−]?{NUM})(?:{_DEG})", re.I)
_LIGHT = re.compile(r"protect\w* from (?:the )?light|away from light|in (?:a|the) dark|light-?protect|from direct sunlight"
                    + "".join(f"|{p}" for p in _LX.get("light", [])), re.I)
_FREEZING = re.compile(r"do not freeze|protect\w* from freezing|not be frozen"
                       + "".join(f"|{p}" for p in _LX.get("freezing", [])), re.I)
_MIN = re.compile(rf"(?:not below|not lower than|not less than|above|at least|≥)\s*(?P<v>[-+−]?{NUM})(?:{_DEG})", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "thirty": 30, "thirty-six": 36}
_SHELF = re.compile(rf"(?P<v>{NUM}|{'|'.join(sorted(_WORDS, key=len, reverse=True))})\s*\(?\s*(?:\d+\s*\)\s*)?"
                    rf"(?P<u>years?|months?|weeks?|days?|{alternation(w for w, u in TIME_WORDS.items() if u in ('a', 'mo', 'wk', 'd') and not w.isascii())})\b",
                    re.I)


def _n(s: str) -> float:
    return num(s.replace("−", "-").replace("+", ""))


def read_storage(blocks: list[Block]) -> StorageCondition | None:
    cond: StorageCondition | None = None
    for b in blocks:
        if b.heading and not b.inline:
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        span = Span(off, off + len(text))
        if cond is None:
            cond = StorageCondition(span)
        else:
            cond.span = Span(cond.span.start, span.end)
        used = False
        m = _RANGE.search(text)
        if m and cond.temperature_low is None and cond.temperature_high is None:
            lo, hi = sorted((_n(m.group("lo")), _n(m.group("hi"))))
            cond.temperature_low, cond.temperature_high = lo, hi
            used = True
        else:
            mx = _MAX.search(text)
            if mx and cond.temperature_high is None:
                cond.temperature_high = _n(mx.group("v"))
                used = True
            mn = _MIN.search(text)
            if mn and mx and mn.start() < mx.end() and mx.start() < mn.end():
                mn = None  # "do not store above 30 °C" is a maximum, not "above 30 °C"
            if mn and cond.temperature_low is None:
                cond.temperature_low = _n(mn.group("v"))
                used = True
        if _LIGHT.search(text):
            cond.protect_from_light = True
            used = True
        if re.search(r"\bdry\b|protect\w* from (?:moisture|humidity)", text, re.I):
            cond.dry = True
            used = True
        if _FREEZING.search(text):
            cond.protect_from_freezing = True
            used = True
        for sent, _ in sentences(text):
            if not used or not re.search(r"\d|light|dry|freez", sent, re.I):
                cond.notes.append(sent)
    return cond


def read_shelf_life(blocks: list[Block]) -> tuple[Quantity | None, Span | None]:
    for b in blocks:
        if b.heading and not b.inline:
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        m = _SHELF.search(text)
        if m:
            v = m.group("v").lower()
            value = _WORDS[v] if v in _WORDS else num(v)
            return Quantity(value, TIME_WORDS[m.group("u").lower()]), Span(off + m.start(), off + m.end())
    return None, None
