"""Clinical particulars: split sections into items (indications, contraindications,
warnings, undesirable effects) and read interactions as interactant + effect."""
from __future__ import annotations

import re

from .lexicon import alternation, lexicon
from .model import ClinicalItem, Interaction, Population, Span
from .sections import Block, label_text
from .text import sentences, split_top_level, strip_bullet

FREQUENCY_RE = re.compile(
    r"^(?:(" + alternation(lexicon().effect_frequencies) + ")"
    r"\b(?:\s*\([^)]*\))?)\s*(?:[-–—:]\s*|\s+)", re.I)
_LEAD_IN = re.compile(
    r"^(?P<lead>.{0,160}?)\b(?:(?:may|can|might) (?:occur|develop|be observed|be noted)|are possible|is possible|"
    r"(?:have|has) been (?:reported|observed|described)|(?:is|are) (?:prescribed|used) with (?:extreme )?caution)"
    r"(?:\s+(?:in the form of|as|including|in|for|with|such as))?\s*:?\s+", re.I)
_AE_LEAD = re.compile(
    r"^(?P<lead>[\w\s,-]{0,60}?\b(?:adverse (?:drug )?(?:reactions|effects|events)|side effects|undesirable effects)"
    r"(?:\s+[\w-]+){0,5}?\s+(?:are|include|included|were|comprise|consist of)\b:?)\s+", re.I)
_CAUTION_LEAD = re.compile(
    r"^(?P<lead>(?:it|the drug|this (?:drug|medicine)|\w+)\s+(?:is|should be)\s+(?:prescribed|used|administered)\s+"
    r"with (?:extreme |great |particular )?caution\s+(?:for|in|to|with)(?: patients with)?)\s+", re.I)
_TRAILER = re.compile(
    r"\s*,?\s+(?:(?:have|has) (?:also )?been (?:reported|observed|described|noted)|(?:are|is|may be) possible|"
    r"(?:may|can) (?:occur|develop|be observed))\s*\.?$", re.I)
_GENERIC_HEAD = re.compile(r"\b(reactions?|disorders?|symptoms?|phenomena|manifestations?|effects?)$", re.I)
_COMMENT = re.compile(r"^(?:they|these|this|such|it is|in this case|as a rule)\b", re.I)
_FREQ_LEGEND = re.compile(r"^frequency\b.*(?:>=|≥|<|1/10)", re.I)
_FREQ_RATIO = re.compile(r"1\s*/\s*1[,.\s]?0{1,3}(?:[,.\s]?000)?\b")
# Sentences about the list rather than in it: how effects were collected and grouped.
_META = re.compile(r"\b(?:(?:the )?following (?:list|table|adverse|undesirable|side)|are (?:listed|presented|grouped|"
                   r"classified|ranked)|organ system class|system organ class(?:es)?\b.*\bfrequency|by frequency|"
                   r"(?:frequency|frequencies) (?:categories|is defined|are defined|convention)|"
                   r"(?:based on|derived from|data from) (?:clinical|post-?marketing|the )|clinical (?:trials|studies) "
                   r"(?:experience|data)|post-?marketing (?:experience|surveillance|data|reports))", re.I)


def _is_legend(sent: str) -> bool:
    """'very common (>=1/10); common (>=1/100 to <1/10); ...' defines the categories; 'Common (1/100 to
    less than 1/10): headache, dizziness' is a category label with its effects."""
    ratios = len(_FREQ_RATIO.findall(sent))
    return ratios >= 3 or ratios >= 2 and not FREQUENCY_RE.match(sent)


# "(4)", "(5.1, 5.3)", "[see Warnings and Precautions (5.2)]": where the label says more, not the item
_SECTION_REF = re.compile(r"\s*(?:\(\s*\d+(?:\.\d+)*(?:\s*,\s*\d+(?:\.\d+)*)*\s*\)|\[\s*see [^\]]*\])\s*[.;,]?\s*$", re.I)


def _clean(s: str) -> str:
    s = s.strip().strip(";,.").strip()
    s = _SECTION_REF.sub("", s).strip().strip(";,.").strip()
    if re.fullmatch(r"\([^()]*\)\*?", s):
        return ""  # a bracket on its own explains what stands before it; it is no item
    return re.sub(r"\s+", " ", s)


_QUALIFIES = re.compile(r"^(?:including|incl\.|such as|especially|e\.\s?g\.|in particular|particularly|except|"
                        r"excluding|mainly|mostly|primarily|i\.\s?e\.|as part of|in combination with|"
                        r"as (?:an )?(?:adjunct|monotherapy|add-on)|alone or|with or without|resolving|resolved|"
                        r"reversible|usually|generally|mostly mild)\b", re.I)


_CLAUSE_START = re.compile(r"^(?:who|which|that|whose|whom|where|when|if|unless|in whom|for whom|because|since|"
                           r"although|though|but|while|whereas|so that)\b", re.I)


def _items_from_list(text: str, offset: int, max_words: int = 9) -> list[tuple[str, int]]:
    """Split a run of text that is a list: on ';' when it has them, otherwise on commas
    when every piece reads as a short noun phrase."""
    pieces = split_top_level(text, ";")
    if len(pieces) > 1:
        return [(p, offset + o) for p, o in pieces]
    commas = split_top_level(text, ",")
    if any(_CLAUSE_START.match(p) for p, _ in commas[1:]):
        return [(text, offset)]  # ", who have...", ", which...": a sentence with clauses, not a list
    words = [len(re.sub(r"\([^)]*\)", "", p).split()) for p, _ in commas]
    if len(commas) > 1 and all(w <= max_words for w in words[:-1]) and words[-1] <= max_words + 7:
        out = []
        for p, o in commas:
            # "CYP1A2, 2B6, 2C8": a piece with no word of its own goes with the one before, and
            # so does one that only qualifies it ("active infection, including chronic ...").
            if out and (not re.search(r"[^\W\d_]{3,}", p) or _QUALIFIES.match(p)):
                prev, po = out[-1]
                out[-1] = (text[po - offset:o + len(p)], po)
                continue
            if out:
                m = re.match(r"(?:and|or)\s+", p)
                if m:  # "..., and vasculitis"
                    p, o = p[m.end():], o + m.end()
            out.append((p, offset + o))
        last, lo = out[-1]
        parts = split_and(last) if "," not in last else []
        if len(parts) == 2 and len(out) >= 2 and len(parts[0][0].split()) <= 4 and len(parts[1][0].split()) <= 8 \
                and "/" not in last:
            out[-1] = (parts[0][0], lo)
            out.append((parts[1][0], lo + parts[1][1]))
        return out
    return [(text, offset)]


_AND_RE = re.compile(r"\s+(?:and|or" + "".join(f"|{w}" for w in lexicon().interaction_words.get("and", [])) + r")\s+")


def split_and(s: str) -> list[tuple[str, int]]:
    """Split on ' and ' / ' or ' outside brackets."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(s):
        ch = s[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _AND_RE.match(s, i)
            if m and i > 0:
                out.append((s[start:i], start))
                start = m.end()
                i = start
                continue
        i += 1
    out.append((s[start:], start))
    return [(p.strip(), o) for p, o in out if p.strip()]


def _expand_parenthetical(item: str, off: int) -> list[tuple[str, int, str | None]]:
    """'allergic reactions (skin rash, itching, angioedema)' -> the head, then the three grouped under it."""
    m = re.match(r"^(?P<head>[^()]+?)\s*\((?P<inner>[^()]+)\)[\s.;,*]*$", item)
    if m and _GENERIC_HEAD.search(m.group("head")) and m.group("inner").count(",") >= 1:
        inner, inner_off = m.group("inner"), off + m.start("inner")
        q = _QUALIFIES.match(inner)
        if q:  # "(such as pain, swelling)"
            inner, inner_off = inner[q.end():].lstrip(), inner_off + q.end() + (len(inner[q.end():]) - len(inner[q.end():].lstrip()))
        head = _clean(m.group("head"))
        return [(m.group("head"), off, None)] + \
            [(t, o, head) for t, o in _items_from_list(inner, inner_off, 12)]
    return [(item, off, None)]


_CAPTION = re.compile(r"^table\s+\d+[.:]?(?:\s|$)", re.I)
_FIGURE_CELL = re.compile(r"^[\s(]*[<>≤≥]?\s*\d+(?:[.,]\d+)?\s*%?(?:\s*\(\s*\d+(?:[.,]\d+)?\s*%?\s*\))?[\s)]*$|^[-–—]$|^n\s*=")
_HEADER_CELL = re.compile(r"\b(?:reactions?|events?|adverse|system organ class|soc|frequency|placebo|n\s*=|%|"
                          r"patients|incidence|organ|body system|drug|medicinal product|effect|recommendation|"
                          r"interacting|concomitant|management)\b", re.I)


def _table_row(text: str, offset: int, kind: str) -> list[tuple[str, int, str | None, str | None]]:
    """A row of a table flattened into text, as items: figures (%, counts) are dropped, a frequency
    cell gives the frequency of the cells after it, a system organ class names their group; a
    row of column heads or a caption gives nothing."""
    cells, pos = [], 0
    for raw in text.split("|"):
        lead = len(raw) - len(raw.lstrip())
        cells.append((raw.strip(), offset + pos + lead))
        pos += len(raw) + 1
    words = [c for c, _ in cells if c and not _FIGURE_CELL.match(c)]
    if not words or all(_HEADER_CELL.search(c) and not FREQUENCY_RE.match(c + " ") for c in words) and \
            not any(_FIGURE_CELL.match(c) for c, _ in cells if c):
        return []
    if kind == "undesirable-effect" and sum(1 for c in words if FREQUENCY_RE.match(c + " ")) >= 2 and all(
            FREQUENCY_RE.match(c + " ") or _HEADER_CELL.search(c) for c in words):
        return []  # "System organ class | Common ≥ 1/100 to < 1/10 | Rare": the heads of frequency columns
    out: list[tuple[str, int, str | None, str | None]] = []
    group = freq = None
    is_freq = lambda c: bool((fm := FREQUENCY_RE.match(c + " ")) and fm.end() >= len(c))  # noqa: E731
    filled = [c for c, _ in cells if c and not _FIGURE_CELL.match(c)]
    for c, o in cells:
        if not c or _FIGURE_CELL.match(c):
            continue
        if is_freq(c):
            freq = FREQUENCY_RE.match(c + " ").group(1)
            continue
        # the row's label: a system organ class ("... disorders"), or whatever cell leads a row of
        # frequency columns ("Neoplasms benign, malignant ... | Uncommon | Lymphoma")
        if kind == "undesirable-effect" and group is None and not out and freq is None and (
                re.search(r"\bdisorders?$|\binfestations$|\bconditions$", c, re.I)
                or c == filled[0] and len(filled) > 2 and is_freq(filled[1])):
            group = c
            continue
        for t, to in _items_from_list(c, o):
            if _clean(t):
                out.append((_clean(t), to, group, freq))
        if kind != "undesirable-effect":
            break  # an interaction or warning table: the first cell names the item, the rest describe it
    return out


def _is_row(b: Block) -> bool:
    return " | " in b.para.text and not b.para.bullet


def _is_header_row(blocks: list[Block], i: int) -> bool:
    """The first row of a table, with no figure in it, over rows that have figures: column heads."""
    b = blocks[i]
    if not _is_row(b) or (i and _is_row(blocks[i - 1])) or i + 1 >= len(blocks) or not _is_row(blocks[i + 1]):
        return False
    figures = lambda t: any(_FIGURE_CELL.match(c.strip()) for c in t.split("|"))  # noqa: E731
    return not figures(b.para.text) and figures(blocks[i + 1].para.text)


def split_clinical(text: str, offset: int, bullet: bool, kind: str, *, lists: bool = True) -> list[tuple[str, int, str | None, str | None]]:
    """Items of one paragraph as (text, start offset, group, frequency)."""
    if _CAPTION.match(text):
        return []
    if " | " in text and not bullet:
        return _table_row(text, offset, kind)
    if bullet and kind != "undesirable-effect":
        t = strip_bullet(text)
        return [(_clean(t), offset + text.find(t[:8]), None, None)] if _clean(t) else []
    if bullet:  # "- rarely: drowsiness, fatigue;" is a list of effects like any other line
        t = strip_bullet(text)
        offset, text = offset + text.find(t[:8]), t
    out = []
    for sent, soff in sentences(text):
        base = offset + soff
        if kind == "undesirable-effect" and (_FREQ_LEGEND.match(sent) or _COMMENT.match(sent)
                                             or _is_legend(sent) or _META.search(sent)):
            continue
        group = None
        lead_found = False
        body, boff = sent, 0
        # "System organ class: often - x; rarely - y" and "Lead-in: a, b, c"
        m = re.match(r"^([^:;,()]{3,80}):\s+(.+)$", sent)
        if m and len(m.group(1).split()) <= 9 and kind == "warning" and not lists:
            # "Lactic acidosis: a rare but serious complication...": the label names the warning
            group = m.group(1).strip()
        elif m and len(m.group(1).split()) <= 9:
            group, body, boff = m.group(1).strip(), m.group(2), m.start(2)
            lead_found = True
        else:
            lm = _CAUTION_LEAD.match(sent) or (kind == "undesirable-effect" and (_AE_LEAD.match(sent)
                                                                                  or _LEAD_IN.match(sent))) \
                or (kind not in ("warning", "undesirable-effect") and _LEAD_IN.match(sent))
            if lm and (";" in sent or "," in sent[lm.end():]) and lm.end() < len(sent) - 3:
                lead = lm.group("lead").strip(" ,")
                group = lead or None
                lead_found = True
                body, boff = sent[lm.end():], lm.end()
        sent_freq = None
        if kind == "undesirable-effect":
            fm0 = re.match(r"^(in (?:some|isolated|rare|single|very rare) cases|rarely|very rarely|often|frequently|"
                           r"occasionally|infrequently),\s+", body, re.I)
            if fm0:
                sent_freq, body, boff = fm0.group(1), body[fm0.end():], boff + fm0.end()
        tm = _TRAILER.search(body) if kind == "undesirable-effect" else None
        if tm:
            body = body[:tm.start()]
        label_freq = None
        if group and kind == "undesirable-effect" and FREQUENCY_RE.match(group + " "):
            label_freq, group = group, None  # "Often: headache, dizziness"
        elif group and kind == "undesirable-effect" and " - " in group:
            soc, _, freq = group.rpartition(" - ")  # "Hepatobiliary disorders - Very rare: ..."
            if FREQUENCY_RE.match(freq + " "):
                group, label_freq = soc.strip(), freq.strip()
        if kind == "undesirable-effect" and FREQUENCY_RE.match(body.lstrip()):
            for piece, poff in split_top_level(body, ";"):
                fm = FREQUENCY_RE.match(piece)
                freq = fm.group(1) if fm else None
                sub, so0 = (piece[fm.end():], poff + fm.end()) if fm else (piece, poff)
                for sp, so in _items_from_list(sub, so0):
                    for t, o, g in _expand_parenthetical(sp, so):
                        if _clean(t):
                            out.append((_clean(t), base + boff + o, g or group, freq))
            continue
        split_lists = lists or lead_found
        # a warning written as prose keeps its ';' clauses together; listed items are split
        pieces = _items_from_list(body, boff) if split_lists else \
            [(body, boff)] if kind == "warning" else [(p, boff + o) for p, o in split_top_level(body, ";")]
        for piece, poff in pieces:
            freq = label_freq or sent_freq
            for t, o, g in (_expand_parenthetical(piece, poff) if kind == "undesirable-effect" else [(piece, poff, None)]):
                fm2 = FREQUENCY_RE.match(t)
                f2 = freq
                if fm2:
                    f2, t = fm2.group(1), t[fm2.end():]
                if _clean(t):
                    out.append((_clean(t), base + o, g or group, f2))
    return out


AGE_RE = re.compile(
    r"(?P<who>children|adolescents|patients|persons|age|aged)?\s*(?P<rel>under|below|less than|younger than|up to|from|over|"
    r"older than|above|at least|>=|≥|<)\s*(?P<n>\d+)\s*(?P<u>years?|months?)", re.I)


WEIGHT_RE = re.compile(
    r"(?:body )?weigh(?:t|ing)\s*(?:of\s*)?(?P<rel>more than|over|above|at least|less than|under|below|up to|from|>=|≥|<|>)?"
    r"\s*(?P<n>\d+(?:[.,]\d+)?)\s*kg(?P<more>\s*(?:or|and) (?:more|over|above))?", re.I)


def _weight(t: str, pop: Population | None, text: str) -> Population | None:
    """Add a body-weight band ("weighing 40 kg or more") to the population, or make one."""
    w = WEIGHT_RE.search(t)
    if not w or re.search(r"mg/kg|per kg", t[max(0, w.start() - 5):w.end() + 8]):
        return pop
    n = float(w.group("n").replace(",", "."))
    pop = pop or Population(text)
    if (w.group("rel") or "") in ("less than", "under", "below", "up to", "<"):
        pop.weight_high = n
    else:
        pop.weight_low = n
    return pop


def population_of(text: str) -> Population | None:
    """The population a label or item names, if any: age band, body weight, state."""
    t = text.lower()
    older = re.search(r"(?P<n>\d+)\s*(?P<u>years?|months?)\s*(?:of age\s*)?(?:and|or)\s*(?:older|over|above|more)\b", t)
    if older:
        n = float(older.group("n")) / (12 if older.group("u").startswith("month") else 1)
        return _weight(t, Population(text, age_low=n), text)
    band = re.search(r"(?<![\d.])(?P<lo>\d+)\s*(?:-|–|to)\s*(?P<hi>\d+)\s*(?P<u>years?|months?)(?:\s+of\s+age|\s+old)?\b", t)
    if band and re.search(r"child|age|adolescen|patient|old\b|boys|girls", t):
        k = 12 if band.group("u").startswith("month") else 1
        lo, hi = float(band.group("lo")) / k, float(band.group("hi")) / k
        if lo < hi:  # "aged 10-17 years", "(10–17 years of age)"
            return _weight(t, Population(text, age_low=lo, age_high=hi), text)
    m = AGE_RE.search(t)
    if m and (m.group("who") or re.search(r"child|age|adolescen|patient", t)):
        n = float(m.group("n"))
        if m.group("u").startswith("month"):
            n = n / 12
        rel = m.group("rel")
        if rel in ("under", "below", "less than", "younger than", "<", "up to"):
            return _weight(t, Population(text, age_high=n, age_high_exclusive=rel != "up to"), text)
        return _weight(t, Population(text, age_low=n), text)
    if WEIGHT_RE.search(t) and re.search(r"child|adolescen|patient|adult|weigh", t):
        base = Population(text, age_low=18) if re.search(r"\badults?\b", t) else None
        pop = _weight(t, base, text)
        if pop is not None:
            return pop
    if re.search(r"\badults?\b", t):
        return Population(text, age_low=18)
    if re.search(r"\belderly|older (patients|people|adults)|geriatric", t):
        return Population(text, age_low=65, state="elderly")
    if re.search(r"children'?s? age|\bchildhood|\bchildren\b|\bp(a)?ediatric", t):
        return Population(text, age_high=18, age_high_exclusive=True)
    if re.search(r"\bpregnan", t) and not re.search(r"lactat|breast", t):
        return Population(text, state="pregnancy")
    if re.search(r"lactat|breast-?feed", t) and not re.search(r"pregnan", t):
        return Population(text, state="breast-feeding")
    return None


def items_of(blocks: list[Block], kind: str, source: str, lists: bool = True) -> list[ClinicalItem]:
    """Every item of the blocks (one section kind), with labels as groups or populations."""
    out: list[ClinicalItem] = []
    label, label_pop = None, None
    for i, b in enumerate(blocks):
        if b.heading and not b.inline:
            continue
        if b.label:
            label = label_text(b)
            label_pop = population_of(label)
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if _is_header_row(blocks, i):
            continue
        for t, start, group, freq in split_clinical(text, off, b.para.bullet, kind, lists=lists):
            end = min(len(source), start + len(t))
            pop = population_of(t) if kind == "contraindication" else None
            out.append(ClinicalItem(kind, t, Span(start, end), group=group or label, frequency=freq,
                                    population=pop or label_pop))
    return out


_EFFECT_STATEMENTS = [re.compile(p, re.I | re.M) for p in lexicon().effect_statements]
_LIST_AND = re.compile(r",?\s+(?:and|or)\s+", re.I)


def stated_effects(blocks: list[Block]) -> list[ClinicalItem]:
    """What warnings say the product may cause ("drowsiness may occur", "may cause severe stomach
    bleeding", "Symptoms may include: hives, rash"): the undesirable effects of a label that has no
    section of them (a Drug Facts label). The vocabulary's effect_statements say how it is said."""
    out: list[ClinicalItem] = []
    seen: set[str] = set()
    for b in blocks:
        if b.heading and not b.inline or b.label:
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        for sent, soff in sentences(text):
            for rx in _EFFECT_STATEMENTS:
                for m in rx.finditer(sent):
                    listed = m.group(1)
                    for piece, p_off in split_top_level(_LIST_AND.sub(lambda x: "," + " " * (len(x.group(0)) - 1),
                                                                      listed), ","):
                        item = piece.strip(" -•*:")
                        if len(item) < 3 or item.lower() in seen:
                            continue
                        seen.add(item.lower())
                        start = off + soff + m.start(1) + p_off + (len(piece) - len(piece.lstrip(" -•*:")))
                        out.append(ClinicalItem("undesirable-effect", item, Span(start, start + len(item))))
    return out


# ---------------------------------------------------------------- interactions

_WITH = re.compile(
    r"(?:(?:concomitant|simultaneous|combined|joint|concurrent) (?:use|administration|intake|therapy|treatment)"
    r"(?:\s+of\s+[\w-]+)?|(?:used|taken|administered|given|combination|combined|co-?administ\w*|used together|"
    r"together|treatment|therapy|treated)|when used)"
    r"\s+(?:together\s+)?with\s+(?P<x>(?:\([^()]*\)|[^.;(])+?)(?=,\s|\s+(?:may|can|could|is|are|was|were|did|does|do|causes?|leads?|"
    r"increases?|decreases?|reduces?|enhances?|results?|requires?|should)\b|[.;]|$)", re.I)
_OF = re.compile(
    r"\b(?:action|actions|effects?|activity|toxicity|concentrations?|levels?|metabolism|clearance|absorption|"
    r"efficacy|toxic effects|side effects|inhibition|elimination|excretion)\s+of\s+(?P<x>(?:\([^()]*\)|[^.;(])+?)"
    r"(?=\s+(?:in|at|by|when|during|after|is|are|was|were|may|did|does|and (?:the|its))\b|[.;]|,\s|$)",
    re.I)  # a list after the first comma is read on by _extend_list
# "the simultaneous use of abatacept and etanercept"
_USE_OF = re.compile(r"\b(?:concomitant|simultaneous|combined|concurrent|joint)\s+(?:use|administration|therapy|treatment)"
                     r"\s+of\s+(?P<x>[^.;,]+?)(?=\s+(?:was|were|is|are|may|can|did|does|leads?|causes?|results?|"
                     r"increases?|decreases?|reduces?|enhances?|should|has|have)\b|[.;,]|$)", re.I)
# "Thiazide diuretics and ACE inhibitors enhance the antihypertensive effect."
_SUBJECT = re.compile(r"^(?P<x>[A-Za-z][^;:]{2,200}?)\s+(?:may\s+|can\s+|could\s+|significantly\s+|markedly\s+|do not\s+|does not\s+)?"
                      r"(?:increase|decrease|enhance|reduce|potentiate|weaken|strengthen|inhibit|induce|prolong|lower|"
                      r"raise|intensify|slow|accelerate|alter|affect|impair|cause)s?\b")
_CONCOMITANT_X = re.compile(r"\b(?:concomitant|simultaneous|concurrent)\s+(?P<x>[a-z][\w-]*(?:\s+[\w-]+)?)\s+"
                            r"(?:intake|use|administration|consumption|therapy)\b", re.I)
_X_DOSE = re.compile(r"\bthe\s+(?P<x>[a-z][\w-]{3,})\s+(?:dose|doses|dosage)\b", re.I)
_INHIBIT = re.compile(r"\b(?:inhibit|induce)s?\s+(?P<x>(?:cytochrome|CYP|isoenzymes?)[^.;]*?)(?=;|\.\s|$)", re.I)
_NOT_INTERACTANT = re.compile(
    r"^(?:the|this|its|it|patients?|the drug|this drug|the medicine|this medicine|the medicinal product|the product|"
    r"the patient|usual|daily|single|maximum|same|recommended|serum|plasma|blood|dose|doses|a|an|"
    r"(?:in vitro|in vivo|studies|data|treatment|therapy)(?:\b.*)?|"
    # "the lowest dose", "caution [see ...]", "contains one or more components that ...": a word of the
    # sentence, not a substance
    r"lowest|highest|lower|higher|caution\b.*|contains?\b.*|.*\b(?:that|which|who)|.*\[see\b.*|[a-z]+ly|(?:an?\s+)?[\w.]+-?fold)$", re.I)


_GENERAL_LABEL = re.compile(r"interaction|general|pharmacokinetic|pharmacodynamic|^other\b|absence|no effect|"
                            r"combinations?|concomitant|concurrent|use with|studies|in vitro|effects? of|"
                            r"medicinal products|contra-?indicated|caution|avoid\b|required|recommended", re.I)


_CLAUSE_WORD = re.compile(r"\b(?:(?:is|are|was|were|may|can|could|should|must|did|does|do|has|have|had|will|"
                          r"observed|reported|possible|required)\b|(?:increas|decreas|reduc|enhanc|caus|lead|"
                          r"result|potentiat|weaken|strengthen)\w*)", re.I)


def _extend_list(sent: str, m: re.Match) -> str:
    """'with A, B (x), C or D.' reads on past the first comma while the pieces stay a list."""
    x, pos = m.group("x"), m.end("x")
    rest = sent[pos:]
    if not rest.startswith(","):
        return x
    pieces = split_top_level(rest.lstrip(",").rstrip(". "), ",")
    taken = []
    for piece, _ in pieces:
        bare = re.sub(r"\([^)]*\)", "", piece)
        if _CLAUSE_WORD.search(bare) or len(bare.split()) > 6:
            return x
        taken.append(piece)
    return ", ".join([x] + taken)


# a "Head: ..." that names no substance: "Pharmacokinetic interactions: ...", "Other: ..."
def _is_header_cells(cells: list[str]) -> bool:
    """'Medicinal product | Effect | Recommendation': the heads of an interaction table."""
    return all(len(c.split()) <= 4 and not re.search(r"\d", c) for c in cells) and any(
        re.search(r"\b(?:effect|recommendation|management|comment|mechanism|clinical|interacting|"
                  r"medicinal product|drug|class)\b", c, re.I) for c in cells)


_GENERAL_HEAD = re.compile(r"^(?:other|general|in vitro|in vivo|studies|absence of interactions?|no interactions?|"
                           r"(?:pharmacokinetic|pharmacodynamic|drug|other)?\s*interactions?|combinations?\b.*|"
                           r"concomitant use\b.*|precautions?\b.*|paediatric population|pediatric population)$", re.I)


def _split_interactants(x: str) -> list[str]:
    x = re.sub(r"^(?:the\s+)?(?:(?:concomitant |concurrent |simultaneous )?use of\s+)?(?:the\s+|other\s+|"
               r"drugs? such as\s+)?", "", x.strip(), flags=re.I)
    out: list[str] = []
    for piece, _ in split_top_level(x, ","):
        piece = re.sub(r"^(?:and|or)\s+", "", piece.strip())
        # "psychostimulant drugs and alcohol": split a final "and" outside brackets.
        for p, _ in split_and(piece):
            p = p.strip().strip(".")
            if not p:
                continue
            # "CYP1A2, 2B6, 2C8": bare codes stay with the named item before them, and so does
            # a piece that only qualifies it ("diuretics, especially loop diuretics")
            if out and (re.match(r"^\d\w*$", p) or _QUALIFIES.match(p)):
                out[-1] = f"{out[-1]}, {p}"
                continue
            # "inducers of CYP3A4 (e.g., efavirenz, rifampin)": the class, and each example of it
            ex = _EXAMPLES.search(p)
            if ex:
                head = (p[:ex.start()] + p[ex.end():]).strip()
                # ("medicinal products with hyperglycaemic activity (e.g. X, Y)" names X and Y only)
                out += [head] if re.search(r"[^\W\d_]{3,}", head) and not _GENERIC_NOUN.match(head) else []
                out += _split_interactants(ex.group(1))
            elif re.search(r"[^\W\d_]{3,}", p):
                out.append(p)
    return out


_EXAMPLES = re.compile(r"\s*\((?:e\.g\.|for example|such as|including)[,:]?\s*([^()]+)\)", re.I)


_IW = lexicon().interaction_words


def _words(key: str) -> str:
    """One language-neutral alternation of what every vocabulary gives for key ('$^' for none)."""
    return "|".join(f"(?:{p})" for p in _IW.get(key, [])) or "$^"


# "Concomitant use not recommended: A, B and other Cs, all of which increase the risk of bleeding":
# a recommendation that leads a list of interactants; the clause after the list is their effect
_RECOMMENDATION = re.compile(rf"^(?:{_words('recommendation')})$", re.I)
_EFFECT_CUT = re.compile(rf",?\s+(?:{_words('effect_lead')})\b", re.I)
_EFFECT_WORDS = re.compile(rf"\b(?:{_words('effect_words')})\w*", re.I)
_GENERIC_HOLDER = re.compile(rf"^(?:{_words('generic_holder')})\b", re.I)
_GENERIC_NOUN = re.compile(rf"^(?:{_words('generic_noun')})", re.I)
# "- taking a diuretic": a Drug Facts item naming what the user takes
_TAKING = re.compile(rf"^(?:{_words('taking')})", re.I)
_TAKING_END = re.compile(_words("taking_end"), re.I)
# "Калийсберегающие диуретики (спиронолактон, ...) повышают риск гиперкалиемии", "при совместном
# применении с варфарином ...": the subject of an effect verb, or what the product is used with,
# in the words of the languages' vocabularies
_VOCAB_SUBJECT = re.compile(rf"^(?P<x>[^;:]{{3,200}}?)\s+(?:{'|'.join(_IW['effect_verbs'])})(?![^\W\d_])",
                            re.I) if _IW.get("effect_verbs") else None
_VOCAB_OBJECT = re.compile(rf"\s+(?:{_words('effect_object')})\s+(?P<x>[^.;]+)", re.I) \
    if _IW.get("effect_object") else None
_VOCAB_WITH = re.compile(rf"(?:{'|'.join(_IW['with'])})\s+(?P<x>(?:\([^()]*\)|[^.;(])+?)(?=\s+(?:{'|'.join(_IW['effect_verbs'])})"
                         rf"(?![^\W\d_])|[,.;]|$)", re.I) if _IW.get("with") and _IW.get("effect_verbs") else None


def _listed_interactants(body: str) -> list[str]:
    """The interactants a list names: 'A, B (b1, b2), C and other Ds' -> A, B, b1, b2, C, other Ds;
    a generic holder ('medicinal products that increase potassium (X, Y)') gives its members only,
    and a bracket that states an effect ('(increased bleeding risk)') names nobody."""
    cut = _EFFECT_CUT.search(body)
    if cut:
        body = body[:cut.start()]
    out: list[str] = []
    for piece, _ in split_top_level(body, ","):
        for part, _ in split_and(re.sub(r"^(?:and|or)\s+", "", piece.strip())):
            part = part.strip().rstrip(".")
            members = re.findall(r"\(([^()]*)\)", part)
            head = re.sub(r"\s*\([^()]*\)", "", part).strip()
            for inner in members:
                if not _EFFECT_WORDS.search(inner):
                    out += [x for x in _split_interactants(inner) if x]
            head = re.sub(r"\s+including\s+.*$", "", head, flags=re.I)
            if head and not _GENERIC_HOLDER.match(head) and re.search(r"[^\W\d_]{3,}", head):
                out.append(head)
            inc = re.search(r"\bincluding\s+(.+)$", re.sub(r"\s*\([^()]*\)", "", part), re.I)
            if inc:
                out += _split_interactants(inc.group(1))
    return list(dict.fromkeys(out))


def interactions_of(blocks: list[Block], self_names: list[str]) -> list[Interaction]:
    out: list[Interaction] = []
    selfs = [re.compile(rf"\b{re.escape(s.lower())}\b") for s in self_names if s and len(s) >= 3]

    def is_self(x: str) -> bool:
        """The product itself (by any of its names), or no substance at all."""
        xl = x.lower()
        return any(rx.search(xl) for rx in selfs) or bool(_NOT_INTERACTANT.match(xl))

    label: str | None = None
    label_ix: Interaction | None = None
    for b in blocks:
        if b.heading and not b.inline:
            continue
        if b.label:
            # "Warfarin" over its paragraphs names the interactant; "Absence of interaction" does not.
            t = label_text(b)
            label = None if (_GENERAL_LABEL.search(t) or is_self(t)) else t
            label_ix = None
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if b.para.bullet:
            t = strip_bullet(text)
            off, text = off + text.find(t[:8]), t
        if label:
            span = Span(off, off + len(text))
            if label_ix is not None:  # the label's next paragraph
                label_ix.effect = f"{label_ix.effect} {text}"
                label_ix.span = Span(label_ix.span.start, span.end)
            else:
                label_ix = Interaction(label, text, span)
                out.append(label_ix)
        lead = _TAKING.match(text) if b.para.bullet and not label else None
        if lead:
            # "- taking a diuretic", "- taking aspirin for heart attack or stroke, because ...": an
            # item of a Drug Facts list names what the user takes
            rest = _TAKING_END.split(text[lead.end():], maxsplit=1)[0]
            span = Span(off, off + len(text))
            for x in _listed_interactants(re.sub(r"^(?:a|an|the)\s+", "", rest.strip(), flags=re.I)):
                if not is_self(x):
                    out.append(Interaction(x, text, span))
            continue
        if " | " in text and not label:
            # an interaction table: the first cell names the interactants, the others their effect
            cells = [c.strip() for c in text.split(" | ")]
            if _is_header_cells(cells):
                continue
            span = Span(off, off + len(text))
            effect = " | ".join(cells[1:])
            for x in _split_interactants(cells[0]):
                if not is_self(x):
                    out.append(Interaction(x, effect or text, span))
            continue
        for sent, soff in sentences(text):
            found: list[str] = []
            effect = sent
            head = None
            rm = re.match(r"^([^:]{3,70}):\s+(\S.*)$", sent)
            if rm and _RECOMMENDATION.match(rm.group(1).strip()):
                span = Span(off + soff, off + soff + len(sent))
                for clause, _ in split_top_level(rm.group(2), ";"):
                    for x in _listed_interactants(clause):
                        if not is_self(x):
                            out.append(Interaction(x, f"{rm.group(1).strip()}: {clause}", span))
                continue
            # "Iodinated contrast agents: ..." and "Antipsychotics – increased risk ..." lead with their interactant
            hm = re.match(r"^([^:;]{2,160}?)(?::|\s[–—-])\s+(\S.*)$", sent)
            if hm and not _GENERAL_HEAD.match(hm.group(1).strip()) and not _CLAUSE_WORD.search(hm.group(1)):
                head = hm.group(1)  # "Iodinated contrast agents: may cause renal failure..."
            body = hm.group(2) if head else sent
            # each clause of "A may reduce...; B may increase..." may name its own interactant
            clauses = [c for c, _ in split_top_level(body, ";")] or [body]
            for rx, clause in [(rx, c) for rx in (_SUBJECT,) for c in clauses] + \
                    [(rx, sent) for rx in (_WITH, _USE_OF, _CONCOMITANT_X, _OF, _X_DOSE, _INHIBIT)]:
                for m in rx.finditer(clause):
                    if rx is _SUBJECT and (_CLAUSE_WORD.search(m.group("x")) or
                                           re.match(r"(?:it|this|these|they|there|such|in|during|when|if|after|"
                                                    r"simultaneous|concomitant|combined|concurrent|joint|"
                                                    r"co-?administration|use|while|with)\b", m.group("x"), re.I)):
                        continue  # "It is possible to reduce...": no noun phrase before the verb
                    if rx is _USE_OF and re.search(r"\swith\s", m.group("x")):
                        continue  # "use of X with A, B": the with-pattern reads that list
                    x_text = _extend_list(clause, m) if rx in (_WITH, _OF) else m.group("x")
                    for x in _split_interactants(x_text):
                        if label and (label.lower() in x.lower() or x.lower() in label.lower()):
                            continue
                        if not is_self(x) and not any(x.lower() == f.lower() for f in found):
                            found.append(x)
            if not found and not head and _VOCAB_SUBJECT is not None:
                vm = _VOCAB_SUBJECT.match(sent)
                if vm and not _VOCAB_WITH.search(vm.group("x")):
                    found = [x for x in _listed_interactants(vm.group("x")) if not is_self(x) and not _GENERIC_NOUN.fullmatch(x)]
                    om = _VOCAB_OBJECT.match(sent, vm.end()) if _VOCAB_OBJECT is not None and not found else None
                    if om:
                        # "Testamol enhances the action of antihypertensives, ethanol and barbiturates":
                        # the product acts on the medicines named after what it changes of them
                        found = [x for x in _listed_interactants(om.group("x")) if not is_self(x)]
                for wm in _VOCAB_WITH.finditer(sent) if not found else ():
                    found += [x for x in _listed_interactants(wm.group("x")) if not is_self(x) and x not in found]
            if head and not found:
                found = [x for x in _split_interactants(head) if not is_self(x)]
            elif head:
                # "Alcohol: alcohol intoxication increases...": the head names what the body qualifies
                found = [head.strip() if head.strip().lower() in x.lower() else x for x in found]
                found = list(dict.fromkeys(found))
            span = Span(off + soff, off + soff + len(sent))
            for x in found:
                if any(x.lower() in i.interactant.lower() for i in out[-len(found):] if i.span == span):
                    continue
                out.append(Interaction(x, effect, span))
    return out
