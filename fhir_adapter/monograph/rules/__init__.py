"""Rules and vocabularies as data, one folder per language and family.

    rules/<language>/families.json              how a text of the language tells its family
    rules/<language>/common/sections.json       headings and cues every family of the language shares
    rules/<language>/<family>/sections.json     the family's own headings, their usual order, cues

Each file is checked against its JSON Schema (rules/schema/) and every pattern compiled when
it is first loaded, so a broken rule fails loudly with its file and entry named, never a
wrong reading. A new family or language is a folder of these files plus fixtures, not code.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model import SECTION_KINDS

HERE = Path(__file__).resolve().parent
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


class RulesError(ValueError):
    """A rules file that does not load: its path and what is wrong with it."""


@dataclass(frozen=True)
class Heading:
    kind: str
    pattern: str
    run_in: bool  # the heading runs into its text on one line with no colon ("Do not use if ...")


@dataclass(eq=False)
class SectionModel:
    """What a family's sections are called, in which order they come, and what each talks about."""

    language: str
    family: str
    order: tuple[str, ...]
    headings: tuple[Heading, ...]
    cues: dict[str, tuple[tuple[str, float], ...]]
    entity_cues: dict[str, tuple[tuple[str, float], ...]]  # kind -> ((entity name, weight), ...)
    inline_only: frozenset[str]
    unread: frozenset[str]
    closed: frozenset[str]
    boilerplate: tuple[str, ...]
    effects_in_warnings: bool = False
    numbering_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.rank = {k: i for i, k in enumerate(self.order)}
        self.compiled = _compile(self)


@dataclass(frozen=True)
class CompiledModel:
    heading_re: re.Pattern  # one alternation in table order: fullmatch takes the first kind that fits
    heading_kind: dict[str, str]
    run_in_re: re.Pattern | None
    run_in_kind: dict[str, str]
    cue_re: re.Pattern
    cue_of: dict[str, tuple[str, float]]
    boilerplate_re: re.Pattern | None
    heading_start_re: re.Pattern  # some heading's words open the text (a cheap test before trying prefixes)
    numbering_word_re: re.Pattern | None = None  # "Section" in "Section 4 - CLINICAL PARTICULARS"


class Signal:
    """A family signal searched fast: a leading word boundary or start-of-line is checked by hand
    around the matches of the rest, which keeps the literal prefix that lets re skip ahead."""

    __slots__ = ("rx", "lead")

    def __init__(self, pattern: str) -> None:
        self.lead = None
        top_alt = re.sub(r"\\.|\[[^\]]*\]|\((?:[^()]|\([^()]*\))*\)", "", pattern).count("|")
        for lead, kind in ((r"^\s*", "line"), (r"\b", "word")):
            if pattern.startswith(lead) and not top_alt:
                pattern, self.lead = pattern[len(lead):], kind
                break
        self.rx = re.compile(pattern, re.M)

    def search(self, text: str) -> bool:
        if self.lead is None:
            return self.rx.search(text) is not None
        for m in self.rx.finditer(text):
            i = m.start()
            if self.lead == "word":
                if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):
                    return True
            else:
                line_start = text.rfind("\n", 0, i) + 1
                if not text[line_start:i].strip():
                    return True
        return False


def lower_pattern(p: str) -> str:
    """A pattern for lower-cased text: its letters lower-cased, its escapes (\\S, \\D, \\W, \\B) kept.
    Matching lower-cased text without IGNORECASE halves the cost of every branch."""
    out, i = [], 0
    while i < len(p):
        if p[i] == "\\" and i + 1 < len(p):
            out.append(p[i:i + 2])
            i += 2
            continue
        out.append(p[i].lower())
        i += 1
    return "".join(out)


def _compile(m: SectionModel) -> CompiledModel:
    heading_re = re.compile("|".join(f"(?P<h{i}>{h.pattern})" for i, h in enumerate(m.headings)), re.I)
    run_in = [(i, h) for i, h in enumerate(m.headings) if h.run_in]
    run_in_re = re.compile(r"^(?:" + "|".join(f"(?P<r{i}>{h.pattern})" for i, h in run_in) + r")\b[ \t]*:?[ \t]*(?=\S)",
                           re.I) if run_in else None
    groups = [(f"c{i}", kind, w, p) for i, (kind, p, w) in
              enumerate((k, p, w) for k, v in m.cues.items() for p, w in v)]
    # Matched against lower-cased text (IGNORECASE doubles the cost of every branch), and only where
    # a word starts (or at a degree sign): inside a word no branch is tried at all.
    cue_re = re.compile(r"(?:(?<![\w])|(?=°))(?:" + "|".join(f"(?P<{g}>{lower_pattern(p)})" for g, _, _, p in groups) + ")",
                        re.M)
    bp = re.compile("^(?:" + "|".join(m.boilerplate) + ")", re.I) if m.boilerplate else None
    start_re = re.compile("(?:" + "|".join(h.pattern for h in m.headings) + r")(?![^\W\d_])", re.I)
    words = re.compile(r"^(?:" + "|".join(re.escape(w) for w in m.numbering_words) + r")\s+(?=\(?\d|[IVX]+\b)",
                       re.I) if m.numbering_words else None
    return CompiledModel(heading_re, {f"h{i}": h.kind for i, h in enumerate(m.headings)}, run_in_re,
                         {f"r{i}": h.kind for i, h in run_in}, cue_re, {g: (k, w) for g, k, w, _ in groups}, bp,
                         start_re, words)


def _load(path: Path, schema_name: str) -> dict:
    import jsonschema  # only where rules are first loaded

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    schema = json.loads((HERE / "schema" / schema_name).read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        raise RulesError(f"{path}: at {'/'.join(map(str, e.path)) or 'top'}: {e.message}")
    return data


def _check_kinds(path: Path, kinds, where: str) -> None:
    for k in kinds:
        if k not in SECTION_KINDS:
            raise RulesError(f"{path}: {where}: {k!r} is not a section kind (model.SECTION_KINDS)")


def _check_pattern(path: Path, pattern: str, where: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"{path}: {where}: bad pattern {pattern!r}: {exc}") from exc
    if re.search(r"\(\?P<", pattern):
        raise RulesError(f"{path}: {where}: named groups are reserved for the loader: {pattern!r}")
    return pattern


def load_sections_file(path: Path) -> dict:
    data = _load(path, "sections.schema.json")
    _check_kinds(path, data.get("order", []), "order")
    _check_kinds(path, data.get("inline_only", []) + data.get("unread", []) + data.get("closed", []),
                 "inline_only/unread/closed")
    for i, h in enumerate(data["headings"]):
        _check_kinds(path, [h["kind"]], f"headings[{i}]")
        _check_pattern(path, h["match"], f"headings[{i}]")
    for kind, cues in data.get("cues", {}).items():
        _check_kinds(path, [kind], "cues")
        for i, c in enumerate(cues):
            if "match" in c:
                _check_pattern(path, c["match"], f"cues/{kind}[{i}]")
    for i, p in enumerate(data.get("boilerplate", [])):
        _check_pattern(path, p, f"boilerplate[{i}]")
    return data


def languages() -> list[str]:
    return sorted(p.parent.name for p in HERE.glob("*/families.json"))


@cache
def families(language: str) -> tuple[str, tuple[tuple[str, tuple[tuple[Signal, float], ...]], ...]]:
    """(default family, ((family, ((signal, weight), ...)), ...)) for a language."""
    path = HERE / language / "families.json"
    data = _load(path, "families.schema.json")
    out = []
    for fam, signals in data["families"].items():
        if not (HERE / language / fam / "sections.json").exists():
            raise RulesError(f"{path}: family {fam!r} has no {language}/{fam}/sections.json")
        out.append((fam, tuple((Signal(lower_pattern(_check_pattern(path, s["match"], fam))), float(s["weight"]))
                               for s in signals)))
    if data["default"] not in data["families"]:
        raise RulesError(f"{path}: default {data['default']!r} is not one of its families")
    return data["default"], tuple(out)


@cache
def section_model(language: str, family: str) -> SectionModel:
    """The family's file merged over the language's common one: its headings first, cues added."""
    own_path = HERE / language / family / "sections.json"
    if not own_path.exists():
        raise RulesError(f"no section model for family {family!r} in language {language!r} ({own_path})")
    own = load_sections_file(own_path)
    common_path = HERE / language / "common" / "sections.json"
    common = load_sections_file(common_path) if common_path.exists() else {"headings": [], "cues": {}}
    if not own.get("order"):
        raise RulesError(f"{own_path}: a family needs its usual order of sections")
    headings = tuple(Heading(h["kind"], h["match"], bool(h.get("run_in")))
                     for h in own["headings"] + common["headings"])
    cues: dict[str, list[tuple[str, float]]] = {}
    entity_cues: dict[str, list[tuple[str, float]]] = {}
    # the family's own cues first: where two cues match the same words, the family's wins
    for src in (own.get("cues", {}), common.get("cues", {})):
        for kind, items in src.items():
            cues.setdefault(kind, []).extend((c["match"], float(c["weight"])) for c in items if "match" in c)
            entity_cues.setdefault(kind, []).extend((c["entity"], float(c["weight"])) for c in items if "entity" in c)
    return SectionModel(
        language=language, family=family, order=tuple(own["order"]), headings=headings,
        cues={k: tuple(v) for k, v in cues.items()},
        entity_cues={k: tuple(v) for k, v in entity_cues.items() if v},
        inline_only=frozenset(own.get("inline_only", []) + common.get("inline_only", [])),
        unread=frozenset(own.get("unread", []) + common.get("unread", [])),
        closed=frozenset(own.get("closed", []) + common.get("closed", [])),
        boilerplate=tuple(own.get("boilerplate", []) + common.get("boilerplate", [])),
        effects_in_warnings=bool(own.get("effects_in_warnings", False)),
        numbering_words=tuple(own.get("numbering_words", []) + common.get("numbering_words", [])))


def detect_language(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones (and Russian rules exist), else 'en'."""
    head = text[:20000]
    if not _CYRILLIC.search(head):
        return "en"
    cyr, lat = len(_CYRILLIC.findall(head)), len(_LATIN.findall(head))
    return "ru" if cyr > lat and "ru" in languages() else "en"


def detect_family(text: str, language: str) -> tuple[str, dict[str, float]]:
    """The family whose signals score most (each signal counts once), with every family's score."""
    default, fams = families(language)
    low = text.lower()  # the signals are compiled for lower-cased text
    scores = {fam: sum(w for rx, w in signals if rx.search(low)) for fam, signals in fams}
    best = max(scores.items(), key=lambda kv: kv[1])
    return (best[0] if best[1] > 0 else default), scores
