"""Search requests: URL parameters -> store clauses, and the searchset Bundle with its links."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from fhir.resources import get_fhir_model_class

from ..store import Clause, NotSupported, Store, Stored, StoreError
from ..store.query import split_values
from .formats import RawJson
from .outcome import FhirError, outcome

RESULT_PARAMS = {"_count", "_offset", "_sort", "_include", "_revinclude", "_total", "_summary", "_elements",
                 "_format", "_pretty", "_contained", "_containedType"}
MAX_COUNT = 1000
DEFAULT_COUNT = 20


@dataclass
class SearchRequest:
    rtype: str
    clauses: list[Clause] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    sort: list[str] = field(default_factory=list)
    includes: list[tuple[str, str | None, str | None, bool]] = field(default_factory=list)
    revincludes: list[tuple[str, str | None, bool]] = field(default_factory=list)
    total: str = "accurate"
    summary: str | None = None
    elements: list[str] | None = None
    warnings: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    echo: list[tuple[str, str]] = field(default_factory=list)  # the parameters the server used


def _int(name: str, value: str, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except ValueError as exc:
        raise FhirError(400, f"{name} must be a whole number, not {value!r}", "invalid", name) from exc
    return max(lo, min(hi, n))


def parse(rtype: str, items: list[tuple[str, str]], store: Store, strict: bool) -> SearchRequest:
    """Read the request's parameters; unknown or malformed ones become warnings (400 when strict)."""
    req = SearchRequest(rtype)

    def problem(msg: str, expr: str, exc: Exception | None = None):
        if strict:
            raise FhirError(400, msg, "not-supported" if isinstance(exc, NotSupported) else "invalid", expr) from exc
        req.warnings.append(("warning", "not-supported" if isinstance(exc, NotSupported) else "invalid", msg, expr))

    for key, value in items:
        name, _, modifier = key.partition(":")
        if name == "_count":
            req.count = _int("_count", value, 0, MAX_COUNT)
        elif name == "_offset":
            req.offset = _int("_offset", value, 0, 10**9)
        elif name == "_sort":
            req.sort = [s for s in value.split(",") if s]
        elif name == "_total":
            if value not in ("none", "estimate", "accurate"):
                problem(f"_total must be none, estimate or accurate, not {value!r}", "_total")
                continue
            req.total = value
        elif name == "_summary":
            if value not in ("true", "false", "text", "data", "count"):
                problem(f"_summary must be true, false, text, data or count, not {value!r}", "_summary")
                continue
            req.summary = None if value == "false" else value
        elif name == "_elements":
            req.elements = [e.strip() for e in value.split(",") if e.strip()]
        elif name == "_include":
            iterate = modifier == "iterate"
            if value == "*":
                req.includes.append(("*", None, None, iterate))
                continue
            parts = value.split(":")
            if len(parts) < 2:
                problem(f"_include={value!r} should be Type:parameter[:target]", "_include")
                continue
            req.includes.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None, iterate))
        elif name == "_revinclude":
            iterate = modifier == "iterate"
            parts = value.split(":")
            if value == "*":
                req.revincludes.append(("*", None, iterate))
                continue
            if len(parts) < 2:
                problem(f"_revinclude={value!r} should be Type:parameter", "_revinclude")
                continue
            req.revincludes.append((parts[0], parts[1], iterate))
        elif name in RESULT_PARAMS:
            continue
        elif key.startswith("_has:"):
            c = Clause(key, None, split_values(value), raw=key)
            if _try(store, rtype, c, problem):
                req.clauses.append(c)
                req.echo.append((key, value))
        else:
            chain: list[str] = []
            if "." in key:
                head, *chain_parts = key.split(".")
                name, _, modifier = head.partition(":")
                chain = [".".join(chain_parts)] if chain_parts else []
            c = Clause(name, modifier or None, split_values(value), chain, key)
            if _try(store, rtype, c, problem):
                req.clauses.append(c)
                req.echo.append((key, value))
    for key in req.sort:
        try:
            store.compiler.sort_key(rtype, key)
        except StoreError as exc:
            problem(f"_sort: {exc.message}", "_sort", exc)
            req.sort = [k for k in req.sort if k != key]
    return req


def _try(store: Store, rtype: str, c: Clause, problem) -> bool:
    """Compile the clause once now, so a bad one is reported instead of failing the search."""
    try:
        if c.name.startswith("_has:"):
            store.compiler.has(rtype, c.name[5:], c.values)
        else:
            store.compiler.clause(rtype, c)
        return True
    except StoreError as exc:
        problem(exc.message, c.raw or c.name, exc)
        return False


@cache
def summary_elements(rtype: str) -> frozenset[str]:
    """Top-level elements R5 marks isSummary, as fhir.resources records them."""
    cls = get_fhir_model_class(rtype)
    out = {"resourceType", "id", "meta", "implicitRules"}
    for name, f in cls.model_fields.items():
        extra = f.json_schema_extra or {}
        if isinstance(extra, dict) and extra.get("summary_element_property"):
            out.add(f.alias or name)
    return frozenset(out)


MANDATORY = {"resourceType", "id", "meta"}


def shape(resource: dict, req: SearchRequest) -> dict:
    """Apply _summary and _elements; a subsetted resource carries the SUBSETTED tag."""
    if req.summary in ("true", "text", "data") or req.elements:
        if req.summary == "true":
            keep = summary_elements(resource["resourceType"])
            out = {k: v for k, v in resource.items() if k in keep}
        elif req.summary == "text":
            out = {k: v for k, v in resource.items() if k in MANDATORY | {"text"}}
        elif req.summary == "data":
            out = {k: v for k, v in resource.items() if k != "text"}
        else:
            out = {k: v for k, v in resource.items() if k in MANDATORY or k in set(req.elements or [])}
        meta = dict(out.get("meta") or {})
        meta["tag"] = list(meta.get("tag", [])) + [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                                                    "code": "SUBSETTED", "display": "Resource content is subsetted"}]
        out["meta"] = meta
        return out
    return resource


def run(store: Store, req: SearchRequest, base: str, path: str) -> dict:
    """The searchset Bundle: matches, includes, outcome and paging links."""
    count_only = req.summary == "count"
    limit = 0 if count_only else req.count
    try:
        found, total = store.search(req.rtype, req.clauses, req.sort, limit=limit, offset=req.offset,
                                    count_total=req.total != "none" or count_only)
    except StoreError as exc:
        raise FhirError(exc.status, exc.message, exc.code, exc.expression) from exc
    included = _includes(store, req, found)
    entries = [_entry(s, base, "match", req) for s in found]
    seen = {(s.type, s.id) for s in found}
    for s in included:
        if (s.type, s.id) not in seen:
            seen.add((s.type, s.id))
            entries.append(_entry(s, base, "include", req))
    if req.warnings:
        entries.append({"resource": outcome(req.warnings), "search": {"mode": "outcome"}})
    bundle: dict = {"resourceType": "Bundle", "type": "searchset"}
    if total is not None:
        bundle["total"] = total
    bundle["link"] = _links(req, base, path, total, len(found)) if not count_only else \
        [{"relation": "self", "url": f"{base}/{path}?" + urlencode(req.echo + [("_summary", "count")])}]
    if entries:
        bundle["entry"] = entries
    return bundle


def _entry(s: Stored, base: str, mode: str, req: SearchRequest) -> dict:
    resource = shape(s.resource, req) if (req.summary or req.elements) else RawJson(s.body)
    return {"fullUrl": f"{base}/{s.type}/{s.id}", "resource": resource, "search": {"mode": mode}}


def _includes(store: Store, req: SearchRequest, found: list[Stored]) -> list[Stored]:
    out: list[Stored] = []
    frontier = list(found)
    for depth in range(4):  # :iterate goes at most this deep
        new: list[Stored] = []
        for src_type, param, target, iterate in req.includes:
            if depth and not iterate:
                continue
            sources = [s for s in frontier if src_type == "*" or s.type == src_type]
            code = None
            if param:
                p = store.registry.get(src_type, param)
                if p is None or p.type != "reference":
                    continue
                code = p.code
            new += store.referenced(sources, code, target)
        for src_type, param, iterate in req.revincludes:
            if depth and not iterate:
                continue
            code = None
            if src_type != "*" and param:
                p = store.registry.get(src_type, param)
                if p is None or p.type != "reference":
                    continue
                code = p.code
            new += store.referencing(frontier, src_type, code)
        have = {(s.type, s.id) for s in out + list(found)}
        new = [s for s in {(s.type, s.id): s for s in new}.values() if (s.type, s.id) not in have]
        if not new:
            break
        out += new
        frontier = new
    return out


def _links(req: SearchRequest, base: str, path: str, total: int | None, got: int) -> list[dict]:
    params = list(req.echo)
    if req.sort:
        params.append(("_sort", ",".join(req.sort)))
    for t, p, target, it in req.includes:
        params.append(("_include:iterate" if it else "_include", t if t == "*" else ":".join(x for x in (t, p, target) if x)))
    for t, p, it in req.revincludes:
        params.append(("_revinclude:iterate" if it else "_revinclude", t if t == "*" else f"{t}:{p}"))
    for name, value in (("_total", req.total if req.total != "accurate" else None), ("_summary", req.summary),
                        ("_elements", ",".join(req.elements) if req.elements else None)):
        if value:
            params.append((name, value))

    def url(offset: int) -> str:
        return f"{base}/{path}?" + urlencode(params + [("_count", str(req.count)), ("_offset", str(offset))])

    links = [{"relation": "self", "url": url(req.offset)}, {"relation": "first", "url": url(0)}]
    if req.count and req.offset > 0:
        links.append({"relation": "previous", "url": url(max(0, req.offset - req.count))})
    more = (req.offset + got < total) if total is not None else (req.count and got == req.count)
    if req.count and more:
        links.append({"relation": "next", "url": url(req.offset + req.count)})
    if total is not None and req.count:
        last = max(0, ((total - 1) // req.count) * req.count) if total else 0
        links.append({"relation": "last", "url": url(last)})
    return links
