"""Loading content into the store: monographs (converted), FHIR JSON files and the profiles."""
from __future__ import annotations

import json
from pathlib import Path

from ..mapping import bundle_json
from ..monograph import read_monograph
from ..store import Store
from ..terminology import published
from ..terminology.published import PROFILES


def _resources_of(path: Path) -> tuple[list[dict], list[str]]:
    """Resources of one file and the reader's warnings: a monograph (.txt) or FHIR JSON."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if data.get("resourceType") == "Bundle":
            return [e["resource"] for e in data.get("entry", []) if isinstance(e.get("resource"), dict)], []
        return [data], []
    mono = read_monograph(text)
    return [e["resource"] for e in bundle_json(mono)["entry"]], [w.message for w in mono.warnings]


def files_of(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(x for x in p.rglob("*") if x.suffix.lower() in (".txt", ".json")
                          and not x.name.endswith(".facts.json"))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")
    return out


def load(store: Store, paths: list[str | Path]) -> dict[str, int]:
    """Convert and store every file; one transaction per file, idempotent (same ids, no new version)."""
    stats = {"files": 0, "resources": 0, "written": 0}
    for path in files_of(paths):
        resources, _warnings = _resources_of(path)
        with store.transaction():
            for r in resources:
                before = store.current(r["resourceType"], r["id"])
                s, _created = store.update(r, r["id"])
                stats["written"] += int(before is None or before.version != s.version)
                stats["resources"] += 1
        stats["files"] += 1
    if stats["written"]:
        store.analyze()
    return stats


def load_profiles(store: Store, folder: Path = PROFILES) -> list[dict]:
    """The conformance resources the server publishes, from profiles/."""
    resources = published.resources("*.json", folder)
    with store.transaction():
        for r in resources:
            store.update(r, r["id"])
    return resources
