"""Search clauses -> SQL over the index tables (FHIR R5 search.html semantics).

A clause is one URL parameter: name, modifier and its comma-separated values (OR). The
clauses of a request are ANDed. Nothing here knows an individual search parameter: the
parameter's type decides how a value is read and matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from .errors import Invalid, NotSupported
from .indexer import date_range, normalize
from .searchparams import Registry, SearchParam, parse_reference

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
MODIFIERS = {
    "token": {"text", "not", "missing"},
    "string": {"exact", "contains", "missing"},
    "reference": {"missing"},  # plus :[Type]
    "date": {"missing"},
    "quantity": {"missing"},
    "number": {"missing"},
    "uri": {"missing", "below", "above"},
}


@dataclass
class Clause:
    name: str
    modifier: str | None
    values: list[str]
    chain: list[str] = field(default_factory=list)  # "subject:Medication.code" -> ["code"]
    raw: str = ""


def split_escaped(v: str, sep: str) -> list[str]:
    """Split on sep where it is not escaped (search.html#escaping); '\\<sep>' becomes <sep>, any
    other escape stays for the next split (a value may be split on ',', then '$', then '|')."""
    parts, cur, i = [], "", 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            cur += v[i + 1] if v[i + 1] == sep else v[i:i + 2]
            i += 2
            continue
        if v[i] == sep:
            parts.append(cur)
            cur = ""
        else:
            cur += v[i]
        i += 1
    parts.append(cur)
    return parts


def unescape(v: str) -> str:
    return re.sub(r"\\([,$|\\])", r"\1", v)


def split_values(v: str) -> list[str]:
    """Comma-separated alternatives (OR)."""
    return split_escaped(v, ",")


def _split_pipe(v: str) -> list[str]:
    return [unescape(p) for p in split_escaped(v, "|")]


def _split_dollar(v: str) -> list[str]:
    return split_escaped(v, "$")


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(v: str) -> tuple[str, str]:
    if len(v) > 2 and v[:2] in PREFIXES and (v[2].isdigit() or v[2] in "-+."):
        return v[:2], v[2:]
    return "eq", v


def _number_bounds(text: str) -> tuple[float, float, float]:
    """A search number with its implied precision: '100' means [99.5, 100.5)."""
    try:
        d = Decimal(text)
    except InvalidOperation as exc:
        raise Invalid(f"not a number: {text!r}") from exc
    exp = d.as_tuple().exponent
    half = Decimal(5) * Decimal(10) ** (exp - 1) if isinstance(exp, int) else Decimal(0)
    return float(d), float(d - half), float(d + half)


def _num_cond(col: str, prefix: str, text: str) -> tuple[str, list]:
    v, lo, hi = _number_bounds(text)
    return {
        "eq": (f"({col} >= ? AND {col} < ?)", [lo, hi]),
        "ne": (f"({col} < ? OR {col} >= ?)", [lo, hi]),
        "gt": (f"{col} > ?", [v]), "lt": (f"{col} < ?", [v]),
        "ge": (f"{col} >= ?", [v]), "le": (f"{col} <= ?", [v]),
        "sa": (f"{col} > ?", [v]), "eb": (f"{col} < ?", [v]),
        "ap": (f"({col} >= ? AND {col} <= ?)", [v - abs(v) * 0.1, v + abs(v) * 0.1]),
    }[prefix]


def _date_cond(prefix: str, text: str) -> tuple[str, list]:
    rng = date_range(text)
    if rng is None:
        raise Invalid(f"not a date: {text!r}")
    lo, hi = rng
    eq = "(x.a >= ? AND x.b <= ?)"
    if prefix == "ap":
        now = datetime.now(UTC)
        start = datetime.strptime(lo, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
        delta = max(abs(now - start) * 0.1, timedelta(days=1))
        fmt = "%Y-%m-%dT%H:%M:%S.%f"
        return "(x.b >= ? AND x.a <= ?)", [(start - delta).strftime(fmt),
                                            (datetime.strptime(hi, fmt).replace(tzinfo=UTC) + delta).strftime(fmt)]
    return {
        "eq": (eq, [lo, hi]),
        "ne": (f"NOT {eq}", [lo, hi]),
        "gt": ("x.b > ?", [hi]),
        "lt": ("x.a < ?", [lo]),
        "ge": (f"(x.b > ? OR {eq})", [hi, lo, hi]),
        "le": (f"(x.a < ? OR {eq})", [lo, lo, hi]),
        "sa": ("x.a > ?", [hi]),
        "eb": ("x.b < ?", [lo]),
    }[prefix]


class Compiler:
    """Turns clauses for one resource type into a WHERE fragment on alias r (type, id)."""

    def __init__(self, registry: Registry):
        self.registry = registry

    def param(self, rtype: str, name: str) -> SearchParam:
        p = self.registry.get(rtype, name)
        if p is None:
            raise NotSupported(f"unknown search parameter {name!r} for {rtype}", name)
        return p

    def clause(self, rtype: str, c: Clause) -> tuple[str, list]:
        """A SELECT of the ids of rtype that match the clause.

        Index rows exist only for live resources (a delete removes them), so matching is
        done on the index alone; only the final page is read from the resource table.
        """
        p = self.param(rtype, c.name)
        mod = c.modifier
        if c.chain:
            return self._chain(rtype, p, c)
        if p.type == "composite":
            return self._composite(rtype, p, c)
        if mod == "missing":
            want = (c.values[0] if c.values else "").lower()
            if want not in ("true", "false"):
                raise Invalid(f"{c.name}:missing takes true or false")
            having = f"SELECT x.rid FROM idx_{_table(p)} x WHERE x.rtype = ? AND x.param = ?"
            if want == "true":
                return f"{UNIVERSE} EXCEPT {having}", [rtype, rtype, p.code]
            return having, [rtype, p.code]
        if mod and p.type == "reference" and mod[0].isupper():
            pass  # :[Type] is read with the value
        elif mod and mod not in MODIFIERS.get(p.type, set()):
            raise NotSupported(f"modifier :{mod} is not supported on {c.name} ({p.type})", f"{c.name}:{mod}")
        parts, args = [], []
        for v in c.values:
            if v == "":
                continue
            sql, a = self._value(p, mod, v)
            parts.append(sql)
            args += a
        if not parts:
            raise Invalid(f"{c.name} has no value")
        inner = " OR ".join(f"({s})" for s in parts)
        matching = f"SELECT x.rid FROM idx_{_table(p)} x WHERE x.rtype = ? AND x.param = ? AND ({inner})"
        if p.type == "token" and mod == "not":
            return f"{UNIVERSE} EXCEPT {matching}", [rtype, rtype, p.code] + args
        return matching, [rtype, p.code] + args

    def _value(self, p: SearchParam, mod: str | None, v: str) -> tuple[str, list]:
        t = p.type
        if t == "token":
            if mod == "text":
                n = normalize(v)
                # basic string matching on the code's text: starts with, case- and accent-insensitive
                return "(x.c >= ? AND x.c < ?)", [n, n + "\U0010ffff"]
            parts = _split_pipe(v)
            if len(parts) == 1:
                return "x.b = ?", [parts[0]]
            system, code = parts[0], "|".join(parts[1:])
            if system == "":
                return "(x.a IS NULL AND x.b = ?)", [code]
            if code == "":
                return "x.a = ?", [system]
            return "(x.a = ? AND x.b = ?)", [system, code]
        if t != "token" and t != "quantity":
            v = unescape(v)
        if t == "string":
            if mod == "exact":
                return "x.b = ?", [v]
            n = normalize(v)
            if mod == "contains":
                return "x.a LIKE ? ESCAPE '\\'", [f"%{_like(n)}%"]
            return "(x.a >= ? AND x.a < ?)", [n, n + "\U0010ffff"]  # starts with, as an index range
        if t == "uri":
            if mod == "below":
                return "x.a LIKE ? ESCAPE '\\'", [f"{_like(v)}%"]
            if mod == "above":
                return "? LIKE (x.a || '%')", [v]
            return "x.a = ?", [v]
        if t == "reference":
            target = mod if mod and mod[0].isupper() else None
            parsed = parse_reference(v)
            if parsed:
                if target and parsed[0] != target:
                    return "0", []
                return "(x.a = ? AND x.b = ?)", list(parsed)
            if "/" in v or ":" in v:  # a canonical or other absolute URL
                return "x.c = ?", [v]
            if target:
                return "(x.a = ? AND x.b = ?)", [target, v]
            return "x.b = ?", [v]
        if t == "date":
            prefix, text = _prefix(v)
            return _date_cond(prefix, text)
        if t == "number":
            prefix, text = _prefix(v)
            return _num_cond("x.a", prefix, text)
        if t == "quantity":
            prefix, rest = _prefix(v)
            parts = _split_pipe(rest)
            sql, args = _num_cond("x.a", prefix, parts[0])
            if len(parts) >= 3:
                system, code = parts[1], "|".join(parts[2:])
                if system:
                    sql += " AND x.b = ? AND x.c = ?"
                    args += [system, code]
                elif code:
                    sql += " AND (x.c = ? OR x.d = ?)"
                    args += [code, code]
            return sql, args
        raise NotSupported(f"search on {p.code} ({t}) is not supported", p.code)

    def _chain(self, rtype: str, p: SearchParam, c: Clause) -> tuple[str, list]:
        """subject:Medication.code=X -> the resources whose reference points at a match of code=X."""
        if p.type != "reference":
            raise Invalid(f"{c.name} is not a reference: it cannot be chained")
        targets = [c.modifier] if c.modifier and c.modifier[0].isupper() else list(p.targets)
        if len(targets) != 1 and not c.modifier:
            # every target type that knows the chained parameter
            targets = [t for t in p.targets if self.registry.get(t, c.chain[0].split(":")[0])]
        if not targets:
            raise Invalid(f"chain {c.raw!r}: no target type has {c.chain[0]!r}")
        name, _, mod = c.chain[0].partition(":")
        sub_parts, args = [], []
        for t in targets:
            sql, a = self.clause(t, Clause(name, mod or None, c.values, c.chain[1:], c.raw))
            sub_parts.append(f"(x.a = ? AND x.b IN ({sql}))")
            args += [t] + a
        return (f"SELECT x.rid FROM idx_reference x WHERE x.rtype = ? AND x.param = ? "
                f"AND ({' OR '.join(sub_parts)})"), [rtype, p.code] + args

    def _composite(self, rtype: str, p: SearchParam, c: Clause) -> tuple[str, list]:
        """characteristic-value=code$value: every component matched on one and the same element.

        Composite rows keep (element, component) in column a and the component's own index
        columns in b, c, d (the a, b, c of its type's table)."""
        comps = [self.registry.by_url(url) for url, _ in p.components]
        if not comps or any(x is None for x in comps):
            raise NotSupported(f"composite {p.code} names a component this server does not define", p.code)
        alts, args = [], []
        for v in c.values:
            parts = _split_dollar(v)
            if len(parts) != len(comps):
                raise Invalid(f"{c.name} takes {len(comps)} values joined by '$', not {v!r}")
            joins, conds, alt_args = [], [], [rtype, p.code]
            for k, (comp, part) in enumerate(zip(comps, parts, strict=True)):
                sql, a = self._value(comp, None, part)
                # the component's own columns sit one place to the right: its a is our b
                sql = re.sub(r"\bx\.([abc])\b", lambda m, k=k: f"x{k}." + "bcd"["abc".index(m.group(1))], sql)
                conds.append(f"x{k}.a LIKE ? AND ({sql})")
                alt_args += [f"%:{k}"] + a
                if k:
                    joins.append(f"JOIN idx_composite x{k} ON x{k}.rtype = x0.rtype AND x{k}.rid = x0.rid AND "
                                 f"x{k}.param = x0.param AND substr(x{k}.a, 1, instr(x{k}.a, ':')) = "
                                 f"substr(x0.a, 1, instr(x0.a, ':'))")
            alts.append(f"SELECT x0.rid FROM idx_composite x0 {' '.join(joins)} WHERE x0.rtype = ? AND x0.param = ? "
                        f"AND {' AND '.join(conds)}")
            args += alt_args
        return " UNION ".join(alts), args

    def has(self, rtype: str, spec: str, values: list[str]) -> tuple[str, list]:
        """_has:ClinicalUseDefinition:subject:type=contraindication (reverse chaining)."""
        parts = spec.split(":")
        if len(parts) < 3:
            raise Invalid(f"_has:{spec} needs _has:Type:reference:parameter")
        src, ref, rest = parts[0], parts[1], ":".join(parts[2:])
        if rest.startswith("_has:"):
            raise NotSupported("nested _has is not supported")
        refp = self.param(src, ref)
        if refp.type != "reference":
            raise Invalid(f"{src}.{ref} is not a reference")
        name, _, mod = rest.partition(":")
        sql, args = self.clause(src, Clause(name, mod or None, values, [], rest))
        return (f"SELECT x.b AS rid FROM idx_reference x WHERE x.rtype = ? AND x.param = ? AND x.a = ? "
                f"AND x.rid IN ({sql})"), [src, refp.code, rtype] + args

    def sort_key(self, rtype: str, key: str) -> str:
        desc = key.startswith("-")
        name = key.lstrip("-")
        if name == "_id":
            expr = "m.id"
        elif name == "_lastUpdated":
            t = rtype.replace("'", "''")
            expr = f"(SELECT u.last_updated FROM resource u WHERE u.type = '{t}' AND u.id = m.id)"
        else:
            p = self.param(rtype, name)
            if p.type == "composite":
                raise NotSupported(f"cannot sort on the composite parameter {name}", name)
            col = {"token": "x.b", "string": "x.a", "date": "x.b" if desc else "x.a", "quantity": "x.a",
                   "number": "x.a", "uri": "x.a", "reference": "x.c"}[p.type]
            agg = "MAX" if desc else "MIN"
            code, t = p.code.replace("'", "''"), rtype.replace("'", "''")
            expr = f"(SELECT {agg}({col}) FROM idx_{_table(p)} x WHERE x.rtype = '{t}' AND x.rid = m.id " \
                   f"AND x.param = '{code}')"
        # resources without a value sort last either way
        return f"{expr} IS NULL, {expr} {'DESC' if desc else 'ASC'}"


def _table(p: SearchParam) -> str:
    if p.type not in ("token", "string", "reference", "date", "quantity", "number", "uri", "composite"):
        raise NotSupported(f"search on {p.code} ({p.type}) is not supported", p.code)
    return p.type


UNIVERSE = "SELECT u.id AS rid FROM resource u WHERE u.type = ? AND u.deleted = 0"


def _selectivity(compiler: Compiler, rtype: str, c: Clause) -> int:
    """A guess at how few resources a clause matches (lower: fewer), to pick the one that drives."""
    if c.name.startswith("_has:"):
        return 6
    p = compiler.param(rtype, c.name)
    if c.chain:
        return 0
    if p.type == "reference" or c.name == "_id":
        return 1
    if p.type in ("string", "uri") or c.modifier == "text":
        return 2
    if p.type == "token" and any("|" in v and not v.endswith("|") for v in c.values):
        return 3
    if p.type in ("date", "number", "quantity"):
        return 4
    return 5  # a bare code such as type=contraindication matches many


def compile_ids(compiler: Compiler, rtype: str, clauses: list[Clause]) -> tuple[str, list]:
    """One SELECT of the matching ids: the clauses ANDed, or every live resource.

    The clause guessed most selective drives; every other simple clause is an EXISTS probe
    on that resource's own index rows, so a large match set (type=contraindication) is never
    built just to be intersected with a small one.
    """
    compiled = []
    for c in clauses:
        if c.name.startswith("_has:"):
            sql, a = compiler.has(rtype, c.name[5:] + (f":{c.modifier}" if c.modifier else ""), c.values)
        else:
            sql, a = compiler.clause(rtype, c)
        probe = sql.startswith("SELECT x.rid FROM idx_") and not any(k in sql for k in (" UNION ", " EXCEPT "))
        compiled.append((_selectivity(compiler, rtype, c), sql, a, probe))
    if not compiled:
        return UNIVERSE, [rtype]
    compiled.sort(key=lambda t: t[0])
    _, driver_sql, driver_args, _ = compiled[0]
    probes = [t for t in compiled[1:] if t[3]]
    others = [t for t in compiled[1:] if not t[3]]
    where, args = [], list(driver_args)
    for _, sql, a, _ in probes:
        # the probe looks up one resource's rows: make SQLite seek by (rtype, rid), not scan by value
        sql = re.sub(r"^SELECT x\.rid FROM (idx_\w+) x", lambda mm: f"SELECT 1 FROM {mm.group(1)} x INDEXED BY "
                     f"{mm.group(1)}_res", sql)
        where.append(f"EXISTS ({sql} AND x.rid = m.rid)")
        args += a
    core = f"SELECT DISTINCT m.rid FROM ({driver_sql}) m" + (f" WHERE {' AND '.join(where)}" if where else "")
    for _, sql, a, _ in others:
        core += f" INTERSECT SELECT * FROM ({sql})"
        args += a
    return core, args
