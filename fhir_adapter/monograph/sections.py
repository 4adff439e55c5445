"""Segment a monograph into sections, by the section model of its family (rules/).

Headings are found with or without a colon, in any case, numbered or not, by the family's
table of synonyms (then the language's common one). Paragraphs whose heading was lost are
placed by what they say (the model's cue words) and by where they stand in the family's usual
order of sections: a small Viterbi pass over each run of untitled paragraphs picks the most
likely non-decreasing sequence of section kinds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Section, Span
from .quantities import counted_packs, doses_with_frequency
from .rules import SectionModel, section_model
from .text import Para, paragraphs

# "4.1", "4.1.", "4.1)", "(4.1)", "IV."; a dash after the number ("4 - CLINICAL") is no part of the words
_NUMBERING = re.compile(r"^\s*(?:\(?\d+(?:\.\d+)*[.)]?|[IVX]+[.)])(?:\s+[-–—:](?=\s))?\s+")


def default_model() -> SectionModel:
    return section_model("en", "ru-instruction")


@dataclass
class Block:
    """A paragraph with what the segmenter learned about it."""

    para: Para
    kind: str | None = None
    heading: str | None = None  # heading text when this paragraph is (or starts with) one
    inline: bool = False  # heading and content on one line
    content: str = ""  # the paragraph minus an inline heading
    content_start: int = 0
    label: bool = False  # a sub-heading that no synonym names ("Adults:", "Cerebrovascular diseases:")
    inferred: bool = False
    labels: list[str] = field(default_factory=list)
    confidence: float = 1.0  # see _confidence


def match_heading(text: str, model: SectionModel | None = None) -> str | None:
    c = (model or default_model()).compiled
    # "----- INDICATIONS AND USAGE -----": the rules of a highlights box are no part of the heading
    # "4.5 – Interaction with ...": a dash between the number and the words is no part of them
    t = text.strip().strip("-=_*~#| ")
    if c.numbering_word_re is not None:  # "Section 4 - CLINICAL PARTICULARS": the word before a number
        t = c.numbering_word_re.sub("", t)
    t = _NUMBERING.sub("", t).strip().lstrip("-–—:. ").rstrip(":.").strip()
    t = re.sub(r"\s+", " ", t)
    if not t or len(t) > 150:
        return None
    m = c.heading_re.fullmatch(t)
    return c.heading_kind[m.lastgroup] if m else None


_SUB_NUMBER = re.compile(r"^\(?\d+(?:\.\d+)+[.)]?\s+(?=[^\W\d_])")


def label_text(b: Block) -> str:
    """What a sub-heading says, without its number: '2.2 Paediatric Patients' -> 'Paediatric Patients'."""
    return _NUMBERING.sub("", b.para.text.strip()).rstrip(":").strip()


def _under(text: str, blocks: list[Block]) -> bool:
    """A numbered sub-heading is numbered under the heading before it ('2.1' under '2 DOSAGE');
    '6.5 Container' after '6.4 Storage' is a section heading the model has no name for."""
    n = _SUB_NUMBER.match(text.strip())
    if not n:
        return True
    head = next((b.heading for b in reversed(blocks) if b.heading), None)
    hn = re.match(r"^\s*(?:[^\W\d_]+\s+)?\(?(\d+(?:\.\d+)*)", head or "")
    return bool(hn) and n.group(0).strip().strip("().").startswith(hn.group(1) + ".")


def _is_label(text: str) -> bool:
    """A short line that reads as a sub-heading: ends with a colon, or has no final stop and few words;
    or a numbered sub-heading ('2.1 Hyperlipidemia (Heterozygous Familial and Nonfamilial)')."""
    t = text.strip()
    n = _SUB_NUMBER.match(t)
    if n:
        rest = t[n.end():]
        return len(rest) <= 160 and rest[0].isupper() and rest[-1] not in ".;,!?" and len(rest.split()) <= 20 \
            and not re.search(r"\d\s*(mg|ml|g)\b", rest)
    if len(t) > 70 or not t[0].isalpha():
        return False
    if t.endswith(":"):
        return len(t.split()) <= 9
    return t[-1] not in ".;,!?)" and len(t.split()) <= 6 and t[0].isupper() and not re.search(r"\d\s*(mg|ml|g)\b", t)


def _split_inline(p: Para, model: SectionModel) -> tuple[str, str, int] | None:
    """'Heading: content' on one line -> (kind, content, offset of content)."""
    m = re.match(r"^([^:]{2,80}):\s*(\S.*)$", p.text)
    kind = match_heading(m.group(1), model) if m else None
    if not kind:
        # "Pharmacotherapeutic group. Sedative agent.": a heading closed by a full stop
        m = re.match(r"^([^\W\d_][^.:]{2,60})\.\s+(\S.*)$", p.text)
        kind = match_heading(m.group(1), model) if m else None
        if not kind:
            # "Do not use if you are allergic to ...": a heading that runs into its text (after any
            # boilerplate such as "Drug Facts" that the line starts with)
            rx = model.compiled.run_in_re
            bare = _NUMBERING.sub("", p.text)
            bp = model.compiled.boilerplate_re.match(bare) if model.compiled.boilerplate_re else None
            if bp and bp.end() < len(bare):
                bare = bare[bp.end():].lstrip()
            r = rx.match(bare) if rx else None
            if not r:
                # "Compound One tablet contains ...", "DESCRIPTIONRound biconvex tablets": a heading
                # of the model that opens the line with no colon
                lead = _unnumbered_lead(p.text, model) if len(p.text) >= 12 else None
                if lead:
                    return match_heading(p.text[:lead[1]], model), p.text[lead[2]:], lead[2]
                return None
            lead = len(p.text) - len(bare)
            return model.compiled.run_in_kind[r.lastgroup], p.text[lead + r.end():], lead + r.end()
    return kind, m.group(2), m.start(2)


HEADINGLESS_MIN = 4  # paragraphs after the title, none of them a heading: a text whose headings were all lost
ORDER_SLACK = 4  # an inline heading within this many kinds after the one before it stands in the usual order
CUE_WINDOW = 480  # what a paragraph is about shows in its opening; long ones are not read to the end


def classify(text: str, model: SectionModel | None = None) -> dict[str, float]:
    """Cue score per section kind; each cue counts at most twice."""
    model = model or default_model()
    c = model.compiled
    hits: dict[str, int] = {}
    for m in c.cue_re.finditer(text[:CUE_WINDOW].lower()):
        g = m.lastgroup
        if hits.get(g, 0) < 2:
            hits[g] = hits.get(g, 0) + 1
    scores = dict.fromkeys(model.cues, 0.0)
    for g, n in hits.items():
        kind, w = c.cue_of[g]
        scores[kind] += w * n
    for kind, entities in model.entity_cues.items():
        for entity, w in entities:
            scores[kind] += w * min(2, ENTITIES[entity](text[:CUE_WINDOW]))
    return scores


# The entities a section model's cues may name (rules/schema/sections.schema.json): counters
ENTITIES = {"dose_with_frequency": doses_with_frequency, "counted_pack": counted_packs}


def _viterbi(blocks: list[Block], start_kind: str | None, stay_bonus: bool, next_kind: str | None,
             model: SectionModel, lead_only: bool = False) -> None:
    """Assign kinds to untitled blocks, non-decreasing in the family's usual order."""
    order, rank, inferable = model.order, model.rank, model.cues.keys()
    lo = rank.get(start_kind, 0) if start_kind else 0
    hi = rank.get(next_kind, len(order)) if next_kind else len(order)
    if hi <= lo:
        hi = len(order)
    cands = [k for k in order if k in inferable and lo < rank[k] < hi]
    if start_kind and start_kind in inferable or (start_kind and stay_bonus):
        cands = [start_kind] + [c for c in cands if c != start_kind]
    if not cands:
        cands = [start_kind or "description"]
    cands.sort(key=lambda k: rank.get(k, 0))
    switch_cost, break_bonus = 2.0, 1.6
    # scores[i][k] = best total for blocks[:i+1] ending in kind k
    best: list[dict[str, tuple[float, str | None]]] = []
    emits = _emissions(blocks, model)
    # where every paragraph is set off alike (no blank line anywhere, or one before each), no
    # boundary is stronger than another: each may be where a lost heading stood (a section under its
    # own block heading is presumed whole, so this holds only where a heading was lost or said its piece)
    under_heading = stay_bonus and not lead_only and start_kind not in (None, "description")
    even_breaks = len({b.para.gap for b in blocks[1:]}) <= 1 and (not under_heading or all(
        b.para.gap == 0 for b in blocks[1:]))
    for i, b in enumerate(blocks):
        emit = emits[i]
        in_list = i > 0 and _same_list(blocks[i - 1], b)
        row: dict[str, tuple[float, str | None]] = {}
        for k in cands:
            e = emit.get(k, 0.0)
            if k == start_kind and stay_bonus:
                # the section the text is in holds its first paragraphs most; later ones need cues
                e += (1.0 if i == 0 else 0.0) if lead_only else (1.0 if i < 2 else 0.3)
            if i == 0:
                cost = 0.0 if (k == start_kind) else (switch_cost - (break_bonus if b.para.gap >= 2 else 0.0))
                if start_kind is None:
                    cost = 0.0
                row[k] = (e - cost, None)
                continue
            options = []
            for pk, (ps, _) in best[i - 1].items():
                if rank.get(pk, 0) > rank.get(k, 0):
                    continue
                cost = 0.0
                if pk != k:
                    cost = switch_cost - (break_bonus if b.para.gap >= 2 or even_breaks else 0.0)
                    if blocks[i - 1].label or in_list:
                        cost += 5.0  # never leave a label behind, nor split one list, across sections
                options.append((ps + e - cost, pk))
            if options:
                row[k] = max(options)
        best.append(row)
    # backtrack
    k = max(best[-1].items(), key=lambda kv: kv[1][0])[0]
    for i in range(len(blocks) - 1, -1, -1):
        blocks[i].kind = k
        blocks[i].inferred = True
        blocks[i].confidence = _confidence(emits[i], k, cands, k == start_kind and stay_bonus)
        prev = best[i][k][1]
        if prev is not None:
            k = prev


LOW_CONFIDENCE = 0.5


def _confidence(emit: dict[str, float], chosen: str, cands: list[str], continues: bool) -> float:
    """How surely a paragraph's own content puts it in the kind the order chose: 1 when its cues
    point there most, their share where they point elsewhere too; with no cue at all, 0.6 for a
    paragraph that goes on the section it is in and 0.3 for one placed by position alone."""
    scores = {c: max(0.0, emit.get(c, 0.0)) for c in cands}
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return 0.6 if continues else 0.3
    return round(min(1.0, scores.get(chosen, 0.0) / top), 2)


def _is_row(b: Block) -> bool:
    return " | " in b.para.text


def _same_list(prev: Block, b: Block) -> bool:
    """b goes on prev's bulleted list or table (rows flattened to 'a | b | c' lines, no blank between)."""
    if b.para.gap:
        return False
    return (b.para.bullet and prev.para.bullet) or (_is_row(b) and _is_row(prev))


def _emissions(blocks: list[Block], model: SectionModel) -> list[dict[str, float]]:
    """Cue scores per block. A label reads as part of what follows it; the items of one bulleted
    list, or the rows of one table, share the cues of the whole, so it goes where most of it points."""
    out: list[dict[str, float]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.para.bullet or _is_row(b):
            j = i + 1
            while j < len(blocks) and _same_list(blocks[j - 1], blocks[j]):
                j += 1
            if j - i > 1:
                joined = " ".join((x.content or x.para.text)[:160] for x in blocks[i:j])
                emit = classify(joined, model)
                out += [emit] * (j - i)
                i = j
                continue
        text = b.content or b.para.text
        if b.label and i + 1 < len(blocks):
            text = text + " " + blocks[i + 1].para.text
        out.append(classify(text, model))
        i += 1
    return out


def segment(text: str, model: SectionModel | None = None) -> tuple[list[Block], list[Section]]:
    model = model or default_model()
    inferable = model.cues.keys()
    boilerplate = model.compiled.boilerplate_re
    paras = _split_run_in(_split_run_together(paragraphs(text), model), model)
    blocks: list[Block] = []
    for p in paras:
        b = Block(p, content=p.text, content_start=p.span.start)
        kind = match_heading(p.text, model)
        if kind and p.bullet and not re.match(r"^\s*\d", p.text):
            kind = None  # "- Contraindications" is an item; "2. COMPOSITION" a numbered heading
        if kind:
            p.bullet = False
        if kind and (len(p.text) < 90):
            b.kind, b.heading = kind, p.text.rstrip(":").strip()
        else:
            inline = _split_inline(p, model)
            # Inside a composition, "Active ingredient: X 5 mg" is a line of it, not a new section.
            if inline and inline[0] in ("inn", "excipients") and blocks and _open_kind(blocks) == "composition":
                inline = None
            if inline and not p.bullet:
                head = p.text[:inline[2]].strip().rstrip(":.").strip() or p.text.split(":", 1)[0].strip()
                b.kind, b.heading, b.inline = inline[0], head, True
                b.content, b.content_start = inline[1], p.span.start + inline[2]
            elif _is_label(p.text) and not p.bullet and _under(p.text, blocks):
                b.label = True
        blocks.append(b)

    _lists_are_not_labels(blocks)
    _subheadings_of_numbered(blocks, model)
    _contents_are_not_sections(blocks)
    _keep_unread_whole(blocks, model)
    # The first paragraph that is not a leaflet's boilerplate is the title; untitled ones before
    # any heading describe the product.
    first = next((b for b in blocks if b.kind is None and not (boilerplate and boilerplate.search(b.para.text))), None)
    if first is not None and not any(b.heading for b in blocks[:blocks.index(first)] if b.kind not in (None, "trade_name")):
        first.kind = "title"
        for b in blocks[:blocks.index(first)]:
            if b.kind is None:
                b.kind, b.inferred = "description", True
    # Walk runs of untitled blocks; a block heading's own content follows it.
    i, current, current_inline = 0, None, False
    while i < len(blocks):
        b = blocks[i]
        if b.kind is not None and not (b.label and b.kind is None):
            if b.heading is not None or b.kind == "title":
                current, current_inline = b.kind, b.inline
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind is None:
            j += 1
        run = blocks[i:j]
        nxt = blocks[j].kind if j < len(blocks) else None
        start = current
        if current in ("title", None):
            start = "description"
        if current_inline and current in model.inline_only:
            # An inline heading gave its line; what follows is about something else.
            start_kind = _last_block_kind(blocks, i)
            if start_kind == "title":
                start_kind = "description"
            _viterbi(run, start_kind if start_kind in inferable else None, False, nxt, model)
            for r in run:
                if r.kind is None:
                    r.kind = "description"
        elif start == "description" and current in ("title", None):
            if len(run) >= HEADINGLESS_MIN:
                # Many paragraphs after the title and no heading: headings were lost, so each
                # paragraph is placed by its content and the family's order, from the description on
                _viterbi(run, "description", True, None, model)
            else:
                for r in run:
                    r.kind, r.inferred = "description", True
        elif start in model.unread or start in model.closed:
            for r in run:  # a medication guide, a carton, clinical studies keep all of their text
                r.kind = start
        elif start in inferable and current_inline:
            # "Method of administration: oral use." said what it had to on its line: what follows
            # may be the next section, its heading lost: only the first paragraph leans to staying
            _viterbi(run, start, True, nxt, model, lead_only=True)
        elif start in inferable:
            # The first paragraph after a block heading belongs to it.
            run[0].kind = start
            if len(run) > 1:
                _viterbi(run[1:], start, True, nxt, model)
        elif start in model.inline_only:
            # "ATC code:" over "J05AB11.": a heading whose text is one line holds only that one
            run[0].kind = start
            if len(run) > 1:
                _viterbi(run[1:], start, False, nxt, model)
                for r in run[1:]:
                    if r.kind is None:
                        r.kind = start
        elif current_inline and _said_on_its_line(blocks, i, model):
            # "Inactive ingredients: a, b, c." said all it had to on its line: what follows goes
            # where its content and the order point, from here on
            _viterbi(run, start, False, nxt, model)
            for r in run:
                if r.kind is None:
                    r.kind = start
        elif current_inline and _out_of_order(blocks, i, model):
            # "excipients: ..." as a line of a Russian-style composition, its other headings lost:
            # what follows is placed by content from the section the line stands in
            before = _kind_before_heading(blocks, i)
            _viterbi(run, before if before in inferable else None, False, nxt, model)
            for r in run:
                if r.kind is None:
                    r.kind = start
        else:
            # A heading whose kind is not inferable (composition, pharmacology...): it keeps
            # its paragraphs until content says otherwise.
            for r in run:
                r.kind = start
            # ...but a paragraph after a wide gap may begin a section whose heading was lost.
            for k, r in enumerate(run):
                if k and r.para.gap >= 2:
                    _viterbi(run[k:], None, False, nxt, model)
                    break
        i = j
    return blocks, _sections(text, blocks)


# "... in section 6.1. 6.2 Incompatibilities Not applicable. 6.3 Shelf life 2 years.": a numbered
# heading where a sentence ends (or the paragraph starts), its words, then text of its own
# (or after any word but one that refers to a section: "see section 4.4 Special warnings ...")
_EMBEDDED_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2}(?:\.\d{1,2}){0,2}\.?)[ \t]+(?=[A-Z])")
_REFERS = re.compile(r"(?:\b(?:sections?|see|in|and|or|to|of|under|with|from|paragraphs?|subsections?|tables?|figures?)|[,(])\s*$",
                     re.I)


def _is_title_line(s: str) -> bool:
    """'Dosage Modifications Due to Drug Interactions': a heading line in title case, no sentence."""
    s = s.strip()
    if not s or s[-1] in ".;:!?":
        return False
    return all(w[0].isupper() or not w[0].isalpha() for w in re.findall(r"\S+", s) if len(w) > 3)
_MAX_HEADING_WORDS = 12


def _heading_prefix(text: str, model: SectionModel) -> int | None:
    """Length of the shortest run of opening words of text that is a heading and is followed by
    what starts a sentence (so "Special warnings | and precautions for use" reads on to the end)."""
    if not model.compiled.heading_start_re.match(text.lstrip("-=_*~#| ")):
        return None
    words = list(re.finditer(r"\S+", text[:200]))
    for n in range(1, min(len(words) - 1, _MAX_HEADING_WORDS) + 1):
        end = words[n - 1].end()
        rest = text[words[n].start():]
        if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "(\"'«•-"):
            continue
        if match_heading(text[:end], model):
            return end
    return None


_GLUED_CAPS = re.compile(r"^([A-ZА-ЯЁ][A-ZА-ЯЁ ,/-]{3,}?)(?=[A-ZА-ЯЁ][a-zа-яё])")


def _unnumbered_lead(text: str, model: SectionModel) -> tuple[int, int, int] | None:
    """'Compound One tablet contains: ...', 'DESCRIPTIONRound biconvex tablets', 'Storage Keep
    below 25 °C': a heading with no number, no colon and no line of its own that opens a
    paragraph -- the words of a heading the model knows, then a sentence of its own."""
    if not text[:1].isupper() or " | " in text or match_heading(text, model):
        return None  # (the header row of a table starts with what may be a heading's words too)
    g = _GLUED_CAPS.match(text)
    if g and match_heading(g.group(1), model):
        return 0, g.end(1), g.end(1)
    colon = text.find(":")
    if 0 <= colon < 60 and match_heading(text[:colon], model):
        return None  # "Heading: text" is read as an inline heading already
    head_end = _heading_prefix(text, model)
    if head_end is None or text[head_end - 1] in ".?!":
        return None  # "Keep out of reach of children. In case of ...": a sentence, read as one
    content = head_end + len(text[head_end:]) - len(text[head_end:].lstrip())
    if text[content] == "(" or text[content].isdigit() and len(text[:head_end].split()) < 2:
        return None  # "Active ingredient (in each tablet)", "NDC 71234-...": no heading and its text
    return 0, head_end, content


RUN_IN_MIN = 3  # a paragraph holds the sections of a label pasted on one line when it starts this many


def _split_run_in(paras: list[Para], model: SectionModel) -> list[Para]:
    """'Drug Facts Active ingredient ... Purpose Pain reliever Uses • temporarily relieves ...
    Warnings ...': a label whose headings run into their text, pasted from a web page as one
    line, becomes a paragraph per section. Only a heading of the model that runs in, written
    with a capital after a space, outside brackets, and at least RUN_IN_MIN of them, cut."""
    rx = model.compiled.run_in_re
    if rx is None:
        return paras
    out: list[Para] = []
    for p in paras:
        t = p.text
        if len(t) < 200:
            out.append(p)
            continue
        cuts = []
        for m in re.finditer(r"(?<=\s)(?-i:[A-Z])", t):
            i = m.start()
            if t.count("(", 0, i) > t.count(")", 0, i) or not rx.match(t[i:i + 120]):
                continue
            cuts.append(i)
        if len(cuts) < RUN_IN_MIN:
            out.append(p)
            continue
        bounds = [0, *cuts, len(t)]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            piece = t[a:b].rstrip()
            if piece.strip():
                out.append(Para(piece, Span(p.span.start + a, p.span.start + a + len(piece)), p.gap if k == 0 else 0,
                                p.bullet if k == 0 else False))
    return out


def _split_run_together(paras: list[Para], model: SectionModel) -> list[Para]:
    """Paragraphs that hold several numbered sections (a web page whose headings lost their own
    lines: "4.3 Contraindications Hypersensitivity ... 4.4 Special warnings ...") become a heading
    paragraph and a content paragraph per section. Only a number, then the words of a heading
    the model knows, then text that starts a sentence, splits."""
    out: list[Para] = []
    for p in paras:
        cuts: list[tuple[int, int, int]] = []  # (start of number, end of heading, start of content)
        if len(p.text) < 40 or not p.text[:1].isdigit() and ". " not in p.text:
            out.append(p)
            continue
        for m in _EMBEDDED_NUMBER.finditer(p.text) if len(p.text) >= 40 else ():
            if m.start() and _REFERS.search(p.text[max(0, m.start() - 12):m.start()]):
                continue
            head_end = _heading_prefix(p.text[m.end():], model)
            if head_end is None:
                continue
            h_end = m.end() + head_end
            content = h_end + len(p.text[h_end:]) - len(p.text[h_end:].lstrip())
            cuts.append((m.start(), h_end, content))
        # a section needs text of its own, not only more heading words (a table of contents, a
        # heading line in title case that merely starts with the words of a known heading)
        kept: list[tuple[int, int, int]] = []
        for c in reversed(cuts):  # a body runs to the next section kept
            body = p.text[c[2]:kept[-1][0] if kept else len(p.text)]
            if body.strip() and not _is_title_line(body):
                kept.append(c)
        cuts = kept[::-1]
        if not cuts or (len(cuts) == 1 and cuts[0][0] == 0 and match_heading(p.text, model)):
            out.append(p)
            continue
        base, prev = p.span.start, 0
        for k, (a, h_end, c) in enumerate(cuts):
            if a > prev and p.text[prev:a].strip():
                piece = p.text[prev:a].rstrip()
                out.append(Para(piece, Span(base + prev, base + prev + len(piece)), p.gap if prev == 0 else 0, p.bullet))
            out.append(Para(p.text[a:h_end], Span(base + a, base + h_end), p.gap if a == 0 else 1))
            nxt = cuts[k + 1][0] if k + 1 < len(cuts) else len(p.text)
            body = p.text[c:nxt].rstrip()
            if body:
                out.append(Para(body, Span(base + c, base + c + len(body)), 0))
            prev = nxt
    return out


def _said_on_its_line(blocks: list[Block], i: int, model: SectionModel) -> bool:
    """The inline heading before blocks[i] closed its line with a full stop, and stands where the
    family's order puts it (an 'excipients:' line inside a Russian-style composition does not:
    it is a line of the composition, and what follows is not bound to come after excipients)."""
    k = next((j for j in range(i - 1, -1, -1) if blocks[j].heading is not None), None)
    if k is None or not blocks[k].inline or not blocks[k].content.rstrip().endswith("."):
        return False
    head = blocks[k]
    before = next((b.kind for b in reversed(blocks[:k]) if b.kind), None)
    return before is None or model.rank.get(head.kind, 0) - model.rank.get(before, 0) <= ORDER_SLACK


def _kind_before_heading(blocks: list[Block], i: int) -> str | None:
    k = next((j for j in range(i - 1, -1, -1) if blocks[j].heading is not None), None)
    return next((b.kind for b in reversed(blocks[:k]) if b.kind), None) if k is not None else None


def _out_of_order(blocks: list[Block], i: int, model: SectionModel) -> bool:
    """The inline heading before blocks[i] closed its line with a full stop (a ';' goes on with
    the list) and stands far after where the family's order puts it."""
    k = next((j for j in range(i - 1, -1, -1) if blocks[j].heading is not None), None)
    if k is None or not blocks[k].inline or not blocks[k].content.rstrip().endswith("."):
        return False
    before = _kind_before_heading(blocks, i)
    return before is not None and model.rank.get(blocks[k].kind, 0) - model.rank.get(before, 0) > ORDER_SLACK


def _lists_are_not_labels(blocks: list[Block]) -> None:
    """Short lines one under another ("Microcrystalline cellulose / Croscarmellose sodium /
    Magnesium stearate") are the items of a list, not sub-headings: a label without a colon
    needs text of its own under it."""
    for i, b in enumerate(blocks):
        if not b.label or b.para.text.rstrip().endswith(":"):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        prev = blocks[i - 1] if i else None
        in_run = (nxt is not None and nxt.label and nxt.para.gap == 0) or \
                 (prev is not None and prev.para.gap >= 0 and b.para.gap == 0 and prev.label is False
                  and prev.heading is None and _short_line(prev))
        # "4.1 Active liver disease" over "4.2 Hypersensitivity ...": numbered items, not sub-headings
        numbered_run = nxt is not None and nxt.label and bool(_SUB_NUMBER.match(b.para.text.strip())) \
            and bool(_SUB_NUMBER.match(nxt.para.text.strip()))
        if nxt is None or (nxt.heading is not None and not nxt.inline) or in_run or numbered_run:
            b.label = False


def _numbered(b: Block, model: SectionModel) -> bool:
    t = b.para.text.strip()
    rx = model.compiled.numbering_word_re
    return bool(_NUMBERING.match(rx.sub("", t) if rx else t))


def _subheadings_of_numbered(blocks: list[Block], model: SectionModel) -> None:
    """Between two numbered headings in order ('4.8 Undesirable effects' ... '4.9 Overdose'), a
    heading with no number whose kind belongs elsewhere in the order ('Clinical studies',
    'Excipients' under 4.4) is a sub-heading of the section it stands in, not a new section."""
    heads = [i for i, b in enumerate(blocks) if b.heading is not None and not b.inline and _numbered(b, model)]
    rank = model.rank
    for a, c in zip(heads, heads[1:], strict=False):
        lo, hi = rank.get(blocks[a].kind, -1), rank.get(blocks[c].kind, -1)
        if lo < 0 or hi < lo:
            continue
        for b in blocks[a + 1:c]:
            if b.heading is not None and not b.inline and not (lo <= rank.get(b.kind, -1) <= hi):
                b.kind, b.heading, b.label = None, None, True


def _short_line(b: Block) -> bool:
    return len(b.para.text) <= 70 and b.para.text[-1:] not in ".;:"


def _contents_are_not_sections(blocks: list[Block]) -> None:
    """The lines of a table of contents name sections without being them: everything after a
    contents heading is contents until the text proper begins (a 'parts' heading such as FULL
    PRESCRIBING INFORMATION, a heading the contents listed already, or a paragraph of prose)."""
    i = next((k for k, b in enumerate(blocks) if b.kind == "toc" and b.heading is not None), None)
    if i is None:
        return
    seen: set[str] = set()
    for b in blocks[i + 1:]:
        key = re.sub(r"\W+", " ", (b.heading or b.para.text)).strip().lower()
        if b.heading is not None and (b.kind == "parts" or key in seen) or \
                b.heading is None and len(b.para.text) > 120:
            return
        seen.add(key)
        b.kind, b.heading, b.inline, b.label = "toc", None, False, False
        b.content, b.content_start = b.para.text, b.para.span.start


def _keep_unread_whole(blocks: list[Block], model: SectionModel) -> None:
    """Inside text that is not the label's clinical content (a medication guide, the carton), a
    heading of a kind that comes earlier in the family's order ("Inactive ingredients:", "Possible
    side effects") is part of that text, not a new section of the label."""
    unread: str | None = None
    for b in blocks:
        if b.kind is None or b.heading is None:
            continue
        if b.kind in model.unread:
            unread = b.kind
        elif unread and model.rank.get(b.kind, 0) < model.rank.get(unread, 0):
            b.kind, b.heading, b.inline, b.label = unread, None, False, False
            b.content, b.content_start = b.para.text, b.para.span.start
        else:
            unread = None


def _open_kind(blocks: list[Block]) -> str | None:
    """The kind of the section the next paragraph would continue."""
    for b in reversed(blocks):
        if b.kind is not None:
            return b.kind
    return None


def _last_block_kind(blocks: list[Block], i: int) -> str | None:
    for b in reversed(blocks[:i]):
        if b.kind and not b.inline:
            return b.kind
    return None


def _sections(text: str, blocks: list[Block]) -> list[Section]:
    out: list[Section] = []
    for b in blocks:
        starts_new = b.heading is not None or not out or out[-1].kind != b.kind
        if starts_new:
            out.append(Section(b.kind or "description", b.heading, Span(b.para.span.start, b.para.span.end),
                               inferred=b.heading is None and b.kind != "title",
                               confidence=b.confidence if b.inferred else 1.0))
        else:
            out[-1].span = Span(out[-1].span.start, b.para.span.end)
            if b.inferred:
                out[-1].confidence = min(out[-1].confidence, b.confidence)
    return out


def blocks_of(blocks: list[Block], *kinds: str) -> list[Block]:
    return [b for b in blocks if b.kind in kinds]
