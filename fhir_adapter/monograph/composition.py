"""Composition per unit: active substances and excipients with their amounts."""
from __future__ import annotations

import re

from .lexicon import lexicon
from .model import Amount, Ingredient, Quantity, Span
from .quantities import AMOUNT_RE, amount_from_match, num, unit_key
from .sections import Block
from .text import split_top_level, strip_bullet

_ROLE = re.compile(r"^(?P<role>active (?:substances?|ingredients?|components?)|excipients?(?:\(s\))?(?: with known effects?)?|"
                   r"(?:the following )?inactive ingredients?|"
                   r"auxiliary substances|other ingredients?|(?:the )?(?:capsule|tablet) (?:shell|coating|core)|"
                   r"hard gelatin capsule|film[- ]coating|coating|shell|"
                   + "|".join(lexicon().roles_active + lexicon().roles_inactive) + r")\s*:\s*", re.I)
_ACTIVE_ROLE = re.compile("|".join(lexicon().roles_active) or "$^", re.I)
_LEXICON_ROLE = re.compile("|".join(lexicon().roles_active + lexicon().roles_inactive) or "$^", re.I)


def _is_active_role(role: str) -> bool:
    return role.lower().startswith("active") or bool(_ACTIVE_ROLE.fullmatch(role))
_PER = re.compile(r"(?:composition\s+)?(?:per|in)\s+(?P<n>\d+(?:[.,]\d+)?)?\s*(?P<u>ml|g|tablets?|capsules?|ampoules?|"
                  r"vials?|sachets?|suppositor(?:y|ies)|doses?)\b|(?:one|1|each)\s+(?:\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg)\s+)?(?P<u2>tablets?|capsules?|ampoules?|"
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
_QUALIFIER = re.compile(r"\s+(?P<q>(?:to|up to|q\.?s\.? (?:to|ad)|ad|до)\s+(?:pH\s*[\d.,]+|\d+(?:[.,]\d+)?\s*(?:ml|мл)))", re.I)


_AMOUNT_ONLY = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*(?:%|mg|g|mcg|µg|ml)(?:\s*(?:w/w|w/v|v/v))?\s*(?:\([^)]*\))?\s*\.?$",
                          re.I)
_CROSS_REF = re.compile(r"\bsee (?:section|sections|paragraph)\b|\bfull list of excipients\b", re.I)


def _one_strength(body: str) -> tuple[str, tuple[str, str] | None]:
    """'contain 10, 20, 40, or 80 mg atorvastatin': one label, several strengths. The first is
    read and the others returned as (name, note); the text keeps its length, so offsets into
    it still point at the source."""
    alt = _STRENGTH_LIST.search(body)
    if not alt:
        return body, None
    values = re.findall(r"\d+(?:[.,]\d+)?", alt.group("values"))
    repl = f"{values[0]} {alt.group('unit')} {alt.group('name')}"
    note = (alt.group("name"), f"also {', '.join(values[1:])} {alt.group('unit')}")
    return body[:alt.start()] + repl.ljust(alt.end() - alt.start()) + body[alt.end():], note


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


def _parse_piece(piece: str, offset: int, active: bool, per: Quantity | None, note: str | None) -> Ingredient | None:
    raw = piece.strip().rstrip(";.")
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
    for b in blocks:
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if b.heading:
            per = per_unit(b.heading) or per
            if not b.inline:
                continue
        p = per_unit(text)
        if p and (b.label or text.rstrip().endswith(":") or len(text) < 60):
            per = p
            if b.label or text.rstrip().endswith(":"):
                continue
        body = strip_bullet(text)
        if b.label and (lm := _ROLE.match(body.rstrip(":") + ":")):
            # "Excipient(s) with known effect" on a line of its own sets the role of what follows
            active = _is_active_role(lm.group("role"))
            continue
        if _CROSS_REF.search(body):
            continue  # "For the full list of excipients, see section 6.1." names no ingredient
        body, also = _one_strength(body)
        boff = off + text.find(body[:5]) if body else off
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
                    if (i := _parse_piece(piece, boff + poff, True, per, also[1] if also and also[0] in piece else None))]
            active, note = False, None
            body, boff = tail, boff + tail_off
        elif b.label:
            continue
        # "Each tablet contains 500 mg metformin": the sentence gives the unit and the amount.
        pm = _PER.search(body)
        if pm and re.search(r"contain|содерж", pm.group(0), re.I):
            per = per_unit(pm.group(0)) or per
            body, boff = body[pm.end():], boff + pm.end()
        pieces: list[tuple[str, int]] = []
        for piece, poff in split_top_level(body, ",;"):
            # "X, in terms of total protein 0.9 mg" and "X, equivalent to 390 mg Y" qualify X.
            # "Povidone-iodine, 5% (0.5% available iodine)": an amount alone belongs to the name before it.
            if pieces and (re.match(r"^(?:in terms of|equivalent to|corresponding to|calculated as)\b", piece, re.I)
                           or _AMOUNT_ONLY.match(piece)):
                prev, pstart = pieces[-1]
                pieces[-1] = (body[pstart:poff + len(piece)], pstart)
            else:
                pieces.append((piece, poff))
        for piece, poff in pieces:
            ing = _parse_piece(piece, boff + poff, active, per, note)
            if ing:
                out.append(ing)
        for ing in out if also else ():
            if ing.name == also[0] and also[1] not in (ing.note or ""):
                ing.note = "; ".join(x for x in (ing.note, also[1]) if x)
    return out
