"""The project's own fact scorer: recall and precision of a converted Bundle against a NAME.facts.json key.

It implements the answer-key rules of ../shared/monographs/FACTS.md (the same categories, unit aliases,
conversions and precision rules as ../shared/tools/score_facts.py) without needing ../shared, so the
project's own corpus (tests/corpus/<family>/NAME.txt beside NAME.facts.json) is scored on any clone.

    >>> from tests.scoring import score_bundle, score_dir, component
    >>> sc = score_bundle(bundle_dict, facts_dict)     # Score: .rows, .recall, .precision, .misses
    >>> component(sc)["dosing"].recall                  # figures per component of the converter
    >>> run = score_dir(["tests/corpus"])               # converts every keyed .txt in-process

    .venv/bin/python -m tests.scoring [PATH ...] [--json] [-v]      (PATH: folders, .txt or .facts.json)
    .venv/bin/python -m tests.scoring --bundle B.json --facts NAME.facts.json [--json] [-v]

Categories (the reference's names): product, ingredients, ingredient role, ingredient amount, indications,
contraindications, interactions (found only with the key's effect, if it gives one), undesirableEffects,
warnings, dosage (its precision is the dosage-precision rule), storage, shelf life, packaging and, where
fhir.resources imports, valid resources (left out of recall, as in the reference). `Score.recall` and
`Score.precision` follow the reference exactly, 0.0 included where nothing was required or produced
(a key with "scorePrecision": false produces nothing); `Counts.recall`/`.precision` are None there.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- units

_ALIASES = {  # canonical unit: its other spellings (compared trimmed and lower-cased)
    "ml": "milliliter|millilitre", "a": "yr|year|years", "mo": "month|months", "wk": "week|weeks",
    "d": "day|days", "h": "hour|hours|hr", "min": "minute", "cel": "°c|degrees celsius|c|deg c",
    "[drp]": "drop|drops|{drop}|{drp}", "[iu]": "iu|u|unit|units", "ug": "mcg|µg|μg",
    "{tablet}": "{tbl}|{tab}|tablet|tablets|tab|tbl", "{capsule}": "{cap}|{caps}|capsule|capsules|cap",
    "{vial}": "vial|vials", "{ampoule}": "{amp}|ampoule|ampoules",
}
UNIT = {alias: canon for canon, spellings in _ALIASES.items() for alias in [canon, *spellings.split("|")]}
# Units of one dimension compare in the dimension's base unit (mg, mL, day).
FACTOR = {"kg": ("mass", 1e6), "g": ("mass", 1e3), "mg": ("mass", 1.0), "ug": ("mass", 1e-3),
          "l": ("volume", 1e3), "dl": ("volume", 100.0), "ml": ("volume", 1.0), "ul": ("volume", 1e-3),
          "a": ("time", 365.25), "mo": ("time", 30.4375), "wk": ("time", 7.0), "d": ("time", 1.0),
          "h": ("time", 1 / 24), "min": ("time", 1 / 1440)}
MONTHS = {"a": 12.0, "mo": 1.0, "wk": 7 / 30.4, "d": 1 / 30.4, "h": 1 / 730.0}  # shelf life, within half a month


def norm_unit(u) -> str:
    u = (u or "").strip().lower()
    return UNIT.get(u, u)


def unit_of(q) -> str:
    return norm_unit(q.get("code") or q.get("unit")) if isinstance(q, dict) else ""


def _float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def close(a, b) -> bool:
    a, b = _float(a), _float(b)
    return a is not None and b is not None and abs(a - b) <= 1e-9 + 1e-6 * max(abs(a), abs(b))


def base(value, unit):
    """(dimension, value in its base unit); a unit outside the table is its own dimension. None: no number."""
    u, v = norm_unit(unit), _float(value)
    if v is None:
        return None
    return (FACTOR[u][0], v * FACTOR[u][1]) if u in FACTOR else (u, v)


def qty_equal(value, unit, want_value, want_unit) -> bool:
    """1.6 g == 1600 mg; time within 1% (2 a == 24 mo); other units must be the same unit."""
    u, w = norm_unit(unit), norm_unit(want_unit)
    if u in FACTOR and w in FACTOR and FACTOR[u][0] == FACTOR[w][0]:
        a, b = base(value, u), base(want_value, w)
        if a is None or b is None:
            return False
        tol = 0.01 if FACTOR[u][0] == "time" else 1e-6
        return abs(a[1] - b[1]) <= 1e-12 + tol * max(abs(a[1]), abs(b[1]))
    return u == w and close(value, want_value)


def per_day(freq, period, unit):
    """Administrations per day (1 per 12 h == 2 per 1 d), or None."""
    u, f, p = norm_unit(unit), _float(freq), _float(period)
    if u not in FACTOR or FACTOR[u][0] != "time" or f is None or p is None or p * FACTOR[u][1] == 0:
        return None
    return f / (p * FACTOR[u][1])


# ---------------------------------------------------------------- reading a Bundle

_SKIP = {"div", "extension", "modifierExtension", "reference", "system", "id", "fullUrl", "url",
         "resourceType", "meta"}


def strings(node, out=None) -> list[str]:
    """Every string and number below node; narratives, extensions, ids and systems are never read."""
    out = [] if out is None else out
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in _SKIP and not (k == "text" and isinstance(v, dict)):
                strings(v, out)
    elif isinstance(node, list):
        for v in node:
            strings(v, out)
    elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
        out.append(str(node))
    return out


def matches(pattern, texts) -> bool:
    hay = " | ".join(texts)
    return all(re.search(p, hay, re.IGNORECASE) for p in pattern)


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def as_list(v) -> list:
    return [] if v is None else v if isinstance(v, list) else [v]


class Resources:
    """The resources of a Bundle (or one resource), their contained ones, and references between them."""

    def __init__(self, bundle: dict):
        entries = bundle.get("entry", []) if bundle.get("resourceType") == "Bundle" else [{"resource": bundle}]
        self.top, self.by_ref = [], {}
        for e in entries:
            r = e.get("resource")
            if isinstance(r, dict):
                self.top.append(r)
                if e.get("fullUrl"):
                    self.by_ref[e["fullUrl"]] = r
                if r.get("id"):
                    self.by_ref[f"{r['resourceType']}/{r['id']}"] = r

    def of(self, rtype: str) -> list[dict]:
        return [r for r in self.top if r.get("resourceType") == rtype] + [
            c for r in self.top for c in r.get("contained", []) if c.get("resourceType") == rtype]

    def resolve(self, ref, container=None):
        if not isinstance(ref, dict) or not ref.get("reference"):
            return None
        target = ref["reference"]
        if target.startswith("#"):
            found = [c for c in (container or {}).get("contained", []) if c.get("id") == target[1:]]
            return found[0] if found and container is not None else None
        if target in self.by_ref:
            return self.by_ref[target]
        return self.by_ref.get("/".join(target.rstrip("/").split("/")[-2:]))

    def names(self, ref, container, keys=("code", "name", "description")) -> list[str]:
        target = self.resolve(ref, container)
        return strings({k: target.get(k) for k in keys}) if target else []


# ---------------------------------------------------------------- figures

COMPONENTS = ("composition", "dosing", "items", "product", "storage+packaging")
CATEGORY_COMPONENT = {
    "product": "product", "ingredients": "composition", "ingredient role": "composition",
    "ingredient amount": "composition", "dosage": "dosing", "indications": "items",
    "contraindications": "items", "interactions": "items", "undesirableEffects": "items", "warnings": "items",
    "storage": "storage+packaging", "shelf life": "storage+packaging", "packaging": "storage+packaging",
    "valid resources": None,  # not a fact: left out of recall and of every component
}


@dataclass
class Counts:
    found: int = 0      # required facts found
    required: int = 0   # required facts
    matched: int = 0    # produced items that agree with some fact
    produced: int = 0   # produced items scored for precision

    def add(self, other: Counts) -> Counts:
        self.found += other.found
        self.required += other.required
        self.matched += other.matched
        self.produced += other.produced
        return self

    @property
    def recall(self):
        return self.found / self.required if self.required else None

    @property
    def precision(self):
        return self.matched / self.produced if self.produced else None

    def as_list(self) -> list[int]:
        return [self.found, self.required, self.matched, self.produced]


@dataclass
class Score:
    rows: dict[str, Counts] = field(default_factory=dict)        # category -> counts
    components: dict[str, Counts] = field(default_factory=dict)  # component -> counts
    misses: list[str] = field(default_factory=list)

    def count(self, cat, comp="", found=0, required=0, matched=0, produced=0):
        c = Counts(found, required, matched, produced)
        self.rows.setdefault(cat, Counts()).add(c)
        comp = CATEGORY_COMPONENT.get(cat) if comp == "" else comp
        if comp:
            self.components.setdefault(comp, Counts()).add(c)

    def fact(self, cat, ok, what, comp=""):
        self.count(cat, comp, found=int(ok), required=1)
        if not ok:
            self.misses.append(f"{cat}: {what}")

    def item(self, cat, ok, what, comp=""):
        self.count(cat, comp, matched=int(ok), produced=1)
        if not ok:
            self.misses.append(f"{cat}: {what}")

    @property
    def facts(self) -> Counts:
        """Counts over every category that holds facts (valid resources left out)."""
        total = Counts()
        for cat, c in self.rows.items():
            if CATEGORY_COMPONENT.get(cat, "") is not None:
                total.add(c)
        return total

    @property
    def recall(self) -> float:
        return self.facts.recall or 0.0

    @property
    def precision(self) -> float:
        m, p = sum(c.matched for c in self.rows.values()), sum(c.produced for c in self.rows.values())
        return m / p if p else 0.0

    def merge(self, other: Score, prefix: str = "") -> Score:
        for src, dst in ((other.rows, self.rows), (other.components, self.components)):
            for k, c in src.items():
                dst.setdefault(k, Counts()).add(c)
        self.misses += [f"{prefix}{m}" for m in other.misses]
        return self

    def as_dict(self) -> dict:
        return {"recall": self.recall, "precision": self.precision,
                "categories": {k: c.as_list() for k, c in self.rows.items()},
                "components": {k: c.as_list() for k, c in self.components.items()}, "misses": self.misses}


def component(scores: Score | Iterable[Score]) -> dict[str, Counts]:
    """Figures per component of the converter (composition, dosing, items, product, storage+packaging)
    for one Score or summed over many; sections of a label are not scored as such."""
    total = Score()
    for s in [scores] if isinstance(scores, Score) else scores:
        total.merge(s)
    return {k: total.components.get(k, Counts()) for k in COMPONENTS}


# ---------------------------------------------------------------- the rules

def _score_set(sc, cat, wanted, items, found, fits, precision, label, names=lambda t: t):
    """Required (non-optional) facts found by some item; every produced item fitting some fact."""
    for f in wanted:
        if not f.get("optional"):
            sc.fact(cat, any(found(f, t) for t in items), f"not found: {label(f)}")
    for t in items if precision else []:
        sc.item(cat, any(fits(f, t) for f in wanted), f"unexpected: {' / '.join(names(t))[:160]}")


CLINICAL = {"indication": ("indications", "indication"), "contraindication": ("contraindications", "contraindication"),
            "undesirable-effect": ("undesirableEffects", "undesirableEffect"), "warning": ("warnings", "warning")}


def _clinical(rs, facts, sc, precision):
    cuds = rs.of("ClinicalUseDefinition")
    for ctype, (key, element) in CLINICAL.items():
        items = []
        for cud in (c for c in cuds if c.get("type") == ctype):
            texts = strings(cud.get(element))
            for pop in as_list(cud.get("population")):
                group = rs.resolve(pop, cud)
                texts += strings(group if group else pop)
            items.append(texts)
        def hit(f, t):
            return matches(f["match"], t)
        _score_set(sc, key, facts.get(key, []), items, hit, hit, precision, lambda f: f["match"])
    units = []  # one per interactant: (its names, the interaction's other strings)
    for cud in (c for c in cuds if c.get("type") == "interaction"):
        inter = cud.get("interaction") or {}
        effect = strings({k: v for k, v in inter.items() if k != "interactant"})
        for it in as_list(inter.get("interactant")) or [{}]:
            units.append((strings(it) + rs.names(it.get("itemReference"), cud, ("code", "name", "identifier")),
                          effect))
    _score_set(sc, "interactions", facts.get("interactions", []), units,
               lambda f, u: matches(f["interactant"], u[0]) and matches(f.get("effect", []), u[1]),
               lambda f, u: matches(f["interactant"], u[0]), precision,
               lambda f: f"{f['interactant']} -> {f.get('effect')}", lambda u: u[0])


def _strength(ing):
    """(numerator value, unit, denominator value or None, unit) of an ingredient's strength, or None."""
    r, q = ing.get("strengthRatio"), ing.get("strengthQuantity")
    if isinstance(r, dict):
        n, d = r.get("numerator") or {}, r.get("denominator") or {"value": 1}
        return n.get("value"), unit_of(n), d.get("value", 1), unit_of(d)
    if isinstance(q, dict):
        u = unit_of(q)
        if "/" in u:  # '500 mg/{tablet}' as one Quantity
            num, den = u.split("/", 1)
            return q.get("value"), norm_unit(num), 1, norm_unit(den)
        return q.get("value"), u, None, ""
    return None


def _amount_equal(got, want) -> bool:
    if not got or got[0] is None or not qty_equal(got[0], got[1], want["value"], want["unit"]):
        return False
    per = want.get("per")
    return not per or (got[2] is not None and qty_equal(got[2], got[3], per["value"], per["unit"]))


def _ingredients(rs):
    """(names, active True/False/None, strength) of every ingredient of Medication and MedicationKnowledge."""
    out = []
    for med in rs.of("Medication"):
        for ing in as_list(med.get("ingredient")):
            item = ing.get("item") or {}
            out.append((strings(ing.get("item")) + rs.names(item.get("reference"), med), ing.get("isActive"),
                        _strength(ing)))
    for mk in rs.of("MedicationKnowledge"):
        for ing in as_list((mk.get("definitional") or {}).get("ingredient")):
            item = ing.get("item") or {}
            kind = " ".join(strings(ing.get("type"))).lower()
            active = False if re.search(r"inactive|excipient|adjuvant|auxiliary|non-active", kind) \
                else True if "active" in kind else None
            out.append((strings(ing.get("item")) + rs.names(item.get("reference"), mk), active, _strength(ing)))
    return out


def _composition(rs, facts, sc, precision):
    cands = _ingredients(rs)
    wanted = facts.get("ingredients", [])
    for f in wanted:  # every ingredient of the key is required
        named = [c for c in cands if matches(f["name"], c[0])]
        sc.fact("ingredients", bool(named), f"not found: {f['name']}")
        if not named:
            continue
        sc.fact("ingredient role", any(c[1] is f.get("active") for c in named),
                f"{f['name']} should be {'active' if f.get('active') else 'inactive'}")
        if f.get("amount"):
            sc.fact("ingredient amount", any(_amount_equal(c[2], f["amount"]) for c in named),
                    f"{f['name']} {f['amount']}, got {[c[2] for c in named]}")
    for c in cands if precision else []:
        sc.item("ingredients", any(matches(f["name"], c[0]) for f in wanted), f"unexpected: {' / '.join(c[0])[:120]}")


def _dosages(rs):
    """Every Dosage (a node with doseAndRate or timing) below MedicationKnowledge.indicationGuideline."""
    return [(n, mk) for mk in rs.of("MedicationKnowledge") for n in walk(mk.get("indicationGuideline"))
            if "doseAndRate" in n or "timing" in n]


def _doses(d):
    """(dose, its quantities): the doseRange or doseQuantity of each doseAndRate."""
    for dr in as_list(d.get("doseAndRate")):
        if isinstance(dr, dict):
            rng, q = dr.get("doseRange"), dr.get("doseQuantity")
            if isinstance(rng, dict):
                yield "range", rng
            if isinstance(q, dict):
                yield "quantity", q


def _dose_equal(d, want) -> bool:
    for kind, q in _doses(d):
        if kind == "range":
            lo, hi = q.get("low") or {}, q.get("high") or {}
            if qty_equal(lo.get("value"), unit_of(lo) or unit_of(hi), want["low"], want["unit"]) and \
                    qty_equal(hi.get("value"), unit_of(hi) or unit_of(lo), want["high"], want["unit"]):
                return True
        elif close(want["low"], want["high"]) and qty_equal(q.get("value"), unit_of(q), want["low"], want["unit"]):
            return True
    return False


def _timing_ok(d, want, course=True) -> bool:
    """Same rate of administration and (course) the same course length."""
    rep = (d.get("timing") or {}).get("repeat") or {}
    want_rate = None
    if "period" in want:
        rate = per_day(rep.get("frequency", 1), rep.get("period"), rep.get("periodUnit"))
        want_rate = per_day(want.get("frequency", 1), want["period"], want["periodUnit"])
        if rate is None or want_rate is None or abs(rate - want_rate) > 0.01 * want_rate:
            return False
    dur = want.get("duration") if course else None
    if not dur:
        return True
    br = rep.get("boundsRange") if isinstance(rep.get("boundsRange"), dict) else {}
    for q in (rep.get("boundsDuration"), br.get("low"), br.get("high")):
        if isinstance(q, dict) and qty_equal(q.get("value"), unit_of(q), dur["value"], dur["unit"]):
            return True
    # A count of doses that spans the course. The reference reckons the course's days as value / days-per-unit,
    # right for a course in days only (28 doses do not span '2 wk' there); kept so the two scorers agree.
    v = _float(dur["value"])
    days = per_day(1, 1 / v, dur["unit"]) if v else None
    if rep.get("count") is None or not want_rate or not days:
        return False
    return close(rep["count"], round(days * want_rate))


def _dose_within(d, want) -> bool:
    """The produced dose lies within the regimen's range ('10 or 20 mg' read as 20 mg is an option)."""
    lo, hi = base(want["low"], want["unit"]), base(want["high"], want["unit"])
    if lo is None or hi is None:
        return False

    def inside(q):
        b = base(q.get("value"), unit_of(q)) if isinstance(q, dict) else None
        return b is not None and b[0] == lo[0] and lo[1] * (1 - 1e-6) <= b[1] <= hi[1] * (1 + 1e-6)
    return any(all(inside(q.get(e)) for e in ("low", "high") if q.get(e)) if kind == "range" else inside(q)
               for kind, q in _doses(d))


def _dosing(rs, facts, sc, precision):
    ds, wanted = _dosages(rs), facts.get("dosage", [])
    for want in wanted:
        best, found = {}, False
        for d, mk in ds:
            checks = {"dose": _dose_equal(d, want["dose"]), "timing": _timing_ok(d, want)}
            if want.get("route"):
                routes = strings(d.get("route")) or strings((mk.get("definitional") or {}).get("intendedRoute"))
                checks["route"] = matches(want["route"], routes)
            if all(checks.values()):
                found = True
                break
            if sum(checks.values()) > sum(best.values()):
                best = checks
        if not want.get("optional"):
            sc.fact("dosage", found, f"{want} not found; closest Dosage passes {list(best.items()) or 'nothing'}")
    if not precision:
        return
    # Every produced Dosage stating a dose or a rate agrees with some regimen (a maximum or a threshold read
    # as a dose, a weekly dose served as daily); one whose dose is in no unit of the key cannot be judged.
    for d, _mk in ds:
        has_dose = any(q for _, q in _doses(d))
        has_rate = ((d.get("timing") or {}).get("repeat") or {}).get("period") is not None
        if not (has_dose or has_rate):
            continue
        if has_dose and not any(_same_dimension(d, w["dose"]["unit"]) for w in wanted):
            continue
        ok = any((not has_dose or _dose_within(d, w["dose"])) and (not has_rate or _timing_ok(d, w, course=False))
                 for w in wanted)
        shown = {k: d.get(k) for k in ("text", "doseAndRate", "timing") if d.get(k)}
        sc.item("dosage", ok, "unexpected Dosage (no regimen of the label has this dose and rate): "
                f"{json.dumps(shown)[:200]}")


def _same_dimension(d, unit) -> bool:
    want = base(1, unit)
    for kind, q in _doses(d):
        for x in ([q.get("low"), q.get("high")] if kind == "range" else [q]):
            b = base(x.get("value"), unit_of(x)) if isinstance(x, dict) else None
            if b is not None and want is not None and b[0] == want[0]:
                return True
    return False


def _product(rs, facts, sc):
    prod, mks, meds = facts.get("product", {}), rs.of("MedicationKnowledge"), rs.of("Medication")

    def texts(mk_of, med_of=None):
        return [s for mk in mks for s in strings(mk_of(mk))] + [s for m in meds if med_of for s in strings(med_of(m))]
    checks = {}  # name -> (found, component); one check per distinct pattern, as the reference counts them
    if prod.get("name"):
        checks["name"] = matches(prod["name"], texts(lambda mk: [mk.get("name"), mk.get("code")],
                                                     lambda m: m.get("code"))), "product"
    if prod.get("doseForm"):
        checks["dose form"] = matches(prod["doseForm"], texts(lambda mk: (mk.get("definitional") or {}).get(
            "doseForm"), lambda m: m.get("doseForm"))), "product"
    routes = texts(lambda mk: (mk.get("definitional") or {}).get("intendedRoute")) + \
        [s for d, _ in _dosages(rs) for s in strings(d.get("route"))]
    for p in prod.get("routes", []):
        checks[f"route {p}"] = matches(p, routes), "product"
    if prod.get("strength"):
        checks["strength"] = any(c[1] is True and _amount_equal(c[2], prod["strength"])
                                 for c in _ingredients(rs)), "composition"
    for p in prod.get("classification", []):
        checks[f"classification {p}"] = matches(p, texts(lambda mk: mk.get("medicineClassification"))), "product"
    for name, (ok, comp) in checks.items():
        sc.fact("product", ok, f"{name} not found", comp)


def _months(q):
    u, v = unit_of(q), _float(q.get("value")) if isinstance(q, dict) else None
    return v * MONTHS[u] if u in MONTHS and v is not None else None


def _storage(rs, facts, sc):
    guides = [g for mk in rs.of("MedicationKnowledge") for g in as_list(mk.get("storageGuideline"))]
    st = facts.get("storage") or {}
    temp = st.get("temperature")
    if temp:
        unit, ok = norm_unit(temp["unit"]), False
        for env in (e for g in guides for e in as_list(g.get("environmentalSetting"))):
            rng, q = env.get("valueRange"), env.get("valueQuantity")
            if isinstance(rng, dict):
                lo, hi = rng.get("low") or {}, rng.get("high") or {}
                ok |= (unit in (unit_of(lo), unit_of(hi))
                       and (close(lo.get("value"), temp["low"]) if "low" in temp else "value" not in lo)
                       and (close(hi.get("value"), temp["high"]) if "high" in temp else "value" not in hi))
            if isinstance(q, dict) and unit_of(q) == unit:  # 'below 25 °C' as a comparator
                cmp = q.get("comparator")
                ok |= "low" not in temp and cmp in ("<=", "<") and close(q.get("value"), temp.get("high"))
                ok |= "high" not in temp and cmp in (">=", ">") and close(q.get("value"), temp.get("low"))
        sc.fact("storage", ok, f"temperature {temp} not found")
    if st.get("protectFromLight"):
        sc.fact("storage", any(re.search("light", s, re.I) for g in guides for s in strings(g)),
                "protection from light not found")
    life = facts.get("shelfLife")
    if life:
        want = _months(life)
        durations = [g.get("stabilityDuration") for g in guides] + [
            sl.get("periodDuration") for ppd in rs.of("PackagedProductDefinition")
            for n in walk(ppd.get("packaging")) for sl in as_list(n.get("shelfLifeStorage"))]
        sc.fact("shelf life", want is not None and any(
            isinstance(d, dict) and _months(d) is not None and abs(_months(d) - want) < 0.5 for d in durations),
            f"{life} not found")


def _packaging(rs, facts, sc):
    volumes = [v for v in (m.get("totalVolume") for m in rs.of("Medication")) if v]
    for want in facts.get("packaging", []):
        ok = False
        for ppd in rs.of("PackagedProductDefinition"):
            if not matches(want["container"], strings(ppd)):
                continue
            counts = [q.get("value") for q in as_list(ppd.get("containedItemQuantity")) if isinstance(q, dict)]
            for n in walk(ppd.get("packaging")):
                counts += [n["quantity"]] if "quantity" in n else []
                counts += [(ci.get("amount") or {}).get("value") for ci in as_list(n.get("containedItem"))]
            if not any(close(c, want["count"]) for c in counts if c is not None):
                continue
            vol = want.get("itemVolume")
            if vol and not any(qty_equal(q.get("value"), unit_of(q), vol["value"], vol["unit"]) for q in
                               [n for n in walk(ppd) if "value" in n and ("unit" in n or "code" in n)] + volumes):
                continue
            ok = True
            break
        sc.fact("packaging", ok, f"{want} not found")


def _validity(rs, sc):
    try:
        from fhir.resources import get_fhir_model_class
    except ImportError:
        return
    for r in rs.top:
        try:
            get_fhir_model_class(r["resourceType"]).model_validate(r)
            sc.fact("valid resources", True, "")
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            sc.fact("valid resources", False, f"{r.get('resourceType')}/{r.get('id')}: {str(e).splitlines()[0][:150]}")


def score_bundle(bundle: dict, facts: dict, validate: bool = True) -> Score:
    """Score one Bundle (a JSON dict) against one answer key."""
    rs, sc = Resources(bundle), Score()
    precision = facts.get("scorePrecision", True)
    _product(rs, facts, sc)
    _composition(rs, facts, sc, precision)
    _clinical(rs, facts, sc, precision)
    _dosing(rs, facts, sc, precision)
    _storage(rs, facts, sc)
    _packaging(rs, facts, sc)
    if validate:
        _validity(rs, sc)
    return sc


# ---------------------------------------------------------------- a corpus

@dataclass
class Run:
    files: dict[str, Score] = field(default_factory=dict)      # name -> its Score
    family_of: dict[str, str] = field(default_factory=dict)    # name -> family
    families: dict[str, Score] = field(default_factory=dict)   # family -> summed Score
    total: Score = field(default_factory=Score)

    def as_dict(self) -> dict:
        return {"recall": self.total.recall, "precision": self.total.precision,
                "components": {k: c.as_list() for k, c in component(self.total).items()},
                "families": {f: s.as_dict() | {"files": sum(v == f for v in self.family_of.values())}
                             for f, s in sorted(self.families.items())},
                "files": {n: s.as_dict() | {"family": self.family_of[n]} for n, s in self.files.items()}}


def keyed_texts(paths) -> list[tuple[Path, Path, str]]:
    """(NAME.txt, NAME.facts.json, display name) of every keyed monograph under the folders or files given."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*.facts.json")):
                txt = f.with_name(f.name.removesuffix(".facts.json") + ".txt")
                out.append((txt, f, str(txt.relative_to(p))))
        else:
            stem = p.name.removesuffix(".facts.json").removesuffix(".txt")
            out.append((p.with_name(stem + ".txt"), p.with_name(stem + ".facts.json"), stem + ".txt"))
    return [(t, f, n) for t, f, n in out if t.exists() and f.exists()]


def to_bundle(text: str) -> dict:
    from fhir_adapter import convert

    return json.loads(convert(text).model_dump_json(exclude_none=True))


def score_dir(paths, validate: bool = True) -> Run:
    """Convert each keyed .txt under paths in-process and score it; figures per file and per family."""
    run = Run()
    for txt, facts_path, name in keyed_texts(paths):
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        try:
            bundle = to_bundle(txt.read_text(encoding="utf-8"))
            error = None
        except Exception as e:  # noqa: BLE001 - a failed conversion scores as an empty Bundle
            bundle, error = {"resourceType": "Bundle", "entry": []}, f"conversion: {type(e).__name__}: {e}"
        sc = score_bundle(bundle, facts, validate)
        if error:
            sc.misses.insert(0, error)
        family = facts.get("family") or txt.parent.name
        run.files[name], run.family_of[name] = sc, family
        run.families.setdefault(family, Score()).merge(sc, f"{name}: ")
        run.total.merge(sc, f"{name}: ")
    return run


# ---------------------------------------------------------------- report

def _cell(c: Counts, which: str) -> str:
    f, n, v = (c.found, c.required, c.recall) if which == "recall" else (c.matched, c.produced, c.precision)
    return "-" if v is None else f"{v:.3f} {f}/{n}"


def print_table(run: Run, verbose: bool = False, out=None) -> None:
    """One line per family and per file, then recall and precision per component and family."""
    out = out or sys.stdout
    w = max([len(n) + 2 for n in run.files] + [len(f) for f in run.families] + [16])
    print(f"{'family / file':{w}} {'recall':>17} {'precision':>17}", file=out)
    for fam, sc in sorted(run.families.items()):
        print(f"{fam:{w}} {_cell(sc.facts, 'recall'):>17} {_cell(_prec(sc), 'precision'):>17}", file=out)
        for name, fs in run.files.items():
            if run.family_of[name] == fam:
                print(f"  {name:{w - 2}} {_cell(fs.facts, 'recall'):>17} {_cell(_prec(fs), 'precision'):>17}",
                      file=out)
                for m in fs.misses if verbose else []:
                    print(f"      {m}", file=out)
    print(f"{'all':{w}} {_cell(run.total.facts, 'recall'):>17} {_cell(_prec(run.total), 'precision'):>17}", file=out)
    cols = [*sorted(run.families), "all"]
    per = {f: component(s) for f, s in run.families.items()} | {"all": component(run.total)}
    print(f"\n{'component':18}" + "".join(f" {f:>33}" for f in cols), file=out)
    print(f"{'':18}" + f" {'recall':>16} {'precision':>16}" * len(cols), file=out)
    for comp in COMPONENTS:
        print(f"{comp:18}" + "".join(f" {_cell(per[f][comp], 'recall'):>16} {_cell(per[f][comp], 'precision'):>16}"
                                     for f in cols), file=out)


def _prec(sc: Score) -> Counts:
    return Counts(matched=sum(c.matched for c in sc.rows.values()), produced=sum(c.produced for c in sc.rows.values()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parent / "corpus")],
                    help="folders searched for NAME.facts.json beside NAME.txt, or files (default: tests/corpus)")
    ap.add_argument("--bundle", type=Path, help="score this Bundle JSON (with --facts) instead of converting")
    ap.add_argument("--facts", type=Path)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every missed or unexpected item")
    ap.add_argument("--no-validate", dest="validate", action="store_false", help="skip the valid-resources check")
    args = ap.parse_args(argv)
    if args.bundle or args.facts:
        if not (args.bundle and args.facts):
            ap.error("--bundle and --facts go together")
        facts = json.loads(args.facts.read_text(encoding="utf-8"))
        sc = score_bundle(json.loads(args.bundle.read_text(encoding="utf-8")), facts, args.validate)
        run = Run({args.bundle.name: sc}, {args.bundle.name: facts.get("family") or "-"},
                  {facts.get("family") or "-": sc}, sc)
    else:
        run = score_dir(args.paths, args.validate)
        if not run.files:
            print(f"no NAME.txt with a NAME.facts.json under {' '.join(args.paths)}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(run.as_dict(), indent=1))
    else:
        print_table(run, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
