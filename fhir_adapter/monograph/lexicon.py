"""The words of every language the reader knows (rules/<language>/vocabulary.json), merged.

Units, time words and numbers of different languages do not collide ("mg" and "мг"), so each
reader matches the union and a text in any of the languages is read by the same components. A
new language's words are a vocabulary file, not code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .model import Quantity
from .rules import HERE, RulesError, _check_pattern, _load


@dataclass(frozen=True)
class ValueRule:
    """A pattern whose groups give a value: {"frequency": "$1", "period": 8} reads group 1 and a literal."""

    rx: re.Pattern
    fields: dict

    def value(self, m: re.Match, name: str):
        v = self.fields.get(name)
        if isinstance(v, str) and v.startswith("$"):
            return m.group(int(v[1:]))
        return v


@dataclass
class Lexicon:
    units: dict[str, str] = field(default_factory=dict)
    per_units: dict[str, str] = field(default_factory=dict)
    time_words: dict[str, str] = field(default_factory=dict)
    number_words: dict[str, int] = field(default_factory=dict)
    routes: dict[str, list[str]] = field(default_factory=dict)
    dose_forms: list[tuple[str, str]] = field(default_factory=list)
    effect_frequencies: list[str] = field(default_factory=list)
    effect_statements: list[str] = field(default_factory=list)  # "X may occur", "may cause X": group 1
    roles_active: list[str] = field(default_factory=list)
    roles_inactive: list[str] = field(default_factory=list)
    ceilings: list[str] = field(default_factory=list)
    frequency_rules: list[ValueRule] = field(default_factory=list)
    duration_rules: list[ValueRule] = field(default_factory=list)
    storage: dict[str, list[str]] = field(default_factory=dict)
    containers: list[tuple[str, str]] = field(default_factory=list)  # (container key, pattern), most specific first
    pack_units: dict[str, list[str]] = field(default_factory=dict)  # what a pack counts: tablets, actuations...
    packaging_words: dict[str, list[str]] = field(default_factory=dict)  # "in", "holds", "or"
    interaction_words: dict[str, list[str]] = field(default_factory=dict)  # effect verbs, "with", "and"
    # language -> what says a dose is given ("give", "take", "is recommended"): only a language
    # that lists such words has untimed amounts in dose-less sentences set aside
    giving: dict[str, re.Pattern] = field(default_factory=dict)
    dosage_words: dict[str, list[str]] = field(default_factory=dict)  # "or" between a dose's options


@cache
def lexicon() -> Lexicon:
    from .rules import languages

    lx = Lexicon()
    for lang in languages():
        path = HERE / lang / "vocabulary.json"
        if not path.exists():
            continue
        d = _load(path, "vocabulary.schema.json")
        for key in ("units", "per_units", "time_words", "number_words"):
            for word, value in d.get(key, {}).items():
                have = getattr(lx, key).get(word.lower())
                if have is not None and have != value:
                    raise RulesError(f"{path}: {key} {word!r} means {value!r} here but {have!r} in another language")
                getattr(lx, key)[word.lower()] = value
        for route, pattern in d.get("routes", {}).items():
            lx.routes.setdefault(route, []).append(_check_pattern(path, pattern, f"routes/{route}"))
        lx.dose_forms += [(k, _check_pattern(path, p, f"dose_forms/{k}")) for k, p in d.get("dose_forms", [])]
        lx.effect_frequencies += d.get("effect_frequencies", [])
        lx.effect_statements += [_check_pattern(path, p, "effect_statements") for p in d.get("effect_statements", [])]
        roles = d.get("composition_roles", {})
        lx.roles_active += [roles["active"]] if "active" in roles else []
        lx.roles_inactive += [roles["inactive"]] if "inactive" in roles else []
        lx.ceilings += [_check_pattern(path, p, "ceilings") for p in d.get("ceilings", [])]
        for key, out in (("frequency_rules", lx.frequency_rules), ("duration_rules", lx.duration_rules)):
            for i, r in enumerate(d.get(key, [])):
                rx = re.compile(_check_pattern(path, r["match"], f"{key}[{i}]"), re.I)
                out.append(ValueRule(rx, {k: v for k, v in r.items() if k != "match"}))
        for k, p in d.get("storage", {}).items():
            lx.storage.setdefault(k, []).append(_check_pattern(path, p, f"storage/{k}"))
        lx.containers += [(k, _check_pattern(path, p, f"containers/{k}")) for k, p in d.get("containers", [])]
        for key, out in (("pack_units", lx.pack_units), ("packaging_words", lx.packaging_words),
                         ("interaction_words", lx.interaction_words), ("dosage_words", lx.dosage_words)):
            for k, p in d.get(key, {}).items():
                if key == "dosage_words" and k == "giving":
                    lx.giving[lang] = re.compile(_check_pattern(path, p, f"{key}/{k}"), re.I)
                    continue
                out.setdefault(k, []).append(_check_pattern(path, p, f"{key}/{k}"))
    return lx


def alternation(words) -> str:
    """Words as one regex alternation, longest first (so "mg" never shadows "mgs")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def number(s: str | None) -> float | None:
    if s is None:
        return None
    w = lexicon().number_words.get(s.lower())
    if w is not None:
        return w
    v = float(s.replace(",", "."))
    return int(v) if v.is_integer() else v


def frequency_by_rules(text: str) -> tuple[int | None, int | None, float | None, str | None] | None:
    """(frequency, frequencyMax, period, periodUnit) by the first vocabulary rule found in text."""
    best = None
    for r in lexicon().frequency_rules:
        m = r.rx.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (r, m)
    if best is None:
        return None
    r, m = best
    freq, fmax, period = (number(_s(r.value(m, k))) for k in ("frequency", "frequency_max", "period"))
    return (int(freq) if freq else None, int(fmax) if fmax else None, period, r.fields["period_unit"])


def duration_by_rules(text: str) -> Quantity | None:
    for r in lexicon().duration_rules:
        m = r.rx.search(text)
        if m:
            unit_word = str(r.value(m, "unit")).lower()
            unit = lexicon().time_words.get(unit_word) or next(
                (u for w, u in lexicon().time_words.items() if unit_word.startswith(w[:4])), None)
            if unit:
                return Quantity(number(_s(r.value(m, "value"))), unit, high=number(_s(r.value(m, "high"))))
    return None


def _s(v):
    return None if v is None else str(v)
