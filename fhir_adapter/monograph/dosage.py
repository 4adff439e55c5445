"""Dosing regimens: dose or dose range, frequency, period, course length, route, population."""
from __future__ import annotations

import itertools
import re

from .clinical import population_of
from .lexicon import duration_by_rules, frequency_by_rules, lexicon
from .model import Dosage, Population, Quantity, Span
from .quantities import AMOUNT_RE, DOSE_UNITS, NUM, TIME_WORDS, WORD_NUMBERS, amount_from_match, num
from .quantities import FREQUENCY_RE as _FREQ
from .sections import Block, label_text
from .text import sentences
from .vocabulary import routes_in

_NUMW = rf"(?:{NUM}|{'|'.join(w for w in WORD_NUMBERS if w not in ('once', 'twice', 'thrice'))})"
# "for 2 doses", "(two doses)": how many administrations a course has
_DOSE_COUNT = re.compile(rf"\bfor\s+(?P<n>{_NUMW})\s+doses\b|\((?P<n2>{_NUMW})\s+doses\)", re.I)
_COURSE = re.compile(
    rf"\bfor\s+(?:the\s+(?:first|next|following)\s+)?(?P<lo>{_NUMW})(?:\s*(?:-|–|to)\s*(?P<hi>{NUM}))?\s*"
    r"(?P<u>days?|weeks?|months?|years?)\b"
    rf"|\b(?:in|during)\s+the\s+first\s+(?P<lo2>{NUM})(?:\s*(?:-|–|to)\s*(?P<hi2>{NUM}))?\s*(?P<u2>days?|weeks?)\b"
    rf"|\bcourse(?: of (?:treatment|therapy|administration))?\s+(?:is|lasts|of|takes|:)?\s*"
    rf"(?:from\s+|(?:no|not) more than\s+|up to\s+)?"
    rf"(?P<lo3>{NUM})(?:\s*(?:-|–|to)\s*(?P<hi3>{NUM}))?\s*(?P<u3>days?|weeks?|months?)\b",
    re.I)
_MAX_DAY = re.compile(rf"(?:maximum|max\.?)\s+daily\s+dose[^.;\d]*?(?P<v>{NUM})\s*(?P<u>mg|g|ml|mcg)\b|"
                      rf"(?:maximum|max\.?)\s+(?:recommended\s+)?dose\s+is\s+(?P<v3>{NUM})\s*(?P<u3>mg|g|ml|mcg)"
                      r"\s*(?:/\s*day|per day|a day|daily)\b|"
                      rf"daily dose (?:must|should) not exceed\s+(?P<v2>{NUM})\s*(?P<u2>mg|g|ml|mcg)\b", re.I)
_MAX_ONCE_DAILY = re.compile(rf"maximum\s+(?:single\s+)?dose\s+(?:is|of)\s+(?P<v>{NUM})\s*(?P<u>mg|g|mcg|ml)\b"
                             r"[^.;]*?\b(?:once (?:a day|daily)|1 time (?:a|per) day|per day|a day|daily)", re.I)
_APPLY = re.compile(r"\b(?:appl(?:y|ied|ies)|rub(?:bed)?|instil(?:l)?(?:ed)?|spray(?:ed)?|put on|smear(?:ed)?)\b", re.I)
_SINGLE_DAILY = re.compile(r"\b(?:as a single (?:daily )?dose|in (?:a single|one) (?:daily )?dose|once daily|"
                           r"once a day)\b", re.I)
_METHOD = re.compile(r"\b(drip|jet|bolus|infusion|stream)\b", re.I)
_CC = re.compile(rf"\b(?:CC|creatinine clearance|CrCl|eGFR|GFR)\s*(?P<rel>more than|less than|over|under|>|<|≥|≤)?\s*"
                 rf"(?P<lo>{NUM})(?:\s*(?:-|–|to)\s*(?P<hi>{NUM}))?\s*(?P<u>ml/min(?:/1\.73\s*m2)?)", re.I)
_REPEAT = re.compile(r"[^.;]*\brepeat(?:ed)?\b[^.;]*(?:course|treatment)?[^.;]*", re.I)


# What stands before an amount that is a ceiling, not a dose: "up to a maximum of 0.61 mg/kg".
_CAP_BEFORE = re.compile(r"(?:(?:maximum|max\.?|up to|not (?:to )?exceed|no more than|not more than|at most|"
                         r"limit(?:ed)? to|(?:do not|don't|never) (?:take|use|give|exceed|administer) more than)"
                         r"(?:\s+(?:recommended|total|single|daily|weekly|monthly|of|a|the|dose|dosage|is))*"
                         r"|\bmaximum\b[^.;]{0,40}?\b(?:is|of|:|=)"
                         + "".join(f"|(?:{c})" for c in lexicon().ceilings) + r")\s*$", re.I)
# "in combination with clarithromycin 500 mg": the dose of another medicine
_OTHER_DRUG_BEFORE = re.compile(r"(?:\bwith|\bplus|\band|\bor|,|\badminister|\bgive|\bgiven)\s+"
                                r"(?P<name>[A-Za-z][a-z][\w-]{3,})\s*$")
# A laboratory threshold or a concentration is not a dose: "serum creatinine >3 mg/dL".
_THRESHOLD_BEFORE = re.compile(r"(?:[<>≤≥]=?|=<|=>|above|below|greater than|less than|exceed(?:s|ing)?)\s*$", re.I)
_PER_VOLUME_AFTER = re.compile(r"\s*/\s*(?:d?l|ml|dl|µl|ul)\b", re.I)
# "2.4 Dose Adjustment in Renal Impairment": a section number, not an amount
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s+(?=[A-Z])")
_CAP_HEADER = re.compile(r"\b(?:maximum|max\.?|not to exceed)\b", re.I)
# "A total of 40 mg in 24 hours must never be exceeded": a ceiling said after its amount
_CAP_AFTER = re.compile(r"^[^.;,]{0,40}?\b(?:must|should|may)\s+(?:never|not)\s+be\s+exceeded\b", re.I)
# "the 40 mg tablet", "the 40 mg dose is contraindicated": a strength the text refers to
_STRENGTH_REFERENCE = (re.compile(r"\b(?:the|this|a|each)\s+$", re.I),
                       re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:tablets?|capsules?|strengths?|dose\s+(?:is|should|must|was)"
                                  r"|formulations?|vials?|pens?|syringes?|solution)\b", re.I))
# "10 or 20 mg", "10, 20 or 40 mg": the options before an amount that says its unit once
_OPTIONS_BEFORE = re.compile(rf"(?<![\w.,])(?P<opts>{NUM}(?:\s*,\s*{NUM})*)\s*,?\s+(?:{'|'.join(lexicon().dosage_words['or'])})\s+$",
                             re.I)


# "two practically simultaneous injections of 25 mg": a stated dose (50 mg) given in parts
_PARTS_BEFORE = re.compile(rf"(?<![\w.,])(?P<n>{_NUMW})\s+(?:[^\W\d_][\w-]*\s+){{0,2}}?"
                           rf"(?:{'|'.join(lexicon().dosage_words.get('administrations', ['doses']))})\s+(?:of\s+)?$", re.I)
# "two tablets of 10 mg": units taken together, whose amounts add up to one dose (not injections,
# infusions or doses, which may be given apart: "two infusions of 1000 mg two weeks apart")
_TOGETHER_BEFORE = re.compile(rf"(?<![\w.,])(?P<n>{_NUMW})\s+(?:[^\W\d_][\w-]*\s+){{0,2}}?"
                              rf"(?:{'|'.join(p for k in ('tablet', 'capsule') for p in lexicon().pack_units.get(k, []))})"
                              r"\s+of\s+$", re.I)
_NOT_A_NAME = {"tablets", "tablet", "capsules", "doses", "dose", "daily", "initially", "then", "orally", "total",
               "food", "water", "meals", "adults", "children", "patients", "weekly", "another", "additional",
               "further", "least", "starting", "single", "usual", "maintenance"}


def _not_a_dose(masked: str, m: re.Match, header: list[str] | None, self_names: frozenset[str] = frozenset()) -> bool:
    """A ceiling, a threshold, a concentration, another medicine's dose, or a value in a table column
    of maxima."""
    before = masked[max(0, m.start() - 60):m.start()]
    if _CAP_BEFORE.search(before) or _THRESHOLD_BEFORE.search(before) or _CAP_AFTER.match(masked[m.end():]):
        return True
    if _STRENGTH_REFERENCE[1].match(masked[m.end():]):
        if _STRENGTH_REFERENCE[0].search(before) and not _FREQ.search(masked[m.end():]):
            return True  # (but "take a 25 mg tablet once daily" is a dose)
        # "Methotrexate 2.5 mg Tablets must only be taken once a week": the product's name
        last = re.search(r"([^\W\d_][\w-]*)\s*$", before)
        if last and last.group(1).lower() in self_names:
            return True
    om = _OTHER_DRUG_BEFORE.search(before)
    if om and self_names and om.group("name").lower() not in self_names and om.group("name").lower() not in _NOT_A_NAME \
            and not routes_in(om.group("name")):
        return True
    unit = amount_from_match(m).unit
    if _part_of_a_stated_dose(masked, m, before):
        return True
    if unit == "{dose}" and re.search(r"(?:\bfor|\()\s*$", before, re.I):
        return True  # "every 12 hours for 2 doses": how many, not how much
    if "/" in unit and unit.split("/")[1] in ("ml", "l", "dl") or _PER_VOLUME_AFTER.match(masked[m.end():]):
        return True
    if header is not None:
        cell = masked[:m.start()].count("|")
        if cell < len(header) and _CAP_HEADER.search(header[cell]):
            return True
    return False


def _same_regimen(a: Dosage, b: Dosage) -> bool:
    return a.span == b.span and all(getattr(a, f) == getattr(b, f) for f in (
        "dose", "daily_total", "frequency", "frequency_max", "period", "period_unit", "route", "duration", "population"))


def _part_of_a_stated_dose(masked: str, m: re.Match, before: str) -> bool:
    """'50 mg ... or two injections of 25 mg': the 25 mg is a part of the 50 mg dose, no dose of its own."""
    pm = _PARTS_BEFORE.search(before)
    if not pm:
        return False
    n, q = _int(pm.group("n")), amount_from_match(m)
    return n > 1 and any(o.start() != m.start() and amount_from_match(o).unit == q.unit
                         and amount_from_match(o).value == n * q.value for o in AMOUNT_RE.finditer(masked))


_HEADER_UNIT = re.compile(r"\((mg|g|mcg|µg|ml|mL|IU|mg/kg)\)|\b(?:dose|dosage)\s+in\s+(mg|g|mL)\b", re.I)
_BARE_NUMBER_CELL = re.compile(rf"^\s*{NUM}(?:\s*(?:-|–|to)\s*{NUM})?\s*$")


def _with_header_units(row: str, header: list[str]) -> str:
    """'Normal | >80 | 500 to 1,500 | Every 12 hours' under 'Dosage (mg)': a cell of bare numbers
    takes the unit its column head gives. The row keeps its cells' places (spans are the row's)."""
    cells = row.split(" | ")
    for i, cell in enumerate(cells):
        hm = _HEADER_UNIT.search(header[i]) if i < len(header) else None
        if hm and _BARE_NUMBER_CELL.match(cell) and not _CAP_HEADER.search(header[i]):
            cells[i] = f"{cell.rstrip()} {hm.group(1) or hm.group(2)}"
    return " | ".join(cells)


def _int(s: str) -> int:
    return WORD_NUMBERS.get(s.lower()) or int(float(s.replace(",", ".")))


def _frequency(ctx: str) -> tuple[int | None, int | None, float | None, str | None, bool]:
    """(frequency, frequencyMax, period, periodUnit, is_daily_total) read from the words after a dose."""
    m = _FREQ.search(ctx)
    if not m:
        # the other languages' frequency rules (rules/<language>/vocabulary.json)
        by_rules = frequency_by_rules(ctx)
        return (*by_rules, False) if by_rules else (None, None, None, None, False)
    if m.group("perday"):
        return None, None, 1, "d", True
    if m.group("word"):
        per = (m.group("per2") or "day").lower()
        return _int(m.group("word")), None, 1, TIME_WORDS.get(per, "d"), False
    if m.group("other"):
        return 1, None, 2, TIME_WORDS[m.group("otheru").lower()], False
    if m.group("every1"):
        return 1, None, 1, TIME_WORDS[m.group("every1").lower()], False
    if m.group("weekly"):
        return 1, None, 1, "wk", False
    if m.group("ev"):
        unit = TIME_WORDS.get(m.group("evu").lower(), m.group("evu").lower())
        return 1, None, num(m.group("ev")), unit, False
    per = (m.group("per") or "day").lower()
    hi = _int(m.group("hi")) if m.group("hi") else None
    return _int(m.group("lo")), hi, 1, TIME_WORDS.get(per, "d"), False


def _course(ctx: str) -> Quantity | None:
    m = _COURSE.search(ctx)
    if not m:
        return duration_by_rules(ctx)
    for lo, hi, u in (("lo", "hi", "u"), ("lo2", "hi2", "u2"), ("lo3", "hi3", "u3")):
        if m.group(lo):
            high = num(m.group(hi)) if m.group(hi) else None
            low = WORD_NUMBERS.get(m.group(lo).lower()) or num(m.group(lo))
            return Quantity(low, TIME_WORDS[m.group(u).lower()], high=high)
    return None


def _mask_brackets(s: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), s)


def _options(before: str, q: Quantity) -> list[Quantity]:
    """'10 or 20 mg': the label's options, each a dose of its own ('5 mg or 10 mg' likewise);
    '1 or 2 tablets' is the range 1-2 (of counted units, the range holds just the options)."""
    om = _OPTIONS_BEFORE.search(before)
    if not om or q.high is not None:
        return [q]
    values = [num(v) for v in re.split(r"\s*,\s*", om.group("opts"))]
    if q.unit.startswith("{") and len(values) == 1 and q.value - values[0] == 1 and float(q.value).is_integer():
        return [Quantity(values[0], q.unit, high=q.value)]
    if any(v >= q.value for v in values):
        return [q]  # "40 or 20 mg" is no list of options in order
    return [Quantity(v, q.unit) for v in values] + [q]


def _max_per_day(text: str) -> Quantity | None:
    mm = _MAX_DAY.search(text)
    if mm:
        v, u = next((mm.group(f"v{k}"), mm.group(f"u{k}")) for k in ("", "2", "3") if mm.group(f"v{k}"))
        return Quantity(num(v), u.lower().replace("mcg", "ug"))
    # "The maximum dose is 10 mg once a day": a cap per day
    cm = _MAX_ONCE_DAILY.search(text)
    return Quantity(num(cm.group("v")), cm.group("u").lower().replace("mcg", "ug")) if cm else None


def _maxima_by_part(blocks: list[Block]) -> list[Quantity | None]:
    """The daily maximum of each block's regimens: the one said in its part of the section (between
    sub-headings: '2.2 Paediatric Patients ... the maximum recommended dose is 20 mg/day' caps no
    adult regimen); a maximum said in a part of its own, or in a section without parts, caps all."""
    parts: list[list[int]] = [[]]
    for k, b in enumerate(blocks):
        if (b.heading and not b.inline or b.label) and parts[-1]:
            parts.append([])
        parts[-1].append(k)
    out: list[Quantity | None] = [None] * len(blocks)
    section_wide = None
    for part in parts:
        text = " ".join(blocks[k].para.text for k in part)
        cap = _max_per_day(text)
        if cap is not None and section_wide is None and (len(parts) == 1 or sum(
                amount_from_match(m).unit.split("/")[0] in DOSE_UNITS for m in AMOUNT_RE.finditer(text)) <= 1):
            section_wide = cap  # (the part's amounts are counted only where it states a maximum)
        for k in part:
            out[k] = cap
    return [q if q is not None else section_wide for q in out]


def read_dosage(blocks: list[Block], default_routes: list[str],
                self_names: frozenset[str] = frozenset(), language: str | None = None) -> tuple[list[Dosage], list[str]]:
    """Regimens of the dosage section, and its administration instructions."""
    giving = lexicon().giving.get(language or "")
    out: list[Dosage] = []
    instructions: list[str] = []
    section_route: str | None = None
    label_pop: Population | None = None
    label: str | None = None
    part_max = _maxima_by_part(blocks)
    header: list[str] | None = None  # the column heads of the table being read
    lead_freq = None  # the frequency a lead-in line ending in ':' gives the lines under it
    for k, b in enumerate(blocks):
        max_day = part_max[k]
        if b.heading and not b.inline:
            continue
        row_text = None
        if " | " in b.para.text:
            first = header is None
            if first:
                header = [c.strip() for c in b.para.text.split("|")]
            row_text = b.para.text if first else _with_header_units(b.para.text, header)
            if not any(amount_from_match(x).unit.split("/")[0] in DOSE_UNITS for x in AMOUNT_RE.finditer(row_text)):
                continue  # a row that states no amount
        else:
            header = None
        if b.label:
            label = label_text(b)
            label_pop = population_of(label)
            continue
        text, off = (b.content, b.content_start) if b.inline else (b.para.text, b.para.span.start)
        if row_text is not None:
            text, off = row_text, b.para.span.start
        indication = None
        im = re.match(r"^([^:]{3,120}):\s+", text)
        para_pop = None
        if im and not AMOUNT_RE.search(im.group(1)):
            # "Adults: 250 mg..." names a population; "Biliary colic: ..." an indication.
            para_pop = population_of(im.group(1))
            if para_pop is None:
                indication = im.group(1).strip()
        para_route: str | None = None
        para_duration: Quantity | None = None
        para_start = len(out)
        cc = _CC.search(text)
        untimed: list[Dosage] = []  # the previous sentence's doses that said no time
        for sent, soff in sentences(text):
            masked = _SECTION_NUMBER.sub(lambda x: " " * len(x.group(0)), _mask_brackets(sent))
            doses = [m for m in AMOUNT_RE.finditer(masked)
                     if amount_from_match(m).unit.split("/")[0] in DOSE_UNITS]
            # Rates (40-60 drops per minute), maxima and daily caps are not regimens.
            caps = [m for m in doses if re.search(r"\bmaximum\s+(?:single\s+|daily\s+)?dose\s+(?:is|of)\s*$",
                                                   masked[max(0, m.start() - 40):m.start()], re.I)]
            doses = [m for m in doses if m not in caps and not _not_a_dose(masked, m, header if " | " in sent else None,
                                                                    self_names)
                     and not re.search(r"rate of\s*$",
                                                         masked[max(0, m.start() - 25):m.start()], re.I)
                     and not re.match(r"\s*(?:per|/)\s*min", masked[m.end():], re.I)
                     and not re.search(r"daily dose (?:is|of)\s*$", masked[max(0, m.start() - 20):m.start()], re.I)]
            routes_here = routes_in(sent)
            if untimed and not doses:
                # "... a single 25 mg dose. The product is injected twice a week.": the next
                # sentence, with no amount of its own, says when the dose is given
                freq, fmax, period, punit, daily = _frequency(sent)
                if freq and not daily:
                    course = _course(sent)
                    for d in untimed:
                        d.frequency, d.frequency_max, d.period, d.period_unit = freq, fmax, period, punit
                        d.duration = d.duration or course
                    untimed = []
                    continue
            untimed = []
            if routes_here and not doses and section_route is None and not indication:
                section_route = routes_here[0]
            if not doses and _APPLY.search(sent):
                # "A thin layer is applied to the affected skin once a day": a regimen without an amount
                freq, fmax, period, punit, daily = _frequency(sent)
                if freq and not daily:
                    route = (routes_here or [para_route or section_route or (default_routes[:1] or [None])[0]])[0]
                    out.append(Dosage(text=sent, span=Span(off + soff, off + soff + len(sent)), frequency=freq,
                                      frequency_max=fmax, period=period, period_unit=punit, route=route,
                                      duration=_course(sent) or para_duration, population=para_pop or label_pop,
                                      indication=indication or label, max_per_day=max_day))
                    continue
            if not doses:
                # "Single doses by age (3-4 times a day):" gives the frequency of the list under it
                lf = _frequency(sent) if sent.rstrip().endswith(":") else (None,)
                lead_freq = lf if lf[0] is not None and not lf[4] else None
                c = _course(sent)
                if c:
                    para_duration = c
                    # "The course of treatment is 2-3 weeks." after the regimens it belongs to
                    for d in out[para_start:]:
                        if d.duration is None:
                            d.duration = c
                if not re.search(r"\d", sent) and len(sent) > 20:
                    instructions.append(sent)
                continue
            if sent.rstrip().endswith("."):
                lead_freq = None  # the list under the lead-in ended with this sentence
            prev_end = 0
            for i, m in enumerate(doses):
                nxt = doses[i + 1].start() if i + 1 < len(doses) else len(masked)
                before, after = masked[prev_end:m.start()], masked[m.end():nxt]
                prev_end = m.end()
                q = amount_from_match(m)
                pm = _TOGETHER_BEFORE.search(before)
                if pm and _int(pm.group("n")) > 1:
                    # "two tablets of 10 mg once daily": the dose is what the parts add up to
                    n = _int(pm.group("n"))
                    q = Quantity(num(str(n * q.value)), q.unit, high=num(str(n * q.high)) if q.high else None,
                                 comparator=q.comparator)
                options = _options(before, q)
                freq, fmax, period, punit, daily_total = _frequency(after)
                if daily_total and _SINGLE_DAILY.search(after):
                    # "20 to 40 mg per day given as a single daily dose": once a day
                    freq, daily_total = 1, False
                elif daily_total and (q.unit.startswith("{") or q.unit == "[drp]") and \
                        not re.search(r"\bdivided\b|\bin\s+\w+\s+(?:doses|administrations|intakes)\b|\btimes\b", after, re.I):
                    # "1-2 drops a day", "1 tablet daily": so many units, once a day (an amount per
                    # day in mg is a daily total unless a single dose is said)
                    freq, fmax, period, punit, daily_total = 1, None, 1, "d", False
                if freq is None and not daily_total:
                    f2 = _frequency(before)
                    if f2[0] is not None and not f2[4]:
                        freq, fmax, period, punit, daily_total = f2
                    elif lead_freq is not None:
                        freq, fmax, period, punit, daily_total = lead_freq
                r_before, r_after = routes_in(before), routes_in(after)
                route_list = r_before or r_after
                if route_list:
                    para_route = route_list[-1] if r_before else route_list[0]
                routes = route_list or ([para_route] if para_route else []) or \
                    ([section_route] if section_route else []) or default_routes[:1]
                duration = _course(after) or _course(before) or para_duration
                method = _METHOD.search(before + after)
                pop = population_of(sent[:m.start()]) if re.search(r"\b(for|in)\s+(adults|children|elderly)", sent[:m.start()], re.I) else None
                maxadm = None
                bm = re.search(rf"\((?:not more than|no more than|maximum|max\.?)\s*(?P<v>{NUM})\s*(?P<u>mg|g|ml)\)",
                               sent[m.end():nxt + 40], re.I)
                if bm:
                    maxadm = Quantity(num(bm.group("v")), bm.group("u").lower())
                rep = _REPEAT.search(text)
                for route, q in itertools.product(routes or [None], options):
                    d = Dosage(text=sent, span=Span(off + soff, off + soff + len(sent)),
                               route=route, method=method.group(1).lower() if method else None,
                               population=pop or para_pop or label_pop, indication=indication or label,
                               max_per_administration=maxadm, max_per_day=max_day,
                               repeat=rep.group(0).strip() if rep else None)
                    if daily_total:
                        d.daily_total = q
                    else:
                        d.dose = q
                        d.frequency, d.frequency_max, d.period, d.period_unit = freq, fmax, period, punit
                    d.duration = duration
                    cm = _DOSE_COUNT.search(after)
                    if cm and not daily_total:
                        n = cm.group("n") or cm.group("n2")
                        d.count = WORD_NUMBERS.get(n.lower()) or int(float(n))
                    if cc:
                        d.condition = "creatinine clearance"
                        lo = num(cc.group("lo"))
                        hi = num(cc.group("hi")) if cc.group("hi") else None
                        rel = (cc.group("rel") or "").lower()
                        if rel in ("less than", "under", "<", "≤"):
                            d.condition_range = Quantity(lo, "ml/min", comparator="<")
                        elif rel in ("more than", "over", ">", "≥"):
                            d.condition_range = Quantity(lo, "ml/min", comparator=">")
                        else:
                            d.condition_range = Quantity(lo, "ml/min", high=hi)
                    if any(_same_regimen(d, o) for o in out[para_start:]):
                        continue  # "50 mg once a week, given as a single injection of 50 mg": said twice
                    if d.frequency is None and d.daily_total is None and d.count is None:
                        untimed.append(d)
                    if giving and d.frequency is None and d.daily_total is None and d.duration is None \
                            and d.count is None and not giving.search(sent) and row_text is None \
                            and ":" not in masked[:m.start()]:
                        # "doses of the order of 50 mg/m2 do not penetrate the CSF": about doses, no
                        # regimen (but "Prevention of nausea: 10 mg" and a table's cells give theirs)
                        continue
                    out.append(d)
    if section_route:
        # "Method of administration: oral use." after the regimens still names their route
        for d in out:
            if d.route is None:
                d.route = section_route
    return out, instructions
