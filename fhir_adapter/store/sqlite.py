"""The embedded store: SQLite in WAL mode, every write one transaction, versions kept.

Several processes (gunicorn workers) may share one database file: SQLite serialises
writers, and BEGIN IMMEDIATE takes the write lock before a version is read, so a
version check and the write it guards cannot interleave with another writer's.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import Conflict, Gone, Invalid, NotFound, PreconditionFailed
from .indexer import Row, index
from .query import Clause, Compiler, compile_ids
from .searchparams import Registry, default_registry

SCHEMA = """
CREATE TABLE IF NOT EXISTS resource (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, last_updated TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, body TEXT, PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS resource_version (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, last_updated TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, method TEXT NOT NULL, body TEXT, PRIMARY KEY (type, id, version));
CREATE INDEX IF NOT EXISTS resource_version_time ON resource_version (last_updated);
CREATE INDEX IF NOT EXISTS resource_live ON resource (type, deleted, id, last_updated);
CREATE TABLE IF NOT EXISTS idx_token (rtype TEXT, rid TEXT, param TEXT, a TEXT, b TEXT, c TEXT);
CREATE INDEX IF NOT EXISTS idx_token_code2 ON idx_token (rtype, param, b, a, rid);
CREATE INDEX IF NOT EXISTS idx_token_res ON idx_token (rtype, rid);
CREATE TABLE IF NOT EXISTS idx_string (rtype TEXT, rid TEXT, param TEXT, a TEXT, b TEXT);
CREATE INDEX IF NOT EXISTS idx_string_val2 ON idx_string (rtype, param, a, rid);
CREATE INDEX IF NOT EXISTS idx_string_res ON idx_string (rtype, rid);
CREATE TABLE IF NOT EXISTS idx_reference (rtype TEXT, rid TEXT, param TEXT, a TEXT, b TEXT, c TEXT);
CREATE INDEX IF NOT EXISTS idx_reference_target ON idx_reference (a, b, param);
CREATE INDEX IF NOT EXISTS idx_reference_res ON idx_reference (rtype, rid, param);
CREATE INDEX IF NOT EXISTS idx_reference_src2 ON idx_reference (rtype, param, a, b, rid);
CREATE INDEX IF NOT EXISTS idx_token_text2 ON idx_token (rtype, param, c, rid);
CREATE TABLE IF NOT EXISTS idx_date (rtype TEXT, rid TEXT, param TEXT, a TEXT, b TEXT);
CREATE INDEX IF NOT EXISTS idx_date_res ON idx_date (rtype, rid);
CREATE INDEX IF NOT EXISTS idx_date_val2 ON idx_date (rtype, param, a, b, rid);
CREATE TABLE IF NOT EXISTS idx_quantity (rtype TEXT, rid TEXT, param TEXT, a REAL, b TEXT, c TEXT, d TEXT);
CREATE INDEX IF NOT EXISTS idx_quantity_res ON idx_quantity (rtype, rid);
CREATE TABLE IF NOT EXISTS idx_number (rtype TEXT, rid TEXT, param TEXT, a REAL);
CREATE INDEX IF NOT EXISTS idx_number_res ON idx_number (rtype, rid);
CREATE TABLE IF NOT EXISTS idx_composite (rtype TEXT, rid TEXT, param TEXT, a TEXT, b, c, d);
CREATE INDEX IF NOT EXISTS idx_composite_res ON idx_composite (rtype, rid);
CREATE INDEX IF NOT EXISTS idx_composite_val ON idx_composite (rtype, param, c);
CREATE TABLE IF NOT EXISTS idx_uri (rtype TEXT, rid TEXT, param TEXT, a TEXT);
CREATE INDEX IF NOT EXISTS idx_uri_val2 ON idx_uri (rtype, param, a, rid);
CREATE INDEX IF NOT EXISTS idx_uri_res ON idx_uri (rtype, rid);
"""
TABLES = ("token", "string", "reference", "date", "quantity", "number", "uri", "composite")
COLUMNS = {"token": 3, "string": 2, "reference": 3, "date": 2, "quantity": 4, "number": 1, "uri": 1, "composite": 4}


@dataclass
class Stored:
    type: str
    id: str
    version: int
    last_updated: str
    deleted: bool
    body: str | None  # FHIR JSON with meta.versionId and meta.lastUpdated set
    method: str = "PUT"

    @property
    def resource(self) -> dict:
        return json.loads(self.body) if self.body else {}


def now_instant() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_id() -> str:
    return uuid.uuid4().hex


class Store:
    def __init__(self, path: str | Path = ":memory:", registry: Registry | None = None):
        self.path = str(path)
        self.registry = registry or default_registry()
        self.compiler = Compiler(self.registry)
        self._local = threading.local()
        self._memory_conn: sqlite3.Connection | None = None
        self._write_lock = threading.RLock()
        with self._conn() as c:
            c.executescript(SCHEMA)

    # -------------------------------------------------------------- connections
    def _conn(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            # One shared connection: every thread must see the same in-memory database.
            if self._memory_conn is None:
                self._memory_conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return self._memory_conn
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid != os.getpid():
            conn = None  # a forked worker must not use its parent's connection
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            self._local.pid = os.getpid()
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one (a Bundle transaction)."""
        conn = self._conn()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth = depth
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.depth = 1
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.depth = 0

    # -------------------------------------------------------------- reads
    def read(self, rtype: str, rid: str) -> Stored:
        row = self._conn().execute("SELECT version, last_updated, deleted, body FROM resource WHERE type=? AND id=?",
                                   (rtype, rid)).fetchone()
        if row is None:
            raise NotFound(f"{rtype}/{rid} is not known")
        if row[2]:
            raise Gone(f"{rtype}/{rid} was deleted")
        return Stored(rtype, rid, row[0], row[1], False, row[3])

    def current(self, rtype: str, rid: str) -> Stored | None:
        """The current version, deleted or not; None when the id was never used."""
        row = self._conn().execute("SELECT version, last_updated, deleted, body FROM resource WHERE type=? AND id=?",
                                   (rtype, rid)).fetchone()
        return Stored(rtype, rid, row[0], row[1], bool(row[2]), row[3]) if row else None

    def vread(self, rtype: str, rid: str, version: int) -> Stored:
        row = self._conn().execute(
            "SELECT last_updated, deleted, body, method FROM resource_version WHERE type=? AND id=? AND version=?",
            (rtype, rid, version)).fetchone()
        if row is None:
            raise NotFound(f"{rtype}/{rid}/_history/{version} is not known")
        if row[1]:
            raise Gone(f"{rtype}/{rid} version {version} is a deletion")
        return Stored(rtype, rid, version, row[0], False, row[2], row[3])

    def history(self, rtype: str | None = None, rid: str | None = None, since: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[list[Stored], int]:
        where, args = [], []
        if rtype:
            where.append("type = ?")
            args.append(rtype)
        if rid:
            where.append("id = ?")
            args.append(rid)
        if since:
            where.append("last_updated >= ?")
            args.append(since)
        w = ("WHERE " + " AND ".join(where)) if where else ""
        conn = self._conn()
        total = conn.execute(f"SELECT COUNT(*) FROM resource_version {w}", args).fetchone()[0]
        rows = conn.execute(f"SELECT type, id, version, last_updated, deleted, body, method FROM resource_version {w} "
                            f"ORDER BY last_updated DESC, version DESC LIMIT ? OFFSET ?", args + [limit, offset]).fetchall()
        return [Stored(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows], total

    # -------------------------------------------------------------- writes
    def create(self, resource: dict, rid: str | None = None) -> Stored:
        rtype = resource.get("resourceType")
        if not rtype:
            raise Invalid("resource has no resourceType")
        with self.transaction():
            rid = rid or new_id()
            if self.current(rtype, rid) is not None:
                raise Conflict(f"{rtype}/{rid} exists already")
            return self._write(resource, rtype, rid, 1, "POST")

    def update(self, resource: dict, rid: str, if_match: int | None = None) -> tuple[Stored, bool]:
        """Update or create-on-update with the client's id; returns (stored, created)."""
        rtype = resource.get("resourceType")
        with self.transaction():
            cur = self.current(rtype, rid)
            if if_match is not None and (cur is None or cur.deleted or cur.version != if_match):
                have = "none" if cur is None or cur.deleted else cur.version
                raise PreconditionFailed(f"{rtype}/{rid}: If-Match version {if_match} but the current is {have}")
            version = (cur.version + 1) if cur else 1
            if cur is not None and not cur.deleted and _same_content(cur.resource, resource):
                return cur, False  # no change, no new version (loading twice changes nothing)
            return self._write(resource, rtype, rid, version, "PUT"), cur is None or cur.deleted

    def delete(self, rtype: str, rid: str, if_match: int | None = None) -> Stored | None:
        with self.transaction() as conn:
            cur = self.current(rtype, rid)
            if cur is None or cur.deleted:
                return None
            if if_match is not None and cur.version != if_match:
                raise PreconditionFailed(f"{rtype}/{rid}: If-Match version {if_match} but the current is {cur.version}")
            ts = now_instant()
            v = cur.version + 1
            conn.execute("UPDATE resource SET version=?, last_updated=?, deleted=1, body=NULL WHERE type=? AND id=?",
                         (v, ts, rtype, rid))
            conn.execute("INSERT INTO resource_version VALUES (?,?,?,?,1,'DELETE',NULL)", (rtype, rid, v, ts))
            self._unindex(conn, rtype, rid)
            return Stored(rtype, rid, v, ts, True, None, "DELETE")

    def _write(self, resource: dict, rtype: str, rid: str, version: int, method: str) -> Stored:
        conn = self._conn()
        ts = now_instant()
        body = dict(resource)
        body["id"] = rid
        meta = dict(body.get("meta") or {})
        meta["versionId"] = str(version)
        meta["lastUpdated"] = ts
        body["meta"] = meta
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        conn.execute("INSERT INTO resource VALUES (?,?,?,?,0,?) ON CONFLICT(type, id) DO UPDATE SET "
                     "version=excluded.version, last_updated=excluded.last_updated, deleted=0, body=excluded.body",
                     (rtype, rid, version, ts, text))
        conn.execute("INSERT INTO resource_version VALUES (?,?,?,?,0,?,?)", (rtype, rid, version, ts, method, text))
        self._unindex(conn, rtype, rid)
        self._index(conn, body)
        return Stored(rtype, rid, version, ts, False, text, method)

    def _unindex(self, conn: sqlite3.Connection, rtype: str, rid: str) -> None:
        for t in TABLES:
            conn.execute(f"DELETE FROM idx_{t} WHERE rtype=? AND rid=?", (rtype, rid))

    def _index(self, conn: sqlite3.Connection, body: dict) -> None:
        by_table: dict[str, list[tuple]] = {}
        for row in index(body, self.registry):
            by_table.setdefault(row.table, []).append(_values(row, body))
        for t, rows in by_table.items():
            marks = ",".join("?" * (3 + COLUMNS[t]))
            conn.executemany(f"INSERT INTO idx_{t} VALUES ({marks})", rows)

    def reindex(self) -> int:
        """Rebuild every index row from the stored resources (after search parameters change)."""
        with self.transaction() as conn:
            for t in TABLES:
                conn.execute(f"DELETE FROM idx_{t}")
            n = 0
            for (body,) in conn.execute("SELECT body FROM resource WHERE deleted = 0").fetchall():
                self._index(conn, json.loads(body))
                n += 1
            return n

    # -------------------------------------------------------------- search
    def search(self, rtype: str, clauses: list[Clause], sort: list[str] | None = None,
               limit: int = 20, offset: int = 0, count_total: bool = True) -> tuple[list[Stored], int | None]:
        ids_sql, args = compile_ids(self.compiler, rtype, clauses)
        order = ", ".join([self.compiler.sort_key(rtype, k) for k in (sort or [])] + ["m.id"])
        conn = self._conn()
        page: list[str] = []
        if limit:
            page = [r[0] for r in conn.execute(f"WITH m(id) AS ({ids_sql}) SELECT m.id FROM m ORDER BY {order} "
                                               f"LIMIT ? OFFSET ?", args + [limit, offset]).fetchall()]
        total = None
        if count_total:
            if limit and len(page) < limit and (page or offset == 0):
                total = offset + len(page)  # the last page tells the total without counting
            else:
                total = conn.execute(f"SELECT COUNT(*) FROM ({ids_sql})", args).fetchone()[0]
        found = []
        if page:
            marks = ",".join("?" * len(page))
            rows = {r[0]: r for r in conn.execute(
                f"SELECT id, version, last_updated, body FROM resource WHERE type = ? AND deleted = 0 AND id IN ({marks})",
                [rtype] + page).fetchall()}
            found = [Stored(rtype, i, rows[i][1], rows[i][2], False, rows[i][3]) for i in page if i in rows]
        return found, total

    def referenced(self, sources: list[Stored], param: str | None, target_type: str | None) -> list[Stored]:
        """_include: what the sources' reference parameter (or every one, for '*') points at."""
        filters = [("x.param = ?", param), ("x.a = ?", target_type)]
        return self._linked(sources, "r.type = x.a AND r.id = x.b", "x.rtype = ? AND x.rid", filters)

    def referencing(self, targets: list[Stored], source_type: str, param: str | None) -> list[Stored]:
        """_revinclude: resources of source_type whose reference parameter points at the targets."""
        filters = [("x.rtype = ?", None if source_type == "*" else source_type), ("x.param = ?", param)]
        return self._linked(targets, "r.type = x.rtype AND r.id = x.rid", "x.a = ? AND x.b", filters)

    def _linked(self, nodes: list[Stored], join: str, match: str, filters: list[tuple[str, str | None]]) -> list[Stored]:
        """The live resources joined to the nodes through reference rows: one query per node type."""
        out: dict[tuple[str, str], Stored] = {}
        by_type: dict[str, list[str]] = {}
        for n in nodes:
            by_type.setdefault(n.type, []).append(n.id)
        for ntype, ids in by_type.items():
            q = (f"SELECT DISTINCT r.type, r.id, r.version, r.last_updated, r.body FROM idx_reference x "
                 f"JOIN resource r ON {join} AND r.deleted = 0 WHERE {match} IN ({','.join('?' * len(ids))})")
            args: list = [ntype, *ids]
            for cond, value in filters:
                if value:
                    q += f" AND {cond}"
                    args.append(value)
            for t, i, v, lu, body in self._conn().execute(q, args).fetchall():
                out[(t, i)] = Stored(t, i, v, lu, False, body)
        return list(out.values())

    def analyze(self) -> None:
        """Refresh SQLite's statistics so its planner starts from the most selective condition."""
        self._conn().execute("ANALYZE")

    def count(self, rtype: str | None = None) -> int:
        q = "SELECT COUNT(*) FROM resource WHERE deleted = 0" + (" AND type = ?" if rtype else "")
        return self._conn().execute(q, [rtype] if rtype else []).fetchone()[0]


def _values(row: Row, body: dict) -> tuple:
    cols = (row.a, row.b, row.c, row.d)[:COLUMNS[row.table]]
    return (body["resourceType"], body["id"], row.param) + cols


def _same_content(a: dict, b: dict) -> bool:
    strip = lambda r: {k: v for k, v in r.items() if k not in ("meta", "id")}  # noqa: E731
    ma = {k: v for k, v in (a.get("meta") or {}).items() if k not in ("versionId", "lastUpdated")}
    mb = {k: v for k, v in (b.get("meta") or {}).items() if k not in ("versionId", "lastUpdated")}
    return strip(a) == strip(b) and ma == mb
