"""Segment a monograph into sections.

Headings are found with or without a colon, in any case, numbered or not, by a table of
synonyms. Paragraphs whose heading was lost are placed by what they say (cue words) and
by where they stand in the usual order of sections: a small Viterbi pass over each run of
untitled paragraphs picks the most likely non-decreasing sequence of section kinds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Section, Span
from .text import Para, paragraphs

# The usual order of sections in a Russian-style instruction, an SmPC and a US PI alike.
ORDER = [
    "title", "description", "trade_name", "inn", "composition", "dose_form", "appearance", "parts",
    "pharmacotherapeutic_group", "atc", "pharmacology", "pharmacodynamics",
    "pharmacokinetics", "indications", "contraindications", "cautions", "pregnancy",
    "dosage", "administration", "undesirable_effects", "overdose", "interactions",
    "warnings", "driving", "excipients", "incompatibilities", "release_form", "packaging", "storage", "shelf_life",
    "dispensing", "manufacturer", "registration",
]
RANK = {k: i for i, k in enumerate(ORDER)}

_H = [
    ("trade_name", r"trade name|invented name|proprietary name|brand name|name of the medicinal product"),
    ("parts", r"clinical particulars|pharmaceutical particulars|full prescribing information"),
    ("excipients", r"list of excipients|excipients|inactive ingredients"),
    ("incompatibilities", r"incompatibilities"),
    ("inn", r"international non-?proprietary name|inn|active ingredients?|generic name"),
    ("composition", r"(qualitative and quantitative )?composition( per .*| of .*)?|ingredients"),
    ("dose_form", r"(dosage|pharmaceutical) forms?|dosage forms? and strengths?"),
    ("appearance", r"description|appearance|physical description"),
    ("pharmacotherapeutic_group", r"pharmaco-?therapeutic group|pharmacological group|therapeutic class"),
    ("atc", r"atc( code)?|code atc"),
    ("pharmacology", r"pharmacological (properties|action)|clinical pharmacology|pharmacology|pharmacological effects?"),
    ("pharmacodynamics", r"pharmacodynamics?|pharmacodynamic properties|mechanism of action"),
    ("pharmacokinetics", r"pharmacokinetics?|pharmacokinetic properties"),
    ("indications", r"(therapeutic )?indications?( for use| and usage)?|use"),
    ("contraindications", r"contra-?indications?"),
    ("cautions", r"with caution|precautions( for use)?|use with caution|cautions?"),
    ("pregnancy", r"(use (during|in) )?(pregnancy|fertility)(,? (and )?(lactation|breast-?feeding)( period)?)*"
                  r"( and (lactation|breast-?feeding)( period)?)?|fertility, pregnancy and lactation"
                  r"|use in specific populations|lactation|breast-?feeding"),
    ("dosage", r"(directions for use and )?dosage( and administration| regimen)?|posology( and method of administration)?"
               r"|method of administration and dos(age|es)|dosage and method of administration|directions for use"
               r"|method of administration|route of administration|how to use"),
    ("undesirable_effects", r"side effects?|adverse (reactions|effects|events|drug reactions)|undesirable effects"),
    ("overdose", r"overdos(e|age)"),
    ("interactions", r"(drug )?interactions?( with other (drugs|medicinal products|medicines))?"
                     r"( and other forms of interaction)?|interaction with other medicinal products.*"),
    ("warnings", r"special (instructions|warnings)( and precautions( for use)?)?|warnings( and precautions)?"
                 r"|special warnings and precautions for use|precautions and warnings"),
    ("driving", r"(impact|effect|influence) on the ability to drive.*|effects on ability to drive.*|driving.*"),
    ("release_form", r"(form release|release form|form of release)( ?/ ?dosage)?|how supplied(/storage and handling)?"),
    ("packaging", r"packaging|package|nature and contents of container|packs?"),
    ("storage", r"storage( conditions)?|special precautions for storage|storage and handling|conditions of storage"),
    ("shelf_life", r"shelf[- ]life|best before( date)?|expiry date|expiration date"),
    ("dispensing", r"(conditions|terms) of (dispensing|supply|sale)( from pharmacies)?|dispensing conditions|legal category"),
    ("manufacturer", r"manufacturer|marketing authori[sz]ation holder|holder of the registration certificate.*"
                     r"|manufactured by"),
    ("registration", r"registration (number|certificate)|marketing authori[sz]ation numbers?|ndc"),
]
# One alternation in table order: fullmatch takes the first kind whose synonyms fit.
HEADING_RE = re.compile("|".join(f"(?P<h{i}>{p})" for i, (_, p) in enumerate(_H)), re.I)
HEADING_KIND = {f"h{i}": k for i, (k, _) in enumerate(_H)}
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
# Kinds that a heading gives only its own line to: "ATC code: N07XX".
INLINE_ONLY = {"trade_name", "inn", "dose_form", "pharmacotherapeutic_group", "atc", "registration", "release_form"}

# Cue words that tell what an untitled paragraph is about; weights are additive.
CUES: dict[str, list[tuple[str, float]]] = {
    "pharmacodynamics": [(r"\beffects?\b|mechanism|\bactivat|\binhibit|receptor|stimulat|neuro\w+ive|"
                          r"\bpharmacolog|\bprotect|metaboli", 1.0)],
    "pharmacokinetics": [(r"pharmacokinetic|absorb|absorption|half-life|bioavailab|plasma concentration|"
                          r"excreted|\belimin|volume of distribution|maximum concentration", 3.0)],
    "indications": [(r"as part of (a )?complex therapy|indicated (for|in)|treatment of|prevention of|"
                     r"(used|use) (for|in) the treatment", 2.0),
                    (r"\bdiseases?\b|\bdisorders?\b|\bsyndrome|\binjur|\baccident", 1.0)],
    "contraindications": [(r"contraindicat|hypersensitiv|sensitivity to|intolerance|\bage under\b|under \d+ years|"
                           r"children'?s? age|children under|history of allerg|allergic reactions to", 3.0),
                          (r"\bpregnan|lactation|breast-?feed", 1.5)],
    "cautions": [(r"with (extreme )?caution|cautiously", 3.0)],
    "dosage": [(r"\b\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg|ml)\b[^.]{0,40}\b(times|daily|per day|once|twice)", 3.0),
               (r"\bdose\b|\bdosage|administered|prescribed", 1.0)],
    "undesirable_effects": [(r"side effects?|adverse|undesirable|may occur|headache|nausea|\brash\b|itching|"
                             r"dizziness|vomiting", 1.5)],
    "overdose": [(r"overdos", 6.0)],
    "interactions": [(r"(used )?together with|concomitant|simultaneous (use|administration)|in combination with|"
                      r"combined with|co-?administ|interact|potentiat|"
                      r"(enhance|reduce|weaken|decrease|increase|strengthen)s?\s+the\s+(\w+\s+)?(action|effects?|activity)\s+of",
                      3.0),
                     (r"\bdrugs\b|\bagents\b|medicines|alcohol", 1.0)],
    "warnings": [(r"special|should be|must be|\bcaution|care should|not recommended|\bmonitor", 1.0)],
    "driving": [(r"\bdriv|vehicles|machinery|mechanisms", 3.0)],
    "packaging": [(r"\bampoules?\b|\bblisters?\b|cardboard|carton|\bvials?\b|\bbottles?\b|contour|"
                   r"instructions for use are placed", 2.0)],
    "storage": [(r"\bstore\b|storage|temperature|protected from light|°\s*C|out of the reach", 3.0)],
    "shelf_life": [(r"shelf life|expir|best before|^\d+ (years?|months?)\.?$", 3.0)],
}
# One alternation of every cue, a named group each, so a paragraph is scanned once.
_CUE_GROUPS = [(f"c{i}", kind, w, p) for i, (kind, p, w) in
               enumerate((k, p, w) for k, v in CUES.items() for p, w in v)]
# Matched against lower-cased text (IGNORECASE doubles the cost of every branch), and only
# where a word starts (or at a degree sign): inside a word no branch is tried at all.
CUE_RE = re.compile(r"(?:(?<![a-z0-9])|(?=°))(?:" + "|".join(f"(?P<{g}>{p.lower()})" for g, _, _, p in _CUE_GROUPS) + ")")
CUE_OF = {g: (kind, w) for g, kind, w, _ in _CUE_GROUPS}
INFERABLE = set(CUES)


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


_BOILERPLATE = re.compile(r"^(?:these highlights do not include|highlights of prescribing information|"
                          r"summary of product characteristics|package leaflet|ministry of health|"
                          r"instructions? for (?:the )?medical use|patient information leaflet|initial u\.?s\.? approval)",
                          re.I)


def match_heading(text: str) -> str | None:
    t = _NUMBERING.sub("", text).strip().rstrip(":.").strip()
    t = re.sub(r"\s+", " ", t)
    if not t or len(t) > 90:
        return None
    m = HEADING_RE.fullmatch(t)
    return HEADING_KIND[m.lastgroup] if m else None


def _is_label(text: str) -> bool:
    """A short line that reads as a sub-heading: ends with a colon, or has no final stop and few words."""
    t = text.strip()
    if len(t) > 70 or not t[0].isalpha():
        return False
    if t.endswith(":"):
        return len(t.split()) <= 9
    return t[-1] not in ".;,!?)" and len(t.split()) <= 6 and t[0].isupper() and not re.search(r"\d\s*(mg|ml|g)\b", t)


def _split_inline(p: Para) -> tuple[str, str, int] | None:
    """'Heading: content' on one line -> (kind, content, offset of content)."""
    m = re.match(r"^([^:]{2,80}):\s*(\S.*)$", p.text)
    kind = match_heading(m.group(1)) if m else None
    if not kind:
        # "Pharmacotherapeutic group. Sedative agent.": a heading closed by a full stop
        m = re.match(r"^([A-Za-z][^.:]{2,60})\.\s+(\S.*)$", p.text)
        kind = match_heading(m.group(1)) if m else None
        if not kind:
            return None
    return kind, m.group(2), m.start(2)


CUE_WINDOW = 480  # what a paragraph is about shows in its opening; long ones are not read to the end


def classify(text: str) -> dict[str, float]:
    """Cue score per section kind; each cue counts at most twice."""
    hits: dict[str, int] = {}
    for m in CUE_RE.finditer(text[:CUE_WINDOW].lower()):
        g = m.lastgroup
        if hits.get(g, 0) < 2:
            hits[g] = hits.get(g, 0) + 1
    scores = dict.fromkeys(CUES, 0.0)
    for g, n in hits.items():
        kind, w = CUE_OF[g]
        scores[kind] += w * n
    return scores


def _viterbi(blocks: list[Block], start_kind: str | None, stay_bonus: bool, next_kind: str | None) -> None:
    """Assign kinds to untitled blocks, non-decreasing in the usual order."""
    lo = RANK.get(start_kind, 0) if start_kind else 0
    hi = RANK.get(next_kind, len(ORDER)) if next_kind else len(ORDER)
    if hi <= lo:
        hi = len(ORDER)
    cands = [k for k in ORDER if k in INFERABLE and lo < RANK[k] < hi]
    if start_kind and start_kind in INFERABLE or (start_kind and stay_bonus):
        cands = [start_kind] + [c for c in cands if c != start_kind]
    if not cands:
        cands = [start_kind or "description"]
    cands.sort(key=lambda k: RANK.get(k, 0))
    switch_cost, break_bonus = 2.0, 1.6
    # scores[i][k] = best total for blocks[:i+1] ending in kind k
    best: list[dict[str, tuple[float, str | None]]] = []
    for i, b in enumerate(blocks):
        text = b.content or b.para.text
        # A label reads as part of what follows it.
        if b.label and i + 1 < len(blocks):
            text = text + " " + blocks[i + 1].para.text
        emit = classify(text)
        row: dict[str, tuple[float, str | None]] = {}
        for k in cands:
            e = emit.get(k, 0.0)
            if k == start_kind and stay_bonus:
                e += 1.0
            if i == 0:
                cost = 0.0 if (k == start_kind) else (switch_cost - (break_bonus if b.para.gap >= 2 else 0.0))
                if start_kind is None:
                    cost = 0.0
                row[k] = (e - cost, None)
                continue
            options = []
            for pk, (ps, _) in best[i - 1].items():
                if RANK.get(pk, 0) > RANK.get(k, 0):
                    continue
                cost = 0.0
                if pk != k:
                    cost = switch_cost - (break_bonus if b.para.gap >= 2 else 0.0)
                    if blocks[i - 1].label:
                        cost += 5.0  # never leave a label behind in another section
                options.append((ps + e - cost, pk))
            if options:
                row[k] = max(options)
        best.append(row)
    # backtrack
    k = max(best[-1].items(), key=lambda kv: kv[1][0])[0]
    for i in range(len(blocks) - 1, -1, -1):
        blocks[i].kind = k
        blocks[i].inferred = True
        prev = best[i][k][1]
        if prev is not None:
            k = prev


def segment(text: str) -> tuple[list[Block], list[Section]]:
    paras = paragraphs(text)
    blocks: list[Block] = []
    for p in paras:
        b = Block(p, content=p.text, content_start=p.span.start)
        kind = match_heading(p.text)
        if kind and p.bullet and not re.match(r"^\s*\d", p.text):
            kind = None  # "- Contraindications" is an item; "2. COMPOSITION" a numbered heading
        if kind:
            p.bullet = False
        if kind and (len(p.text) < 90):
            b.kind, b.heading = kind, p.text.rstrip(":").strip()
        else:
            inline = _split_inline(p)
            # Inside a composition, "Active ingredient: X 5 mg" is a line of it, not a new section.
            if inline and inline[0] in ("inn", "excipients") and blocks and _open_kind(blocks) == "composition":
                inline = None
            if inline and not p.bullet:
                b.kind, b.heading, b.inline = inline[0], p.text.split(":", 1)[0].strip(), True
                b.content, b.content_start = inline[1], p.span.start + inline[2]
            elif _is_label(p.text) and not p.bullet:
                b.label = True
        blocks.append(b)

    # The first paragraph that is not a leaflet's boilerplate is the title; untitled ones before
    # any heading describe the product.
    first = next((b for b in blocks if b.kind is None and not _BOILERPLATE.search(b.para.text)), None)
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
        if current_inline and current in INLINE_ONLY:
            # An inline heading gave its line; what follows is about something else.
            start_kind = _last_block_kind(blocks, i)
            if start_kind == "title":
                start_kind = "description"
            _viterbi(run, start_kind if start_kind in INFERABLE else None, False, nxt)
            for r in run:
                if r.kind is None:
                    r.kind = "description"
        elif start == "description" and current in ("title", None):
            for r in run:
                r.kind, r.inferred = "description", True
        elif start in INFERABLE:
            # The first paragraph after a block heading belongs to it.
            run[0].kind = start
            if len(run) > 1:
                _viterbi(run[1:], start, True, nxt)
        else:
            # A heading whose kind is not inferable (composition, pharmacology...): it keeps
            # its paragraphs until content says otherwise.
            for r in run:
                r.kind = start
            # ...but a paragraph after a wide gap may begin a section whose heading was lost.
            for k, r in enumerate(run):
                if k and r.para.gap >= 2:
                    _viterbi(run[k:], None, False, nxt)
                    break
        i = j
    return blocks, _sections(text, blocks)


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
                               inferred=b.heading is None and b.kind != "title"))
        else:
            out[-1].span = Span(out[-1].span.start, b.para.span.end)
    return out


def blocks_of(blocks: list[Block], *kinds: str) -> list[Block]:
    return [b for b in blocks if b.kind in kinds]
