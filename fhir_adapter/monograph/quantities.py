"""Numbers and units as monographs write them: 0.1-0.2 mg, 2 to 8 °C, 1,5 ml, 3 years."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import alternation, frequency_by_rules, lexicon
from .model import Quantity

NUM = r"\d+(?:[.,]\d+)?"
# Unit words, time words and number words of every language (rules/<language>/vocabulary.json) ->
# the unit keys the readers use (the terminology stage turns keys into UCUM).
UNIT_WORDS = {**lexicon().units, "%": "%"}
TIME_WORDS = lexicon().time_words
PER_UNITS = lexicon().per_units
_UNIT_ALT = alternation(u for u in UNIT_WORDS if u != "%")
# A dose or content amount: 0.1-0.2 mg, 25 mg/kg, 2-3 mg/kg body weight, 1,5 ml, 5 %.
AMOUNT_RE = re.compile(
    # "5 mg to 10 mg" is one range like "5-10 mg": the first unit may be written twice
    rf"(?<![\w.])(?P<lo>{NUM})(?:\s*(?P<lounit>(?:{_UNIT_ALT})\b|%)?\s*(?:-|–|to)\s*(?P<hi>{NUM}))?"
    rf"\s*(?P<unit>(?:{_UNIT_ALT})\b|%)"
    rf"(?:\s*/\s*(?P<pern>{NUM})?\s*(?P<per>{alternation(PER_UNITS)})\b)?",
    re.I,
)

# The units a dose is given in (UCUM, annotations for countable forms).
DOSE_UNITS = {"mg", "g", "ug", "ng", "ml", "[iU]", "{tablet}", "{capsule}", "[drp]", "{ampoule}", "{vial}",
               "{sachet}", "{suppository}", "{dose}", "{puff}", "mmol", "{caplet}", "{spray}", "{actuation}"}

# How often: "2-3 times a day", "once weekly", "every 8 hours", "every other day", "daily".
FREQUENCY_RE = re.compile(
    rf"(?P<lo>{NUM}|one|two|three|four|five|six)(?:\s*(?:-|–|to|or)\s*(?P<hi>{NUM}|two|three|four|five|six))?\s*"
    rf"(?:times?|x)\s*(?:a|per|/|in\s+a|daily|each)?\s*(?P<per>day|daily|weekly|week|monthly|month|hour|d)?\b"
    r"|(?P<word>once|twice|thrice)\s*(?:a|per|every)?\s*(?P<per2>day|daily|weekly|week|monthly|month)?\b"
    r"|every\s+(?P<other>other|second)\s+(?P<otheru>day|week|month)\b"
    rf"|every\s+(?P<ev>{NUM})(?:\s*(?:-|–|to)\s*(?P<evhi>{NUM}))?\s*(?P<evu>hours?|days?|weeks?|h)\b"
    r"|(?:every|each)\s+(?P<every1>day|week|month)\b|(?P<weekly>weekly|once a week)\b"
    r"|(?P<perday>per day|a day|daily|/day|/24 h)\b", re.I)


def num(s: str) -> float:
    v = float(s.replace(",", "."))
    return int(v) if v.is_integer() else v


def unit_key(word: str) -> str:
    w = word.lower()
    return UNIT_WORDS.get(w, w)


def per_amount(m: re.Match) -> float:
    """The number under the slash of '100 mg/2 ml' (1 when there is none)."""
    return num(m.group("pern")) if m.group("pern") else 1


def amount_from_match(m: re.Match) -> Quantity:
    unit = unit_key(m.group("unit"))
    per = m.group("per")
    if per:
        per = PER_UNITS.get(per.lower(), per.lower())
        unit = f"{unit}/{per}"
    lo = num(m.group("lo"))
    hi = num(m.group("hi")) if m.group("hi") else None
    if m.groupdict().get("lounit") and unit_key(m.group("lounit")) != unit_key(m.group("unit")):
        hi = None  # "5 mg to 10 ml" is no range
    if hi is not None and hi < lo:
        hi = None  # "40-20 mg" is no range; keep the first figure
    return Quantity(lo, unit, high=hi)


def find_amounts(s: str) -> list[tuple[Quantity, int, int]]:
    return [(amount_from_match(m), m.start(), m.end()) for m in AMOUNT_RE.finditer(s)]


_DURATION_RE = re.compile(
    rf"(?P<lo>{NUM})(?:\s*(?:-|–|to)\s*(?P<hi>{NUM}))?\s*(?P<unit>years?|months?|weeks?|days?|hours?)\b", re.I)


def find_duration(s: str) -> Quantity | None:
    m = _DURATION_RE.search(s)
    if not m:
        return None
    hi = num(m.group("hi")) if m.group("hi") else None
    return Quantity(num(m.group("lo")), TIME_WORDS[m.group("unit").lower()], high=hi)


WORD_NUMBERS = lexicon().number_words


# A package code is no amount: "NDC 71234-105-30", "71234-105-30".
PACKAGE_CODE = re.compile(r"\bNDC\b(?:[\s#:]*[\dX-]+)?|\b[\dX]{4,5}-[\dX]{3,4}(?:-[\dX]{1,2})?\b", re.I)

_STRENGTH = (rf"(?P<v{{i}}>{NUM})\s*(?P<u{{i}}>mg|g|grams?|mcg|µg|micrograms?|iu|units?|мг|мкг|г|ме)\b"
             rf"(?:\s*/\s*(?P<p{{i}}>{NUM})?\s*(?P<pu{{i}}>ml|мл|g|г|dose|actuation)\b)?")
_STRENGTH_ONE = re.compile(_STRENGTH.format(i=0), re.I)


@dataclass
class StrengthLabel:
    """'Immulora 40 mg:', '60 mg/0.6 mL and 80 mg/0.8 mL:', '5 mg' alone on its line, '5 mg tablets
    in packs of 28': the strengths that lead a clause, and what the clause says of them."""

    strengths: list[Quantity]
    per_volume: list[Quantity | None]  # "20 mg/0.2 mL": the volume each strength is in
    rest: str  # the clause after the label
    form: str  # "colon", "alone" (nothing after it) or "before-unit" ("5 mg tablets ...")


@cache
def _label_re(unit_words: str | None) -> re.Pattern:
    before_unit = rf"|(?=\s+(?:{unit_words})\b)" if unit_words else ""
    return re.compile(
        rf"^(?:[^\W\d_][\w-]*,?\s+){{0,3}}(?P<all>{_STRENGTH.format(i=0)}(?:\s*(?:,|and|или|и)\s*{_STRENGTH.format(i=1)})*)"
        rf"(?:(?P<colon>[^:.;]{{0,40}}:)|(?P<alone>(?:\s+[^\W\d_][\w-]*){{0,2}}\s*$){before_unit})", re.I)


def strength_label(clause: str, unit_words: str | None = None) -> StrengthLabel | None:
    """The strength label a clause starts with; `unit_words` (a regex of counted units) also admits
    a label that a unit follows ("5 mg tablets in packs of 28")."""
    m = _label_re(unit_words).match(clause)
    if not m:
        return None
    strengths, per = [], []
    for sm in _STRENGTH_ONE.finditer(m.group("all")):
        unit = sm.group("u0").lower().replace("mcg", "ug").replace("µg", "ug")
        unit = "g" if unit.startswith("gram") else unit
        strengths.append(Quantity(num(sm.group("v0")), UNIT_WORDS.get(unit, unit)))
        volume = sm.group("p0") and sm.group("pu0").lower() in ("ml", "мл")
        per.append(Quantity(num(sm.group("p0")), "ml") if volume else None)
    if m.group("colon"):
        return StrengthLabel(strengths, per, clause[m.end():].strip(), "colon")
    if m.group("alone") is not None:
        return StrengthLabel(strengths, per, "", "alone")
    return StrengthLabel(strengths, per, clause[m.end("all"):].strip(), "before-unit")


_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
_PER_DAY = re.compile(r"(?<![\w])(?:" + "|".join(lexicon().dosage_words.get("per_day", [])) + r")(?![\w])", re.I)


def doses_with_frequency(text: str, reach: int = 60) -> int:
    """How many dose amounts are followed, in their sentence, by how often they are given
    ("500 mg every 8 hours", "2 tablets 3 times a day", "по 1 таблетке 2 раза в сутки"): the
    entity that says a paragraph is about dosing whatever words surround it."""
    n = 0
    for m in AMOUNT_RE.finditer(text):
        if amount_from_match(m).unit.split("/")[0] not in DOSE_UNITS:
            continue
        after = text[m.end():m.end() + reach]
        stop = _SENTENCE_END.search(after)
        after = after[:stop.start()] if stop else after
        if FREQUENCY_RE.search(after) or _PER_DAY.search(after) or frequency_by_rules(after):
            n += 1
    return n


# (not actuations: "in 2-3 doses" is how a dose is divided, not what a pack holds)
_PACKED = "|".join([p for _k, p in lexicon().containers]
                   + [p for k, ps in lexicon().pack_units.items() if k != "actuation" for p in ps])
# "packs of 2 or 10 pre-filled syringes", "cartons of 28 tablets", "5 ampoules", "10 шприцев": a whole
# count of containers or of the units a pack counts, at most two words between the
# count, and no unit between ("20 mg tablets" is a strength)
_COUNTED_PACK = re.compile(rf"(?<![\w.,/])\d+(?![.,]\d)\s+(?:(?!(?:{_UNIT_ALT})\b)[^\W\d_][\w-]*\s+){{0,2}}?"
                           rf"(?:{_PACKED})(?![^\W\d_])", re.I)


def counted_packs(text: str) -> int:
    """How many counts of containers or pack units the text gives with no frequency after them
    in their sentence ("28 tablets" is a pack, "2 tablets 3 times a day" a dose): the entity that
    says a paragraph describes packaging."""
    n = 0
    for m in _COUNTED_PACK.finditer(text):
        after = text[m.end():m.end() + 60]
        stop = _SENTENCE_END.search(after)
        after = after[:stop.start()] if stop else after
        if not (FREQUENCY_RE.search(after) or frequency_by_rules(after)):
            n += 1
    return n
