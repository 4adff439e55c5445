"""Low-level text helpers: lines and paragraphs with offsets, sentence and list splitting."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

_END_PUNCT = ".;:!?)"
_DANGLING = re.compile(r"\b(?:of|the|a|an|and|or|with|to|in|for|by|from|on|at|as|than|that|which|is|are|"
                       r"was|were|be|been|has|have|its|their|such|including|into|per|not)$", re.I)
_RULE = re.compile(r"[|+\-–—=_*\s]+")
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪●]|\d{1,2}[.)](?!\d)|[a-z][.)])\s+")


@dataclass
class Para:
    """A paragraph: one or more physical lines joined when a line was only wrapped."""

    text: str
    span: Span
    gap: int  # blank lines before it
    bullet: bool = False
    ruled: bool = False  # a rule ("-", "***", "|") stood on a line of its own before it


def lines_with_offsets(text: str) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        out.append((line, pos, pos + len(line)))
        pos += len(raw)
    return out


def _is_wrapped(prev: str, nxt: str) -> bool:
    """True when prev is the first part of a sentence that a hard line break cut."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or _BULLET.match(nxt):
        return False
    if " | " in p and " | " in n:
        return False  # rows of a table flattened into text: each row is its own line
    if p[-1] in _END_PUNCT:
        return False
    # A line that stops on a word that cannot end a sentence was cut ("during the use of").
    if _DANGLING.search(p):
        return True
    # A cut sentence goes on in lower case (or with a number or bracket) on the next line.
    return n[0].islower() or (len(p) > 55 and n[0] in "(0123456789")


def paragraphs(text: str) -> list[Para]:
    out: list[Para] = []
    gap = 0
    ruled = False
    for line, start, end in lines_with_offsets(text):
        stripped = line.strip()
        # Blank lines and the cell rules of a table flattened into text separate nothing else.
        if not stripped or _RULE.fullmatch(stripped):
            gap += 1
            ruled = ruled or bool(stripped)
            continue
        lead = len(line) - len(line.lstrip())
        # A bracket left open goes on after a line break, even a blank line (flattened tables).
        unclosed = bool(out) and out[-1].text.count("(") > out[-1].text.count(")") and gap <= 2
        if out and (unclosed or gap == 0 and _is_wrapped(out[-1].text, stripped)):
            last = out[-1]
            # "anti-" at a line end goes on in the next word: no space inside the word
            joiner = "" if re.search(r"[a-z]-$", last.text) and stripped[0].islower() else " "
            last.text = f"{last.text}{joiner}{stripped}"
            last.span = Span(last.span.start, end)
        else:
            out.append(Para(stripped, Span(start + lead, start + lead + len(stripped)), gap,
                            bool(_BULLET.match(stripped)), ruled))
        gap = 0
        ruled = False
    return out


def strip_bullet(s: str) -> str:
    return _BULLET.sub("", s, count=1).strip()


def split_top_level(s: str, seps: str) -> list[tuple[str, int]]:
    """Split on any of seps outside brackets; returns (piece, offset in s) with pieces stripped."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            # A comma or full stop inside a number (0,5 mg; 2.5) is not a separator.
            if ch in ",." and 0 < i < len(s) - 1 and s[i - 1].isdigit() and s[i + 1].isdigit():
                continue
            out.append((s[start:i], start))
            start = i + 1
    out.append((s[start:], start))
    res = []
    for piece, off in out:
        lead = len(piece) - len(piece.lstrip())
        p = piece.strip()
        if p:
            res.append((p, off + lead))
    return res


_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|approx|incl|vs|No|Fig|min|max|cf|Dr|St)\.$", re.I)


_SENT_MARK = re.compile(r"[.!?()\[\]]")


def sentences(s: str) -> list[tuple[str, int]]:
    """Split into sentences (with offsets), keeping abbreviations and decimals intact."""
    out, start, depth = [], 0, 0
    # Only brackets and stops matter; the scan jumps from one to the next.
    for m in _SENT_MARK.finditer(s):
        ch, i = m.group(0), m.start()
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            nxt = s[i + 1:i + 3]
            if (not nxt or nxt[0] == " " and (len(nxt) < 2 or nxt[1].isupper() or nxt[1].isdigit()
                                              or nxt[1] in "(\"'«-–")) \
                    and not _ABBREV.search(s[start:i + 1]):
                out.append((s[start:i + 1], start))
                start = i + 1
    if s[start:].strip():
        out.append((s[start:], start))
    res = []
    for piece, off in out:
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            res.append((piece.strip(), off + lead))
    return res


def norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
