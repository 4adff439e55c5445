"""The validator: layered checks of a resource, answered as an OperationOutcome."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from fhir.resources import get_fhir_model_class

from .outcome import outcome
from .walker import Issue, Walk, walk_resource

LAYERS = ("syntax", "structure", "bindings", "invariants", "profiles", "references")


@dataclass
class Result:
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i[0] in ("error", "fatal")]

    @property
    def ok(self) -> bool:
        return not self.errors

    def outcome(self) -> dict:
        return outcome(self.issues)


class Validator:
    """validate(resource) -> Result. `exists(type, id)` lets the reference layer ask the store."""

    def __init__(self, exists: Callable[[str, str], bool] | None = None, profiles=None,
                 layers: tuple[str, ...] = LAYERS):
        self.exists = exists
        self.profiles = profiles
        self.layers = layers

    def parse(self, data: bytes | str) -> tuple[dict | None, list[Issue]]:
        """Layer 1: well-formed JSON or XML whose resourceType is a known resource."""
        head = (data[:200].decode("utf-8", "replace") if isinstance(data, bytes) else data[:200]).lstrip()
        if head.startswith("<"):
            return _parse_xml(data)
        try:
            obj = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return None, [("error", "structure", f"not well-formed JSON: {exc}", "")]
        if not isinstance(obj, dict) or "resourceType" not in obj:
            return None, [("error", "structure", "not a FHIR resource: no resourceType", "")]
        return obj, []

    def validate(self, resource: dict, profile: str | None = None, in_transaction: bool = False) -> Result:
        w = Walk(bindings="bindings" in self.layers, invariants="invariants" in self.layers)
        walk_resource(resource, w)
        issues = list(w.issues)
        if "structure" in self.layers and \
                not any(i[0] == "error" and i[1] == "structure" and i[3] in ("resourceType", "") for i in issues):
            issues += _fhir_resources(resource)
        if self.profiles is not None and "profiles" in self.layers:
            issues += self.profiles.check(resource, profile)
        if self.exists is not None and "references" in self.layers:
            for ref, expr in w.references:
                parts = ref.split("/")
                if len(parts) >= 2 and not ref.startswith(("#", "urn:", "http")) and not self.exists(parts[-2], parts[-1]):
                    issues.append(("error" if in_transaction else "warning", "not-found",
                                   f"reference {ref!r} points at nothing this server holds", f"{expr}.reference"))
        return Result(_dedupe(issues))


def _parse_xml(data: bytes | str) -> tuple[dict | None, list[Issue]]:
    from defusedxml.ElementTree import fromstring

    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = fromstring(raw)
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat raise several kinds
        return None, [("error", "structure", f"not well-formed XML: {exc}", "")]
    if not root.tag.startswith("{http://hl7.org/fhir}"):
        return None, [("error", "structure", "the XML root is not in the FHIR namespace", "")]
    rtype = root.tag.split("}", 1)[1]
    try:
        model = get_fhir_model_class(rtype).model_validate_xml(raw)
    except (KeyError, ValueError) as exc:
        return None, [("error", "structure", f"not a valid {rtype} in XML: {str(exc).splitlines()[0]}", rtype)]
    return json.loads(model.model_dump_json(exclude_none=True)), []


def _fhir_resources(resource: dict) -> list[Issue]:
    """Base structure as fhir.resources models it: a second opinion on types and formats."""
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except KeyError:
        return []
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        out = []
        if callable(errors):
            for err in errors()[:10]:
                loc = ".".join(str(x) if not isinstance(x, int) else f"[{x}]" for x in err.get("loc", ()))
                loc = loc.replace(".[", "[")
                out.append(("error", "structure", f"fhir.resources: {err.get('msg')}",
                            f"{resource['resourceType']}.{loc}" if loc else resource["resourceType"]))
            return out
        return [("error", "structure", f"fhir.resources: {str(exc).splitlines()[0]}", resource["resourceType"])]
    return []


def _dedupe(issues: list[Issue]) -> list[Issue]:
    out, seen = [], set()
    for i in issues:
        key = (i[0], i[3], i[2][:60])
        # fhir.resources repeats what the walker found at the same place; keep the walker's words
        if i[2].startswith("fhir.resources:") and any(j[3] == i[3] and j[0] == i[0] for j in out):
            continue
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out
