"""Search parameters as data: SearchParameter resources from profiles/, compiled once.

Like HAPI FHIR, the server knows no individual parameter: each one is a code, a type and a
FHIRPath expression evaluated on every resource when it is written (see indexer.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import fhirpathpy
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from ..terminology import published
from ..terminology.published import PROFILES

TYPES = ("number", "date", "string", "token", "reference", "composite", "quantity", "uri", "special")
_REF = re.compile(r"^(?:(?P<base>https?://\S+?)/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/\S+)?$")


def parse_reference(ref: str) -> tuple[str, str] | None:
    """('Medication', 'abc') of 'Medication/abc', 'http://x/fhir/Medication/abc' or a versioned one."""
    m = _REF.match(ref or "")
    return (m.group("type"), m.group("id")) if m else None


def _resolve(inputs):
    """resolve() at index time: the reference's target type is all an expression may ask of it
    (`subject.where(resolve() is Medication)`); the target itself may not be stored yet."""
    out = []
    for v in inputs:
        ref = v.get("reference") if isinstance(v, dict) else v
        parsed = parse_reference(ref) if isinstance(ref, str) else None
        if parsed:
            out.append(ResourceNode.create_node({"resourceType": parsed[0], "id": parsed[1]}, parsed[0]))
    return out


_OPTIONS = {"userInvocationTable": {"resolve": {"fn": _resolve}}}


@dataclass(frozen=True)
class SearchParam:
    code: str
    type: str
    expression: str
    bases: tuple[str, ...]
    targets: tuple[str, ...] = ()
    url: str = ""
    description: str = ""
    resource: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def evaluate(self, resource: dict) -> list:
        """The values the expression selects in a resource (FHIR JSON)."""
        return _compiled(self.expression, resource["resourceType"])(resource, {})

    @property
    def components(self) -> list[tuple[str, str]]:
        """(definition url, expression) of a composite parameter's parts."""
        return [(c.get("definition", ""), c.get("expression", "")) for c in self.resource.get("component", [])]


def evaluate_on(resource: dict, expression: str) -> list:
    """Any expression on a resource (composite components are written from the resource down)."""
    return _compiled(expression, resource["resourceType"])(resource, {})


_ABSTRACT_HEAD = re.compile(r"(?<![\w.])(?:Resource|DomainResource|CanonicalResource|MetadataResource)\.")


@cache
def _compiled(expression: str, rtype: str):
    # fhirpathpy matches a leading type name literally: "Resource.id" selects nothing on a
    # Medication, so abstract heads are read as the concrete type being indexed.
    return fhirpathpy.compile(_ABSTRACT_HEAD.sub(f"{rtype}.", expression), model=models["r5"], options=_OPTIONS)


class Registry:
    """The search parameters by resource type and code."""

    def __init__(self, params: list[SearchParam]):
        self.params = params
        self.by_type: dict[str, dict[str, SearchParam]] = {}
        for p in params:
            for base in p.bases:
                self.by_type.setdefault(base, {})[p.code] = p

    def for_type(self, rtype: str) -> dict[str, SearchParam]:
        """Parameters of a type, the Resource-level ones (_id, _lastUpdated...) included."""
        out = dict(self.by_type.get("Resource", {}))
        out.update(self.by_type.get("DomainResource", {}))
        out.update(self.by_type.get(rtype, {}))
        return out

    def get(self, rtype: str, code: str) -> SearchParam | None:
        return self.for_type(rtype).get(code)

    def by_url(self, url: str) -> SearchParam | None:
        return next((p for p in self.params if p.url == url), None)

    @classmethod
    def from_resources(cls, resources: list[dict]) -> Registry:
        params = []
        for r in resources:
            if r.get("resourceType") != "SearchParameter" or not r.get("expression"):
                continue
            params.append(SearchParam(r["code"], r["type"], r["expression"], tuple(r.get("base", ())),
                                      tuple(r.get("target", ())), r.get("url", ""), r.get("description", ""), r))
        return cls(params)

    @classmethod
    def load(cls, folder: Path = PROFILES) -> Registry:
        return cls.from_resources(published.resources("SearchParameter-*.json", folder))


@cache
def default_registry() -> Registry:
    return Registry.load()
