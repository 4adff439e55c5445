"""Content negotiation: FHIR JSON and XML in and out (_format, Accept, Content-Type)."""
from __future__ import annotations

import json
import secrets
from functools import lru_cache

from fhir.resources import get_fhir_model_class

from .outcome import FhirError

JSON = "application/fhir+json"
XML = "application/fhir+xml"
_JSON_TYPES = {"application/fhir+json", "application/json", "application/json+fhir", "json", "text/json"}
_XML_TYPES = {"application/fhir+xml", "application/xml", "application/xml+fhir", "xml", "text/xml"}


def _mime(value: str) -> str:
    return value.split(";")[0].strip().lower()


@lru_cache(maxsize=256)
def response_format(fmt_param: str | None, accept: str | None) -> str:
    """JSON or XML for the response; 406 when the client accepts neither."""
    if fmt_param:
        m = _mime(fmt_param)
        if m in _JSON_TYPES:
            return JSON
        if m in _XML_TYPES:
            return XML
        raise FhirError(406, f"_format {fmt_param!r} is not supported: use json or xml", "not-supported")
    if not accept:
        return JSON
    ranked = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, pieces[0].lower()))
    for _, _, m in sorted(ranked):
        if m in _JSON_TYPES or m in ("*/*", "application/*", "text/*") or m.endswith("+json"):
            return JSON
        if m in _XML_TYPES or m.endswith("+xml"):
            return XML
        if m == "text/html":
            return JSON
    raise FhirError(406, f"cannot produce {accept!r}: this server speaks application/fhir+json and application/fhir+xml",
                    "not-supported")


def parse_body(data: bytes, content_type: str | None) -> dict:
    """A resource from a request body; 415 for a media type that is not FHIR, 400 when malformed."""
    m = _mime(content_type or "application/fhir+json")
    if m in _XML_TYPES:
        try:
            from defusedxml.ElementTree import fromstring as _safe  # noqa: F401 - refuse entity tricks first

            _safe(data)
        except ImportError:
            pass
        except Exception as exc:  # noqa: BLE001
            raise FhirError(400, f"the XML body is not well-formed: {exc}", "structure") from exc
        rtype = _xml_root(data)
        try:
            model = get_fhir_model_class(rtype).model_validate_xml(data)
        except (KeyError, ValueError) as exc:
            raise FhirError(400, f"unknown resource type {rtype!r}", "structure") from exc
        except Exception as exc:  # noqa: BLE001
            raise FhirError(400, f"the XML body is not a valid {rtype}: {str(exc).splitlines()[0]}", "structure") from exc
        return json.loads(model.model_dump_json(exclude_none=True))
    if m not in _JSON_TYPES:
        raise FhirError(415, f"unsupported media type {content_type!r}: send application/fhir+json or application/fhir+xml",
                        "not-supported")
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FhirError(400, f"the body is not valid JSON: {exc}", "structure") from exc
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        raise FhirError(400, "the body is not a FHIR resource: no resourceType", "structure")
    return body


def _xml_root(data: bytes) -> str:
    from xml.etree.ElementTree import fromstring

    try:
        root = fromstring(data)
    except Exception as exc:  # noqa: BLE001
        raise FhirError(400, f"the XML body is not well-formed: {exc}", "structure") from exc
    tag = root.tag
    if not tag.startswith("{http://hl7.org/fhir}"):
        raise FhirError(400, "the XML root is not in the FHIR namespace http://hl7.org/fhir", "structure")
    return tag.split("}", 1)[1]


class RawJson:
    """A stored resource's JSON text, spliced into a response without parsing it again."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def value(self) -> dict:
        return json.loads(self.text)


def _materialise(node):
    if isinstance(node, RawJson):
        return node.value()
    if isinstance(node, dict):
        return {k: _materialise(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_materialise(v) for v in node]
    return node


def render(resource: dict, fmt: str, pretty: bool = False) -> bytes:
    if isinstance(resource, RawJson) and fmt == JSON and not pretty:
        return resource.text.encode("utf-8")  # a stored resource as it is
    if fmt == XML or pretty:
        resource = _materialise(resource)
    if fmt == XML:
        model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        out = model.model_dump_xml(pretty_print=pretty)
        return out if isinstance(out, bytes) else out.encode("utf-8")
    if pretty:
        return json.dumps(resource, ensure_ascii=False, indent=2).encode("utf-8")
    raws: list[str] = []
    nonce = secrets.token_hex(4)  # a marker no stored text can contain by chance

    def placeholder(o):
        if isinstance(o, RawJson):
            raws.append(o.text)
            return f"\x00{nonce}{len(raws) - 1}\x00"
        raise TypeError(f"{type(o).__name__} is not JSON")

    text = json.dumps(resource, ensure_ascii=False, separators=(",", ":"), default=placeholder)
    if raws:
        # each placeholder was dumped as a JSON string: swap the quoted marker for the stored text
        parts = text.split(f'"\\u0000{nonce}')
        out = [parts[0]]
        for part in parts[1:]:
            n, rest = part.split('\\u0000"', 1)
            out.append(raws[int(n)])
            out.append(rest)
        text = "".join(out)
    return text.encode("utf-8")
