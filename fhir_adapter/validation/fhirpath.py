"""FHIRPath for invariants: fhirpathpy, with the functions R5 constraints use that it lacks."""
from __future__ import annotations

import re
from functools import cache
from xml.etree.ElementTree import ParseError

import fhirpathpy
from defusedxml.ElementTree import fromstring
from fhirpathpy.models import models

XHTML = "{http://www.w3.org/1999/xhtml}"
# The elements and attributes FHIR narrative allows (narrative.html#xhtml): no script, no forms.
ALLOWED = {"a", "abbr", "acronym", "b", "big", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
           "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p",
           "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
           "tr", "tt", "ul", "var"}


def _has_value(inputs):
    return [any(not isinstance(v, (dict, list)) and v is not None and v != "" for v in inputs)]


def _xhtml_ok(text: str) -> tuple[bool, bool]:
    """(txt-1: only allowed XHTML, txt-2: some non-whitespace content)."""
    try:
        root = fromstring(text)
    except (ParseError, Exception):  # noqa: BLE001 - defusedxml refuses entities with its own errors
        return False, False
    allowed, content = root.tag == f"{XHTML}div", False
    for el in root.iter():
        name = el.tag.replace(XHTML, "")
        if name not in ALLOWED or not el.tag.startswith(XHTML):
            allowed = False
        for attr, value in el.attrib.items():
            if attr.lower().startswith("on") or re.match(r"\s*javascript:", value, re.I):
                allowed = False
        if (el.text or "").strip() or (el.tail or "").strip() or name == "img":
            content = True
    return allowed, content


def _html_checks_1(inputs):
    return [all(_xhtml_ok(v)[0] for v in inputs if isinstance(v, str))]


def _html_checks_2(inputs):
    return [all(_xhtml_ok(v)[1] for v in inputs if isinstance(v, str))]


def _true(inputs, *_args):
    return [True]


def _boundary(inputs, *_args):
    """lowBoundary()/highBoundary() as the Range and Period invariants use them: a Quantity's
    value (its unit checked by comparable()), a number or a date as it is."""
    out = []
    for v in inputs:
        if isinstance(v, dict):
            if isinstance(v.get("value"), (int, float)):
                out.append(v["value"])
        elif v is not None:
            out.append(v)
    return out


def _comparable(inputs, other):
    a = [v for v in inputs if isinstance(v, (int, float))]
    b = [v for v in (other if isinstance(other, list) else [other]) if isinstance(v, (int, float))]
    return [bool(a) and bool(b)]


TABLE = {
    "hasValue": {"fn": _has_value},
    "htmlChecks": {"fn": _html_checks_1},
    "memberOf": {"fn": _true, "arity": {1: ["String"]}},  # value set membership is layer 3's work
    "conformsTo": {"fn": _true, "arity": {1: ["String"]}},
    "lowBoundary": {"fn": _boundary},
    "highBoundary": {"fn": _boundary},
    "comparable": {"fn": _comparable, "arity": {1: ["AnyAtRoot"]}},
    "resolve": {"fn": lambda inputs: []},  # targets are checked by the reference layer
}
# txt-1 and txt-2 share the expression htmlChecks(); each checks its own half.
KEY_TABLE = {"txt-2": {"htmlChecks": {"fn": _html_checks_2}}}


@cache
def compiled(expression: str, key: str):
    table = {**TABLE, **KEY_TABLE.get(key, {})}
    return fhirpathpy.compile(expression, model=models["r5"],
                              options={"userInvocationTable": table, "traceFn": _no_trace})


def _no_trace(*_args):
    pass
