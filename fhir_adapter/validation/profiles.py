"""Layer 5: the project's profiles (profiles/StructureDefinition-*.json, differential),
compiled into JSON Schema and checked with jsonschema.

Compiled: min/max cardinality, fixed[x] and pattern[x] values, type restrictions on
references (targetProfile), required bindings to the project's own ValueSets.
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import jsonschema

from ..terminology import published
from ..terminology.published import PROFILES
from .definitions import type_def

_FHIR_SD = "http://hl7.org/fhir/StructureDefinition/"


def _node(schema: dict, steps: list[tuple[str, bool]]) -> dict:
    """The schema of the value at steps (name, repeats) below the root, created as needed."""
    cur = schema
    for name, repeats in steps:
        props = cur.setdefault("properties", {})
        child = props.setdefault(name, {})
        if repeats:
            child.setdefault("type", "array")
            cur = child.setdefault("items", {})
        else:
            cur = child
    return cur


class Profiles:
    def __init__(self, folder: Path = PROFILES):
        self.folder = folder

    @cached_property
    def resources(self) -> dict[str, dict]:
        return {r["url"]: r for r in published.resources("*.json", self.folder) if "url" in r}

    def urls(self) -> list[str]:
        return [u for u, r in self.resources.items() if r["resourceType"] == "StructureDefinition"
                and r.get("kind") == "resource" and r.get("derivation") == "constraint"]

    def codes(self, valueset_url: str) -> list[tuple[str, str]] | None:
        vs = self.resources.get(valueset_url)
        if not vs:
            return None
        out = []
        for inc in vs.get("compose", {}).get("include", []):
            if inc.get("concept"):
                out += [(inc["system"], c["code"]) for c in inc["concept"]]
            else:
                cs = self.resources.get(inc.get("system", ""))
                if not cs:
                    return None
                out += [(cs["url"], c["code"]) for c in cs.get("concept", [])]
        return out

    @cached_property
    def schemas(self) -> dict[str, tuple[str, dict]]:
        return {url: (self.resources[url]["type"], self.compile(self.resources[url])) for url in self.urls()}

    def compile(self, sd: dict) -> dict:
        """The differential of one profile as a JSON Schema (draft 2020-12)."""
        rtype = sd["type"]
        base = type_def(rtype)
        schema: dict = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
        for el in sd.get("differential", {}).get("element", []):
            path = el["path"]
            if path == rtype:
                continue
            parts = path.split(".")
            steps = []
            for i in range(1, len(parts)):
                sub = ".".join(parts[: i + 1])
                be = base.elements.get(sub) if base else None
                steps.append((parts[i], bool(be and be.max != "1")))
            parent = _node(schema, steps[:-1])
            name, repeats = steps[-1]
            if el.get("min", 0) >= 1:
                parent.setdefault("required", [])
                if name not in parent["required"]:
                    parent["required"].append(name)
            prop = parent.setdefault("properties", {}).setdefault(name, {})
            if repeats:
                prop.setdefault("type", "array")
                if el.get("min", 0) >= 1:
                    prop["minItems"] = el["min"]
                if el.get("max") not in (None, "*"):
                    prop["maxItems"] = int(el["max"])
                value = prop.setdefault("items", {})
            else:
                value = prop
            if el.get("max") == "0":
                # {"not": {}} rather than false: jsonschema reports where a false schema failed
                # only at its parent
                parent["properties"][name] = {"not": {}}
                continue
            for k, v in el.items():
                if k.startswith("fixed"):
                    value["const"] = v
                elif k.startswith("pattern"):
                    value.update(_pattern(v))
            for t in el.get("type", []):
                targets = [tp.replace(_FHIR_SD, "") for tp in t.get("targetProfile", [])]
                if t.get("code") == "Reference" and targets:
                    value.setdefault("properties", {})["reference"] = {
                        "type": "string", "pattern": rf"^(?:(?:https?://\S+/)?(?:{'|'.join(map(re.escape, targets))})/|#)"}
            b = el.get("binding") or {}
            if b.get("strength") == "required":
                codes = self.codes(b.get("valueSet", "").split("|")[0])
                if codes is not None:
                    value.update(_codeable_in(codes))
        return schema

    def check(self, resource: dict, profile: str | None = None) -> list[tuple[str, str, str, str]]:
        """Issues against the named profile, or every project profile the resource declares."""
        urls = [profile] if profile else [u for u in (resource.get("meta") or {}).get("profile", [])]
        issues = []
        for url in urls:
            if url not in self.schemas:
                if url.startswith(_FHIR_SD):
                    continue  # the base definition: the other layers check it
                issues.append(("warning", "not-supported", f"profile {url!r} is not one this server knows", "meta.profile"))
                continue
            rtype, schema = self.schemas[url]
            if resource.get("resourceType") != rtype:
                issues.append(("error", "invalid", f"profile {url} is for {rtype}", "resourceType"))
                continue
            for err in jsonschema.Draft202012Validator(schema).iter_errors(resource):
                where = rtype + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
                if err.validator == "required":
                    missing = re.search(r"'([^']+)' is a required property", err.message)
                    if missing:
                        where += f".{missing.group(1)}"
                issues.append(("error", "invariant" if err.validator in ("const", "pattern", "enum") else "required"
                               if err.validator in ("required", "minItems") else "structure",
                               f"profile {url.rsplit('/', 1)[-1]}: {err.message}", where))
        return issues


def _pattern(v) -> dict:
    if isinstance(v, dict):
        return {"type": "object", "properties": {k: _pattern(x) for k, x in v.items()}, "required": list(v)}
    if isinstance(v, list):
        return {"type": "array", "allOf": [{"contains": _pattern(x)} for x in v]}
    return {"const": v}


def _codeable_in(codes: list[tuple[str, str]]) -> dict:
    """A code, Coding or CodeableConcept whose code is one of the value set's."""
    coding = {"type": "object", "required": ["system", "code"],
              "anyOf": [{"properties": {"system": {"const": s}, "code": {"const": c}}} for s, c in codes]}
    return {"anyOf": [{"type": "string", "enum": sorted({c for _, c in codes})}, coding,
                      {"type": "object", "required": ["coding"],
                       "properties": {"coding": {"type": "array", "contains": coding}}}]}
