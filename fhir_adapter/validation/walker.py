"""Layers 2-4 in one walk of the JSON beside the R5 element definitions.

Layer 2, structure: unknown elements, cardinality, arrays, nulls, empty values, primitive
JSON types and formats, reference target types. Layer 3, required bindings. Layer 4, the
FHIRPath invariants of the resource, its backbone elements and datatypes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from fhirpathpy.engine.nodes import ResourceNode

from .definitions import PRIMITIVES, Element, TypeDef, codes_in_short, is_resource_type, type_def
from .fhirpath import compiled

Issue = tuple[str, str, str, str]  # severity, code, diagnostics, expression
_REF = re.compile(r"^(?:https?://\S+/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/\S+)?$")
JSON_TYPES = {"boolean": bool, "integer": int, "unsignedInt": int, "positiveInt": int, "decimal": (int, float)}


@dataclass
class Walk:
    issues: list[Issue] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # (reference, expression)
    skipped: set[str] = field(default_factory=set)  # constraint keys fhirpathpy could not evaluate
    bindings: bool = True  # layer 3 on (benchmarks/validate.py times the layers one by one)
    invariants: bool = True  # layer 4 on

    def error(self, code: str, msg: str, expr: str, severity: str = "error") -> None:
        self.issues.append((severity, code, msg, expr))


@cache
def _primitive_regex(t: str) -> re.Pattern | None:
    td = type_def(t)
    el = td.elements.get(f"{t}.value") if td else None
    return re.compile(el.regex) if el and el.regex else None


def _required_codes(e: Element, w: Walk) -> list[str] | None:
    return codes_in_short(e.short) if w.bindings and e.binding_strength == "required" else None


def walk_resource(resource: dict, w: Walk, expr: str | None = None) -> None:
    rtype = resource.get("resourceType")
    td = type_def(rtype) if isinstance(rtype, str) else None
    if td is None or td.kind != "resource":
        w.error("structure", f"unknown resource type {rtype!r}", expr or "resourceType")
        return
    _object(resource, td, rtype, expr or rtype, w, root=True)
    _constraints(td.elements[rtype], resource, rtype, expr or rtype, w)


def _object(node: dict, td: TypeDef, dpath: str, expr: str, w: Walk, root: bool = False) -> None:
    present: set[str] = set()
    for key, value in node.items():
        if root and key == "resourceType":
            continue
        if key.startswith("_") and len(key) > 1:
            base = key[1:]
            present.add(base)
            found = td.child(dpath, base)
            if found is None:
                w.error("structure", f"unknown element {key!r}", f"{expr}.{key}")
            elif value is None or value == {} or value == []:
                w.error("structure", f"{key} is empty: FHIR JSON has no empty objects or arrays", f"{expr}.{key}")
            continue
        found = td.child(dpath, key)
        if found is None:
            w.error("structure", f"unknown element {key!r} in {dpath}", f"{expr}.{key}")
            continue
        e, choice_type = found
        present.add(e.name)
        _value(e, choice_type, value, td, f"{expr}.{key}", w)
    for e in td.children.get(dpath, []):
        if e.min >= 1 and e.name not in present and not (e.name == "id" and dpath == td.name):
            w.error("required", f"{e.path} is required (min {e.min})", f"{expr}.{e.name}")


def _value(e: Element, choice_type: str | None, value, td: TypeDef, expr: str, w: Walk) -> None:
    if value is None:
        w.error("structure", "null is not a FHIR value: leave the element out", expr)
        return
    many = e.max != "1"
    if isinstance(value, list):
        if not many:
            w.error("structure", f"{e.path} takes one value, not an array", expr)
            return
        if not value:
            w.error("structure", "empty array: FHIR JSON has no empty arrays", expr)
            return
        if e.max not in ("*",) and e.max.isdigit() and len(value) > int(e.max):
            w.error("structure", f"{e.path} takes at most {e.max} values", expr)
        if len(value) < e.min:
            w.error("required", f"{e.path} needs at least {e.min} values", expr)
        for i, item in enumerate(value):
            if item is None:
                w.error("structure", "null in an array is not a FHIR value", f"{expr}[{i}]")
                continue
            _one(e, choice_type, item, td, f"{expr}[{i}]", w)
        return
    if many:
        w.error("structure", f"{e.path} repeats: its value must be an array", expr)
        return
    _one(e, choice_type, value, td, expr, w)


def _one(e: Element, choice_type: str | None, value, td: TypeDef, expr: str, w: Walk) -> None:
    if e.content_reference:
        target = e.content_reference.split("#", 1)[1]
        owner = type_def(target.split(".")[0]) if not target.startswith(td.name + ".") else td
        if not isinstance(value, dict):
            w.error("structure", f"{e.path} is an element, not a {type(value).__name__}", expr)
            return
        _element_object(value, owner, target, expr, w)
        return
    t = choice_type or (e.types[0] if len(e.types) == 1 else None)
    if t is None:
        w.error("structure", f"{e.path} has several types: name one (e.g. {e.name}{e.types[0][:1].upper()}"
                             f"{e.types[0][1:]})", expr)
        return
    if t in PRIMITIVES:
        _primitive(e, t, value, expr, w)
        return
    if not isinstance(value, dict):
        w.error("structure", f"{e.path} is a {t}, not a {type(value).__name__}", expr)
        return
    if not value:
        w.error("structure", "empty object: FHIR JSON has no empty objects (ele-1)", expr)
        return
    if t in ("BackboneElement", "Element") and td.children.get(e.path):
        _element_object(value, td, e.path, expr, w)
        return
    if t == "Resource" or is_resource_type(t):
        walk_resource(value, w, expr)
        return
    dt = type_def(t)
    if dt is None:
        return
    _object(value, dt, t, expr, w)
    _constraints(dt.elements[t], value, t, expr, w)
    if t == "Reference":
        _reference(e, value, expr, w)
    elif t == "CodeableReference" and isinstance(value.get("reference"), dict):
        _reference(e, value["reference"], f"{expr}.reference", w)
    elif t in ("Coding", "CodeableConcept"):
        codes = _required_codes(e, w)
        if codes:
            got = [c.get("code") for c in (value.get("coding", []) if t == "CodeableConcept" else [value])]
            if not any(g in codes for g in got if g):
                w.error("code-invalid", f"{e.path} is bound (required) to {e.binding_valueset}: none of {got} is in it",
                        expr)


def _element_object(value: dict, td: TypeDef, dpath: str, expr: str, w: Walk) -> None:
    if not value:
        w.error("structure", "empty object: FHIR JSON has no empty objects (ele-1)", expr)
        return
    _object(value, td, dpath, expr, w)
    _constraints(td.elements[dpath], value, dpath, expr, w)


def _primitive(e: Element, t: str, value, expr: str, w: Walk) -> None:
    want = JSON_TYPES.get(t, str)
    if t == "integer64":
        want = str  # a JSON string, so no precision is lost
    if isinstance(value, bool) and t != "boolean" or not isinstance(value, want):
        w.error("structure", f"{e.path} is a FHIR {t}: the JSON {type(value).__name__} {value!r} is not one", expr)
        return
    if t == "decimal" and isinstance(value, bool):
        w.error("structure", f"{e.path} is a decimal, not a boolean", expr)
        return
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, str) and value.strip() == "" and t != "xhtml":
        w.error("structure", f"{e.path} is an empty string: FHIR values have content", expr)
        return
    rx = _primitive_regex(t)
    if rx is not None and t not in ("xhtml", "base64Binary") and not rx.fullmatch(text):
        w.error("value", f"{e.path}: {value!r} is not a valid FHIR {t}", expr)
        return
    if t in ("uri", "url", "canonical") and re.search(r"\s", text):
        w.error("value", f"{e.path}: {value!r} has white space, which a {t} cannot", expr)
        return
    if t == "base64Binary" and not re.fullmatch(r"[A-Za-z0-9+/\s]*={0,2}", text):
        w.error("value", f"{e.path}: not base64", expr)
        return
    for c in e.constraints if w.invariants else ():
        if c.key == "ele-1":
            continue
        try:
            ok = compiled(c.expression, c.key)(value, {})
        except Exception:  # noqa: BLE001
            continue
        if ok == [False]:
            w.error("invariant", f"{c.key}: {c.human}", expr, "warning" if c.severity == "warning" else "error")
    codes = _required_codes(e, w) if t == "code" else None
    if codes and text not in codes:
        w.error("code-invalid", f"{e.path}: {text!r} is not in the required value set {e.binding_valueset} "
                                f"({' | '.join(codes)})", expr)


def _reference(e: Element, ref: dict, expr: str, w: Walk) -> None:
    r = ref.get("reference")
    if not isinstance(r, str):
        return
    w.references.append((r, expr))
    if r.startswith("#") or r.startswith("urn:"):
        return
    m = _REF.match(r)
    if not m:
        w.error("value", f"reference {r!r} is neither Type/id, an absolute URL nor a contained #id", f"{expr}.reference")
        return
    allowed = [t for t in e.targets if t not in ("Resource",)]
    if e.targets and "Resource" not in e.targets and m.group("type") not in allowed:
        w.error("structure", f"{e.path} may point at {', '.join(allowed)}, not {m.group('type')}", f"{expr}.reference")


def _constraints(el: Element, node: dict, dpath: str, expr: str, w: Walk) -> None:
    if not w.invariants:
        return
    for c in el.constraints:
        if c.key in ("ele-1",) or c.key in w.skipped:
            continue  # ele-1 (a value or children) is the structure layer's empty-object check
        # a resource is passed as it is (its expressions start with its type name); any other
        # element as a node that knows its type, so choice elements resolve
        target = node if "resourceType" in node and "." not in dpath else ResourceNode.create_node(node, dpath)
        try:
            result = compiled(c.expression, c.key)(target, {"resource": node} if target is node else {})
        except Exception:  # noqa: BLE001 - an expression fhirpathpy cannot run is skipped, not failed
            w.skipped.add(c.key)
            continue
        if result in ([False],):
            w.error("invariant", f"{c.key}: {c.human}", expr, "warning" if c.severity == "warning" else "error")

