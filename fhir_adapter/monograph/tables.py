"""Frequency tables pasted one cell at a time: each cell after a line holding only '|'.

An HTML table of adverse reactions (system organ class, then one column per frequency) copied from
a web page or an ePI often arrives like this:

    |
    System Organ Class
    |
    Common
    |
    Rare
    |
    Infections and infestations
    |
    Herpes zoster

    Sepsis
    |
    ...

Its rows are lost, but its head says how many columns it has. The table is rebuilt as one row per
line, cells between ' | ', each cell led by its column's frequency and its paragraphs (one reaction
each) between '; ':

    Infections and infestations | Common | Herpes zoster; Sepsis | Rare | ...

Only a head of frequency words tells the columns for certain; a table with any other head is left
as it is.
"""
from __future__ import annotations

import re
from itertools import pairwise

from .lexicon import alternation, lexicon

_BAR = re.compile(r"^[ \t]*\|[ \t]*$", re.M)
_MAX_GAP_LINES = 40  # a cell longer than this is prose after the table, not a cell
_MAX_GAP_CHARS = 3000
_MIN_ROWS = 2  # the head and at least this many rows
_FREQUENCY_HEAD = re.compile(r"^(?:" + alternation(lexicon().effect_frequencies) + r")\b", re.I)
_PARA_BREAK = re.compile(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")

Edit = tuple[int, int, str]


def _runs(text: str) -> list[list[re.Match]]:
    """The '|' lines, in runs close enough together to be one table."""
    runs: list[list[re.Match]] = []
    for m in _BAR.finditer(text):
        if runs:
            prev = runs[-1][-1]
            gap = text[prev.end():m.start()]
            if len(gap) <= _MAX_GAP_CHARS and gap.count("\n") <= _MAX_GAP_LINES:
                runs[-1].append(m)
                continue
        runs.append([m])
    return [r for r in runs if len(r) >= 4]


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """The stripped extent of text[start:end] (empty: start == end)."""
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    return start + lead, start + len(seg.rstrip()) if seg.strip() else start + lead


def _blank_before(text: str, bar_end: int, start: int) -> bool:
    return text.count("\n", bar_end, start) > 1


def _blank_style(text: str, run: list[re.Match]) -> bool:
    """Whether this table's cells stand after a blank line below their '|' (most of them do, or not)."""
    votes = [_blank_before(text, a.end(), _content(text, a.end(), b.start())[0])
             for a, b in pairwise(run) if text[a.end():b.start()].strip()]
    return sum(votes) * 2 > len(votes)


def _columns(heads: list[str]) -> tuple[int, list[str | None]] | None:
    """From the first cells: how many columns, and each column's frequency (None for the label
    column). The label column, when there is one, comes first and names no frequency."""
    labels: list[str | None] = []
    for i, h in enumerate(heads):
        m = _FREQUENCY_HEAD.match(h)
        if m:
            labels.append(m.group(0))
        elif i == 0:
            labels.append(None)  # "System Organ Class", or nothing
        else:
            break
    n_freq = sum(1 for x in labels if x)
    return (len(labels), labels) if n_freq >= 2 else None


def frequency_table_edits(text: str) -> list[Edit]:
    """Edits (start, end, replacement) that rebuild every frequency table laid out one cell per
    line, in order; the cells' own text is kept character for character."""
    edits: list[Edit] = []
    for run in _runs(text):
        # a cell is what stands between one '|' line and the next; the last one, after the final
        # '|', ends at the first blank line
        cells = [_content(text, a.end(), b.start()) for a, b in pairwise(run)]
        tail_start = run[-1].end()
        tail_start += len(text[tail_start:tail_start + 400]) - len(text[tail_start:tail_start + 400].lstrip())
        tail_para = _PARA_BREAK.search(text, tail_start)
        tail = _content(text, tail_start, tail_para.start() if tail_para else len(text))
        cols = _columns([text[s:e] for s, e in cells[:12]])
        if not cols:
            continue
        n, labels = cols
        end = run[-1].end()
        if len(cells) % n:
            # the last row's last cell: what follows the final '|' as the other cells follow
            # theirs (on the next line, or after a blank line); else that cell is empty
            if _blank_before(text, run[-1].end(), tail[0]) == _blank_style(text, run):
                cells.append(tail)
                end = tail[1]
            else:
                cells.append((end, end))
        if len(cells) % n or len(cells) < n * (1 + _MIN_ROWS):
            continue
        rows = [cells[i:i + n] for i in range(0, len(cells), n)]
        if labels[0] is None and sum(1 for r in rows[1:] if r[0][1] > r[0][0]) < 0.8 * (len(rows) - 1):
            continue  # rows without a label: the columns were not told right
        edits += _rebuild(text, run[0].start(), end, rows, labels)
    return edits


def _rebuild(text: str, start: int, end: int, rows: list[list[tuple[int, int]]],
             labels: list[str | None]) -> list[Edit]:
    """Edits for one table: from `start` (its first '|' line) to `end` (the end of its last cell or
    of the '|' line after it)."""
    edits: list[Edit] = []
    pos = start  # the end of what has been rebuilt so far
    for r, row in enumerate(rows):
        first = True
        for c, (s, e) in enumerate(row):
            if e <= s:
                continue  # an empty cell, and its column's label with it
            label = f"{labels[c]} | " if labels[c] and r else ""
            if pos == start:
                sep = ""
            elif first:
                sep = "\n" + label
            else:
                sep = " | " + label
            edits.append((pos, s, sep))
            edits += _inside_cell(text, s, e)
            pos, first = e, False
    if end > pos:
        edits.append((pos, end, ""))
    return edits


def _inside_cell(text: str, s: int, e: int) -> list[Edit]:
    """A cell's paragraphs (one reaction each) joined by '; ', its wrapped lines by a space; a
    paragraph that continues a bracket or a list ('...skin\\n\\ninfections)') by a space."""
    out: list[Edit] = []
    for m in _PARA_BREAK.finditer(text, s, e):
        before = text[s:m.start()]
        cont = before.count("(") > before.count(")") or before.rstrip().endswith((",", "-", "/")) \
            or text[m.end():m.end() + 1].islower()
        out.append((m.start(), m.end(), " " if cont else "; "))
    breaks = {(a, b) for a, b, _ in out}
    for m in _LINE_BREAK.finditer(text, s, e):
        if not any(a <= m.start() < b for a, b in breaks):
            out.append((m.start(), m.end(), " "))
    return sorted(out)
