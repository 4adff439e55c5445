"""Index rows of a resource: every search parameter's FHIRPath values, by parameter type."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from .searchparams import Registry, SearchParam, evaluate_on, parse_reference


@dataclass(frozen=True)
class Row:
    table: str  # token | string | reference | date | quantity | number | uri | composite
    param: str
    a: object = None  # token: system; string/uri: value; reference: target type; date: low; quantity/number: value
    b: object = None  # token: code; reference: target id; date: high; quantity: system
    c: object = None  # token: text; reference: url; quantity: code
    d: object = None  # quantity: unit


def normalize(s: str) -> str:
    """String search is case- and accent-insensitive (FHIR search.html#string)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", s).strip().lower()


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
                   r"(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_FMT = "%Y-%m-%dT%H:%M:%S.%f"


def date_range(value: str) -> tuple[str, str] | None:
    """The instants a FHIR date/dateTime/instant covers, as sortable UTC strings [low, high]."""
    m = _DATE.match(str(value).strip())
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    tzinfo = UTC
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        tzinfo = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
    try:
        if mo is None:
            low, high = datetime(int(y), 1, 1, tzinfo=tzinfo), datetime(int(y) + 1, 1, 1, tzinfo=tzinfo)
        elif d is None:
            low = datetime(int(y), int(mo), 1, tzinfo=tzinfo)
            high = datetime(int(y) + (int(mo) == 12), int(mo) % 12 + 1, 1, tzinfo=tzinfo)
        elif hh is None:
            low = datetime(int(y), int(mo), int(d), tzinfo=tzinfo)
            high = low + timedelta(days=1)
        else:
            sec = int(ss or 0)
            micro = int((frac or "0")[:6].ljust(6, "0"))
            low = datetime(int(y), int(mo), int(d), int(hh), int(mi), sec, micro, tzinfo=tzinfo)
            high = low + (timedelta(microseconds=1) if frac else timedelta(seconds=1) if ss else timedelta(minutes=1))
    except ValueError:
        return None
    high -= timedelta(microseconds=1)
    return low.astimezone(UTC).strftime(_FMT), high.astimezone(UTC).strftime(_FMT)


def _token_rows(code: str, v) -> list[Row]:
    if isinstance(v, bool):
        return [Row("token", code, None, "true" if v else "false")]
    if isinstance(v, (str, int, float)):
        return [Row("token", code, None, str(v))]
    if not isinstance(v, dict):
        return []
    if "concept" in v or "reference" in v and not ("coding" in v or "system" in v):
        return _token_rows(code, v.get("concept")) if v.get("concept") else []
    rows = []
    if "coding" in v or "text" in v and "value" not in v and "code" not in v:
        text = normalize(v["text"]) if isinstance(v.get("text"), str) else None
        for c in v.get("coding", []):
            rows.append(Row("token", code, c.get("system"), c.get("code"),
                            normalize(c["display"]) if c.get("display") else text))
        if text and not v.get("coding"):
            rows.append(Row("token", code, None, None, text))
        elif text:
            rows.append(Row("token", code, None, None, text))
        return rows
    if "code" in v or "system" in v:  # Coding
        return [Row("token", code, v.get("system"), v.get("code"), normalize(v["display"]) if v.get("display") else None)]
    if "value" in v:  # Identifier, ContactPoint
        text = normalize(v["type"]["text"]) if isinstance(v.get("type"), dict) and v["type"].get("text") else None
        return [Row("token", code, v.get("system"), str(v["value"]), text)]
    return rows


def _strings(v) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):  # HumanName, Address and the like: every string part
        out = []
        for k, x in v.items():
            if k in ("extension", "id", "period", "use"):
                continue
            out += _strings(x)
        return out
    if isinstance(v, list):
        return [s for x in v for s in _strings(x)]
    return []


def _reference_rows(code: str, v) -> list[Row]:
    if isinstance(v, dict) and "reference" in v and isinstance(v["reference"], dict):  # CodeableReference
        v = v["reference"]
    ref = v.get("reference") if isinstance(v, dict) else v if isinstance(v, str) else None
    if not isinstance(ref, str):
        return []
    parsed = parse_reference(ref)
    if parsed:
        return [Row("reference", code, parsed[0], parsed[1], ref)]
    return [Row("reference", code, None, None, ref)]


def _date_rows(code: str, v) -> list[Row]:
    if isinstance(v, dict):  # Period
        lo = date_range(v["start"]) if v.get("start") else None
        hi = date_range(v["end"]) if v.get("end") else None
        if not lo and not hi:
            return []
        return [Row("date", code, lo[0] if lo else "0001-01-01T00:00:00.000000",
                    hi[1] if hi else "9999-12-31T23:59:59.999999")]
    rng = date_range(str(v))
    return [Row("date", code, rng[0], rng[1])] if rng else []


def _quantity_rows(code: str, v) -> list[Row]:
    if isinstance(v, dict) and isinstance(v.get("value"), (int, float)):
        return [Row("quantity", code, float(v["value"]), v.get("system"), v.get("code"), v.get("unit"))]
    if isinstance(v, dict) and ("low" in v or "high" in v):  # Range: both ends
        return _quantity_rows(code, v.get("low")) + _quantity_rows(code, v.get("high"))
    return []


def rows_for(param: SearchParam, values: list) -> list[Row]:
    out: list[Row] = []
    for v in values:
        if param.type == "token":
            out += _token_rows(param.code, v)
        elif param.type == "string":
            out += [Row("string", param.code, normalize(s), s) for s in _strings(v) if s.strip()]
        elif param.type == "reference":
            out += _reference_rows(param.code, v)
        elif param.type == "date":
            out += _date_rows(param.code, v)
        elif param.type == "quantity":
            out += _quantity_rows(param.code, v)
        elif param.type == "number" and isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(Row("number", param.code, float(v)))
        elif param.type == "uri" and isinstance(v, str):
            out.append(Row("uri", param.code, v))
    return out


def composite_rows(param: SearchParam, values: list, registry: Registry, resource: dict) -> list[Row]:
    """One row per component value of each element the composite selects, keyed by element:
    code$value must match the same Group.characteristic, not any two of them."""
    out: list[Row] = []
    for node_no, node in enumerate(values):
        if not isinstance(node, dict):
            continue
        for comp_no, (url, expr) in enumerate(param.components):
            comp = registry.by_url(url)
            if comp is None:
                continue
            try:
                # evaluated from the resource, so choice elements (value[x]) keep their types
                vals = evaluate_on(resource, f"({param.expression})[{node_no}].select({expr})")
            except Exception:  # noqa: BLE001
                continue
            for r in rows_for(comp, vals):
                out.append(Row("composite", param.code, f"{node_no}:{comp_no}", r.a, r.b, r.c))
    return out


def index(resource: dict, registry: Registry) -> list[Row]:
    """Every index row of a resource, for the parameters of its type."""
    rows: list[Row] = []
    for param in registry.for_type(resource["resourceType"]).values():
        if param.type == "special":
            continue
        try:
            values = param.evaluate(resource)
        except Exception:  # noqa: BLE001 - one bad expression must not block a write
            continue
        rows += composite_rows(param, values, registry, resource) if param.type == "composite" else rows_for(param, values)
    return list(dict.fromkeys(rows))
