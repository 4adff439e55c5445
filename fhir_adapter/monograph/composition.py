"""Composition per unit: active substances and excipients with their amounts."""
from __future__ import annotations

import re

from .lexicon import lexicon
from .model import Amount, Ingredient, Quantity, Span
from .quantities import AMOUNT_RE, PACKAGE_CODE, amount_from_match, num, strength_label, unit_key
from .sections import Block
from .text import sentences, split_top_level, strip_bullet

_ROLE = re.compile(r"^(?P<role>active (?:substances?|ingredients?|components?)|excipients?(?:\(s\))?(?: with known effects?)?|"
                   r"(?:the following )?inactive ingredients?|"
                   r"auxiliary substances|other ingredients?|(?:the )?(?:capsule|tablet) (?:shell|coating|core)|"
                   r"hard gelatin capsule|film[- ]coating|coating|shell|"
                   + "|".join(lexicon().roles_active + lexicon().roles_inactive) + r")\s*:\s*", re.I)
# "One tablet contains: active substance: X 40 mg; excipients: a, b": the role changes inside a
# sentence, after a colon or semicolon (a language's own role words may stand without a colon)
_ROLE_INSIDE = re.compile(r"(?:^|(?<=[;:])|(?<=[;:]\s))\s*(?P<role>active (?:substances?|ingredients?)|excipients?(?: with known effects?)?|"
                          r"(?:the following )?inactive ingredients?|auxiliary substances|other ingredients?|"
                          + "|".join(lexicon().roles_active + lexicon().roles_inactive) + r")\s*(?::\s*|\s+(?=\w))", re.I)
_ACTIVE_ROLE = re.compile("|".join(lexicon().roles_active) or "$^", re.I)
_LEXICON_ROLE = re.compile("|".join(lexicon().roles_active + lexicon().roles_inactive) or "$^", re.I)


def _is_active_role(role: str) -> bool:
    return role.lower().startswith("active") or bool(_ACTIVE_ROLE.fullmatch(role))
_PER = re.compile(r"(?:composition\s+)?(?:per|in)\s+(?:each\s+(?:chewable\s+|coated\s+)?)?(?P<n>\d+(?:[.,]\d+)?)?\s*(?P<u>ml|g|tablets?|capsules?|caplets?|ampoules?|"
                  r"vials?|sachets?|suppositor(?:y|ies)|doses?|sprays?|actuations?)\b|(?:one|1|each)\s+(?:\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg)\s+)?(?P<u2>tablets?|capsules?|ampoules?|"
                  r"vials?|ml|sachets?|suppositor(?:y|ies)|film-coated tablets?)\s+(?:\([^)]*\)\s+)?"
                  r"(?:of (?:the )?(?:solution|suspension|drug|product|concentrate|emulsion|syrup)\s+)?contains"
                  r"|(?P<n3>\d+(?:[.,]\d+)?)\s*(?P<u3>g|ml)\s+of\s+(?:the\s+)?(?:ointment|cream|gel|paste|"
                  r"solution|suspension|syrup|powder|emulsion|drug|product)\s+contains?"
                  # "5 мл сиропа содержат", "1 таблетка содержит"
                  r"|(?P<n4>\d+(?:[.,]\d+)?)?\s*(?P<u4>мл|г|таблетк\w*|капсул\w*|ампул\w*|флакон\w*|суппозитори\w*)"
                  r"\s+(?:[^\W\d_]+\s+){0,3}?содерж\w*", re.I)
_STRENGTH_LIST = re.compile(r"(?P<values>\d+(?:[.,]\d+)?(?:\s*,\s*\d+(?:[.,]\d+)?)+\s*,?\s*(?:or|and)\s*\d+(?:[.,]\d+)?)"
                            r"\s*(?P<unit>mg|g|mcg|µg|ml)\s+(?P<name>[A-Za-z][\w-]*(?:\s+(?!(?:and|or|with|in|the|as)\b)[a-z][\w-]*)?)",
                            re.I)
_ROLE_MIDWAY = re.compile(r"\s+and\s+(?:the\s+following\s+)?(?:inactive ingredients|excipients)\s*:\s*", re.I)
# pharmacopoeia marks after a name ("calcium carbonate, USP") are no ingredient of their own
_PHARMACOPOEIA = re.compile(r"^(?:USP|NF|FCC|BP|EP|Ph\.?\s?Eur\.?|JP)$", re.I)
_MARK = re.compile(r",?\s+(?:USP|NF|BP|Ph\.?\s?Eur\.?)(?![\w.])")
_QUALIFIER = re.compile(r"\s+(?P<q>(?:to|up to|q\.?s\.? (?:to|ad)|ad|до)\s+(?:pH\s*[\d.,]+|\d+(?:[.,]\d+)?\s*(?:ml|мл)))", re.I)


_AMOUNT_ONLY = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*(?:%|mg|g|mcg|µg|ml)(?:\s*(?:w/w|w/v|v/v))?\s*(?:\([^)]*\))?\s*\.?$",
                          re.I)
_CROSS_REF = re.compile(r"\bsee (?:section|sections|paragraph)\b|\bfull list of excipients\b", re.I)


# "5 мг, 10 мг или 20 мг", "1.25 mg, 2.5 mg, 5 mg or 10 mg of ramipril", "6.94 mg or 13.88 mg":
# one line for several strengths, the unit said each time
_AMOUNT_LIST = re.compile(r"(?P<values>\d+(?:[.,]\d+)?\s*(?P<unit>mg|g|mcg|µg|micrograms?|iu|мг|мкг|г|ме)"
                          r"(?:\s*,\s*\d+(?:[.,]\d+)?\s*(?P=unit))*\s*,?\s*(?:or|and|или|и)\s*\d+(?:[.,]\d+)?\s*(?P=unit))\b"
                          r"(?!\s+(?:tablets?|capsules?|caplets?|shells?|film|coats?|strengths?|таблет\w*|капсул\w*))", re.I)
_CONDITION = re.compile(r"(?:^|[;,]\s*)(?:для|for)\s+(?:the\s+)?[^\W\d_]+\s+$", re.I)


def _one_strength(body: str) -> tuple[str, tuple[str | None, str, int] | None]:
    """'contain 10, 20, 40, or 80 mg atorvastatin', 'эналаприла малеат 5 мг, 10 мг или 20 мг': one
    label, several strengths. The first is read and the others returned as (name or None, note,
    where the list starts); the text keeps its length, so offsets into it still point at the source."""
    alt = _STRENGTH_LIST.search(body)
    if alt:
        values = re.findall(r"\d+(?:[.,]\d+)?", alt.group("values"))
        repl = f"{values[0]} {alt.group('unit')} {alt.group('name')}"
        note = (alt.group("name"), f"also {', '.join(values[1:])} {alt.group('unit')}", alt.start())
        return body[:alt.start()] + repl.ljust(alt.end() - alt.start()) + body[alt.end():], note
    for lst in _AMOUNT_LIST.finditer(body):
        if _CONDITION.search(body[:lst.start()]):
            continue  # "для таблеток 10 мг и 20 мг - краситель": which strengths an excipient is in
        values = re.findall(r"\d+(?:[.,]\d+)?", lst.group("values"))
        first = re.match(r"\d+(?:[.,]\d+)?\s*[^\W\d_]+", lst.group("values")).group(0)
        unit = lexicon().units.get(lst.group("unit").lower(), lst.group("unit"))
        note = (None, f"also {', '.join(values[1:])} {unit}", lst.start())
        return body[:lst.start()] + first.ljust(lst.end() - lst.start()) + body[lst.end():], note
    return body, None


def per_unit(text: str) -> Quantity | None:
    m = _PER.search(text)
    if not m:
        return None
    if m.group("n3"):  # "100 g of ointment contains"
        return Quantity(num(m.group("n3")), m.group("u3").lower())
    if m.group("u4"):
        unit = unit_key(m.group("u4").lower())
        return Quantity(num(m.group("n4")) if m.group("n4") else 1, unit)
    u = m.group("u") or m.group("u2")
    key = unit_key(u.split()[-1].lower())
    if key.endswith("s") and not key.startswith("{"):
        key = key[:-1]
    n = num(m.group("n")) if m.groupdict().get("n") else 1
    return Quantity(n, key)


_LIST_AND = re.compile(r"^\s*(?:" + "|".join(["and", "or", *lexicon().interaction_words.get("and", [])]) + r")\s+", re.I)


def _parse_piece(piece: str, offset: int, active: bool, per: Quantity | None, note: str | None) -> Ingredient | None:
    lm = _LIST_AND.match(piece)
    if lm:  # "a, b, and c": the last of a list
        piece, offset = piece[lm.end():], offset + lm.end()
    raw = piece.strip().rstrip(";.").rstrip("*†‡")
    cond = re.match(r"^(?:для|for)\s+(?:the\s+)?[^-–—:]{2,50}?\s+[-–—:]\s*(?=\w)", raw, re.I)
    if cond:
        # "для таблеток 10 мг и 20 мг - краситель железа оксид": in some strengths only
        note = "; ".join(x for x in (note, cond.group(0).strip(" -–—:")) if x)
        offset += piece.find(raw) + cond.end()
        piece = raw = raw[cond.end():]
    if not re.search(r"[^\W\d_]{3,}", raw) or _PHARMACOPOEIA.match(raw):
        return None
    # Brackets explain ("about 0.8 mg of dry matter", "E171"); amounts are read outside them.
    outside = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group(0)), raw)
    qual = None
    qm = _QUALIFIER.search(outside)
    if qm:
        qual = qm.group("q")
        outside = outside[:qm.start()] + " " * (len(outside) - qm.start())
    amount = None
    m = AMOUNT_RE.search(outside)
    if m and m.group("unit") == "%" and not active:
        # "ethanol 70%": a concentration names the excipient; it is no amount per unit (an active
        # substance's percentage, "hydrocortisone 1%", is its strength)
        nxt = AMOUNT_RE.search(outside, m.end())
        m = nxt if nxt and nxt.group("unit") != "%" else None
    name_end = len(raw)
    name_start = 0
    if m and not re.match(r"^\s*M\b", outside[m.end():]):
        q = amount_from_match(m)
        amount = Amount(q, per)
        if m.start() < 3:  # "500 mg metformin hydrochloride"
            name_start = m.end()
        else:
            name_end = m.start()
    elif qm:
        name_end = qm.start()
    name = raw[name_start:name_end]
    # keep an E number or salt in brackets with the name; drop explanatory brackets
    brackets = re.findall(r"\(([^)]*)\)", name)
    name = re.sub(r"\s*\((?![EeЕ]\s?\d)[^)]*\)", "", name)
    name = re.sub(r"^\s*(?:of\s+)|[\s\-–—:,]+$", "", name).strip(" -–—:,")
    name = re.sub(r"\s+", " ", name)
    if not name:
        return None
    extra = "; ".join(b for b in brackets if not re.match(r"^[EeЕ]\s?\d", b)) or None
    qm2 = re.search(r",?\s+(in terms of|equivalent to|corresponding to|calculated as)\b[^\d]*", name, re.I)
    if qm2:
        if amount:
            amount.qualifier = qm2.group(0).strip(" ,")
        name = name[:qm2.start()]
    if qual:
        if amount is None:
            amount = Amount(Quantity(0, ""), per, qualifier=qual)
            amount.quantity = None  # type: ignore[assignment]
        else:
            amount.qualifier = qual
    start = offset + piece.find(raw[:5]) if raw else offset
    return Ingredient(name, active, Span(start, start + len(raw)), amount, note=" ".join(x for x in (note, extra) if x) or None)


def read_composition(blocks: list[Block], default_per: Quantity | None, active: bool = True) -> list[Ingredient]:
    """Ingredients of the blocks; `active` is the role of lines that name none (an SmPC's list
    of excipients names only excipients)."""
    out: list[Ingredient] = []
    per = default_per
    note = None
    purpose_col: int | None = None
    for b in blocks:
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if b.heading:
            per = per_unit(b.heading) or per
            purpose_col = _purpose_column(b.heading)
            if not b.inline or purpose_col is not None:
                continue  # (a table's header row run in as a heading: its cells are no ingredients)
        if " | " in text:
            # Drug Facts: "Active ingredient (in each tablet) | Purpose" heads a table whose first
            # column is the ingredient and whose purpose column is no ingredient
            col = _purpose_column(text)
            if col is not None:
                purpose_col, per = col, per_unit(text) or per
                continue
            if purpose_col is not None:
                text = " | ".join(text.split(" | ")[:purpose_col])
        if re.match(r"^\s*[*†‡]", text):
            continue  # "*nonsteroidal anti-inflammatory drug": a footnote to a name
        p = per_unit(text)
        if p and (b.label or text.rstrip().endswith(":") or len(text) < 60):
            per = p
            # "Each tablet contains:" says only the unit; "Each capsule contains 100 mg of X and
            # the following inactive ingredients:" says more
            if b.label or text.rstrip().endswith(":") and not AMOUNT_RE.search(_PER.sub(" ", text)):
                continue
        body = strip_bullet(text)
        if b.label and (lm := _ROLE.match(body.rstrip(":") + ":")):
            # "Excipient(s) with known effect" on a line of its own sets the role of what follows
            active = _is_active_role(lm.group("role"))
            continue
        if b.label and not _ROLE.match(body):
            continue
        boff0 = off + text.find(body[:5]) if body else off
        # "Chlorpheniramine maleate, USP 4 mg": a pharmacopoeia mark after a name is no part of
        # it (blanked, so every offset stays)
        body = _MARK.sub(lambda x: " " * len(x.group(0)), body)
        for sent, soff in sentences(body) if not b.label else [(body, 0)]:
            if _CROSS_REF.search(sent):
                continue  # "For the full list of excipients, see section 6.1." names no ingredient
            per, active, note = _read_sentence(sent, boff0 + soff, per, active, note, out)
    return out


_LEAD_CLAUSE = re.compile(r"^(?:after (?:reconstitution|dilution|mixing)|when reconstituted|once reconstituted)"
                          r"(?:\s+(?:as directed|with [^,]{1,40}))?\s*,\s*", re.I)
# "Enoxaparin sodium is a biological substance obtained by ...": prose about a substance names none
_PROSE = re.compile(r"\b(?:is|are|was|were|has been|have been|is being)\s+(?!equivalent\b|present\b|contained\b)", re.I)
_ADVERB = re.compile(r"^\s*(?:nominally|approximately|about|around|a total of)\s+", re.I)
# "each 0.4 mL single-dose pre-filled pen contains", "each 5 mL of oral suspension contains",
# "each metered dose (ex-valve) contains": what the amounts after the verb are per
_SUBJECT = re.compile(r"\b(?:each|one|every|1)\s+(?:(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>ml|g|мл|г)\b)?(?P<rest>[^.;:]{0,80}?)\s*"
                      r"(?:\([^)]*\)\s*)?\b(?:contains?|содерж\w*)\b", re.I)
_UNIT_NOUNS = re.compile(r"(?P<u>tablets?|capsules?|ampoules?|vials?|sachets?|suppositor(?:y|ies)|(?:metered |delivered )?doses?|"
                         r"actuations?|sprays?|puffs?|pens?|syringes?|cartridges?|patch(?:es)?|lozenges?)\b", re.I)


def _purpose_column(text: str) -> int | None:
    cells = [c.strip().lower() for c in text.split(" | ")]
    return next((i for i, c in enumerate(cells) if i and re.fullmatch(r"purposes?", c)), None)


def purposes(blocks: list[Block]) -> list[tuple[str, int]]:
    """The purpose column of a Drug Facts table of active ingredients: (purpose, offset)."""
    out: list[tuple[str, int]] = []
    col: int | None = None
    for b in blocks:
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        for t, o in ((b.heading, None), (text, off)):
            if not t or " | " not in t:
                continue
            c = _purpose_column(t)
            if c is not None:
                col = c
                continue
            cells = t.split(" | ")
            if col is not None and o is not None and len(cells) > col and re.search(r"[^\W\d_]{3,}", cells[col]):
                start = o + sum(len(x) + 3 for x in cells[:col])
                out.append((cells[col].strip(), start))
    return out


_BESIDES_ACTIVE = re.compile(r"^in addition to (?:the )?active (?:ingredient|substance)s?,?\s+(?P<name>[^,]{3,60}),\s*", re.I)
_EQUIVALENT = re.compile(r"\bequivalent to\s+(?P<amounts>\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg)\b.*)$", re.I)


def verb_in(s: str) -> bool:
    return bool(re.search(r"\b(?:contains?|содерж\w*)\b", s, re.I))


def _subject_per(subject_text: str) -> Quantity | None:
    m = _SUBJECT.search(subject_text)
    if not m:
        return None
    if m.group("n"):  # a volume or mass of the product: "each 0.2 mL pre-filled syringe"
        unit = "ml" if m.group("u").lower() in ("ml", "мл") else "g"
        return Quantity(num(m.group("n")), unit)
    u = _UNIT_NOUNS.search(m.group("rest") or "")
    if not u:
        return None
    word = u.group("u").lower().split()[-1].rstrip("s")
    key = {"dose": "{dose}", "actuation": "{actuation}", "spray": "{spray}", "puff": "{puff}"}.get(word)
    return Quantity(1, key or unit_key(word))


_NEXT_CLAUSE = re.compile(r"(?:;|,\s+and|,)\s+(?=(?:the|each|its)?\s*[^;,]{0,50}?\b(?:also\s+)?contains?\b)", re.I)


def _read_sentence(body: str, boff: int, per: Quantity | None, active: bool, note: str | None,
                   out: list[Ingredient]) -> tuple[Quantity | None, bool, str | None]:
    """One sentence of a composition: its ingredients appended to out; the unit and role that
    hold for the sentences after it are returned."""
    verbs = list(re.finditer(r"\b(?:contains?|содерж\w*)\b", body, re.I))
    if len(verbs) > 1:
        # "The capsule shell contains gelatin; the 300 mg shells also contain yellow iron oxide, and
        # the 400 mg shell contains red iron oxide": one clause per verb, each read on its own
        cut = next((c for c in _NEXT_CLAUSE.finditer(body) if verbs[0].end() < c.start() < verbs[1].start()), None)
        if cut:
            per, active, note = _read_sentence(body[:cut.start()], boff, per, active, note, out)
            return _read_sentence(body[cut.end():], boff + cut.end(), per, active, note, out)
    label = strength_label(body)
    if label and label.form == "colon" and label.rest:
        # "Immulora 40 mg: each 0.4 mL pen contains ...": the label names the product, not an ingredient
        cut = len(body) - len(body[body.index(":") + 1:].lstrip())
        body, boff = body[cut:], boff + cut
    lead = _LEAD_CLAUSE.match(body)
    if lead:
        body, boff = body[lead.end():], boff + lead.end()
    lead = _BESIDES_ACTIVE.match(body)
    if lead:
        # "In addition to the active ingredient, amlodipine besylate, each tablet contains the
        # following inactive ingredients: ...": the active substance named on the way
        name = lead.group("name").strip()
        start = boff + lead.start("name")
        out.append(Ingredient(name, True, Span(start, start + len(name))))
        body, boff = body[lead.end():], boff + lead.end()
    eq = _EQUIVALENT.search(body)
    if eq and not verb_in(body):
        # "AMVELTA tablets are formulated as white tablets equivalent to 2.5 mg, 5 mg and 10 mg of
        # amlodipine": a statement of strength with no verb of containing ("... and the following
        # inactive ingredients: a, b, c" after it lists the excipients)
        mid = _ROLE_MIDWAY.search(body, eq.start("amounts"))
        tail = (body[mid.end():], boff + mid.end()) if mid else None
        if mid:
            body = body[:mid.start()]
        body, also = _one_strength(body[eq.start("amounts"):])
        boff += eq.start("amounts")
        unit = _UNIT_NOUNS.search(eq.string[:eq.start()])
        q = Quantity(1, unit_key(unit.group("u").lower().rstrip("s"))) if unit else per
        ing = _parse_piece(body, boff, True, q, also[1] if also else None)
        if ing:
            out.append(ing)
        if tail:
            return _read_sentence(tail[0], tail[1], per, False, None, out)
        return per, active, note
    sentence_per = None
    verb = re.search(r"\b(?:contains?|содерж\w*)\b", body, re.I)
    if verb and not _ROLE.match(body):
        sentence_per = _subject_per(body[:verb.end()])
        head = re.sub(r"\([^)]*\)", " ", body[:verb.start()])
        unit_said = sentence_per is not None or _PER.search(body[:verb.end()]) or \
            re.search(r"\b(?:each|one|every|per|1)\b", head, re.I)
        if not unit_said and (_PROSE.search(head) or re.search(r"\b(?:after|once|when)\b", head, re.I)) or \
                re.match(r"\s*(?:no|not any)\b", body[verb.end():], re.I):
            # "After reconstitution with 5 mL of solvent the solution contains 50 IU/mL": a
            # concentration, not what a unit holds; "The powder contains no excipients"
            return per, active, note
    elif not _ROLE.match(body) and not _ROLE_MIDWAY.search(body):
        plain = re.sub(r"\([^)]*\)", lambda x: " " * len(x.group(0)), body)
        prose = _PROSE.search(plain)
        amount = AMOUNT_RE.search(plain)
        if prose and (amount is None or prose.start() < amount.start()) or PACKAGE_CODE.search(plain):
            return per, active, note  # a sentence about the substance, or a pack, not what the product holds
    boff0 = boff
    body, also = _one_strength(body)
    m = _ROLE.match(body)
    if m:
        role = m.group("role").lower()
        active = _is_active_role(role)
        note = None if role.startswith(("active", "excipient", "inactive", "auxiliary", "other", "the following")) \
            or _LEXICON_ROLE.fullmatch(role) else m.group("role")
        body, boff = body[m.end():], boff + m.end()
    elif (mid := _ROLE_MIDWAY.search(body)) is not None:
        # "... contain 10 mg atorvastatin and the following inactive ingredients: a, b, c"
        head, tail = body[:mid.start()], body[mid.end():]
        pm = _PER.search(head)
        cm = re.search(r"\bcontains?\b", head, re.I)
        if pm and "contains" in pm.group(0).lower():
            per = per_unit(pm.group(0)) or per
            boff, head, tail_off = boff + pm.end(), head[pm.end():], mid.end() - pm.end()
        elif cm:  # "LIPITOR Tablets for oral administration contain 10 mg atorvastatin"
            boff, head, tail_off = boff + cm.end(), head[cm.end():], mid.end() - cm.end()
        else:
            tail_off = mid.end()
        out += [i for piece, poff in split_top_level(head, ",;")
                if (i := _parse_piece(piece, boff + poff, True, per,
                                      also[1] if also and also[0] and also[0] in piece else None))]
        active, note = False, None
        body, boff = tail, boff + tail_off
    # "Each tablet contains 500 mg metformin": the sentence gives the unit and the amount; the
    # unit holds for the lines after it only where the sentence ends on its verb ("contains:")
    this_per = per
    stated = False
    where = None  # the part of the product a clause speaks of ("in the 400 mg shell")
    pm = _PER.search(body)
    if pm and re.search(r"contain|содерж", pm.group(0), re.I):
        this_per = sentence_per or per_unit(pm.group(0)) or per
        body, boff = body[pm.end():], boff + pm.end()
        stated = True
    elif sentence_per is not None and verb is not None and verb.start() < len(body):
        cut = re.search(r"\b(?:contains?|содерж\w*)\b", body, re.I)
        if cut:
            this_per = sentence_per
            body, boff = body[cut.end():], boff + cut.end()
            stated = True
    elif verb is not None and (cut := re.search(r"\b(?:also\s+)?(?:contains?|содерж\w*)\b", body, re.I)):
        # "ZELTRAVA tablets contain X", "The 5 mg tablet film coat also contains Y": what the
        # subject says is where the ingredient is, not a unit to count by
        subject = re.sub(r"\s+", " ", body[:cut.start()]).strip(" ,")
        if re.search(r"\d", subject) or re.search(r"\b(?:coat|coating|shell|core|ink|capsule shell)s?\b", subject, re.I):
            where = f"in {subject[0].lower() + subject[1:]}"
        body, boff = body[cut.end():], boff + cut.end()
        stated = True
    if stated and not body.strip(" :"):
        per = this_per
    adverb = _ADVERB.match(body)
    if adverb:
        body, boff = body[adverb.end():], boff + adverb.end()
    pieces: list[tuple[str, int]] = []
    for piece, poff in split_top_level(body, ",;"):
        # "X, in terms of total protein 0.9 mg" and "X, equivalent to 390 mg Y" qualify X.
        # "Povidone-iodine, 5% (0.5% available iodine)": an amount alone belongs to the name before it.
        if pieces and (re.match(r"^(?:in terms of|equivalent to|corresponding to|calculated as)\b", piece, re.I)
                       or _AMOUNT_ONLY.match(piece.rstrip("*†‡"))):
            prev, pstart = pieces[-1]
            pieces[-1] = (body[pstart:poff + len(piece)], pstart)
        else:
            pieces.append((piece, poff))
    # "rosuvastatin calcium, a synthetic lipid-lowering agent": an apposition names no ingredient
    pieces = [(pc, po) for k, (pc, po) in enumerate(pieces) if not (k and re.match(r"^(?:a|an|the)\s", pc, re.I))]
    if stated or m:
        # "..., sucrose, polysorbate 80 and water for injection", "500 mg X and 50 mg Y": the last
        # two of a list (both with an amount or neither)
        last, lstart = pieces[-1] if pieces else ("", 0)
        two = re.split(r"\s+(?:and|и)\s+(?![^()]*\))", last, maxsplit=1)
        if len(two) == 2 and not re.match(r"(?:для|for)\b", last, re.I) and \
                bool(AMOUNT_RE.search(two[0])) == bool(AMOUNT_RE.search(two[1])) and \
                re.search(r"[^\W\d_]{3,}", two[1]) and re.search(r"[^\W\d_]{3,}", two[0]):
            pieces[-1:] = [(two[0], lstart), (two[1], lstart + last.rindex(two[1]))]
    read: list[Ingredient] = []
    roles = [(m.end(), _is_active_role(m.group("role"))) for m in _ROLE_INSIDE.finditer(body)
             if m.start() == 0 or body[m.start() - 1:m.start()] in (";", ":", " ")]
    for piece, poff in pieces:
        for at, is_active in roles:
            if at <= poff + len(piece) and at > poff - 2:
                # the piece starts with its role: "excipients: lactose monohydrate - 52 mg"
                cut = at - poff
                piece, poff, active = piece[cut:], poff + cut, is_active
                break
        ing = _parse_piece(piece, boff + poff, active, this_per, "; ".join(x for x in (note, where) if x) or None)
        if ing is None:
            continue
        if stated and read and read[-1].amount and ing.amount is None and read[-1].active == ing.active:
            if len(pieces) == 2:
                # "250 IU human coagulation factor VIII (rDNA), octocog alfa": another name of the same
                read[-1].note = "; ".join(x for x in (read[-1].note, f"also named {ing.name}") if x)
                continue
            if not roles:
                # "Each 0.8 mL contains 40 mg adalimumab, L-histidine, sucrose ...": what follows
                # the substances with their amounts, with none, are the excipients
                active = ing.active = False
        read.append(ing)
    out += read
    for ing in out if also else ():
        at = boff0 + also[2]
        named = ing.name == also[0] if also[0] else ing.span.start <= at <= ing.span.end
        if named and also[1] not in (ing.note or ""):
            ing.note = "; ".join(x for x in (ing.note, also[1]) if x)
    return per, active, note
