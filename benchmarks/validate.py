"""Resources validated per second on one core, the layers added one at a time.

    python benchmarks/validate.py [--seconds N]

The resources are everything the converter makes of the bundled seed monograph (and of the
shared samples when ../shared is there), validated from their JSON text.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from fhir_adapter.mapping import bundle_json
from fhir_adapter.monograph import read_monograph
from fhir_adapter.validation import Validator
from fhir_adapter.validation.profiles import Profiles

ROOT = Path(__file__).resolve().parents[1]
STACKS = [
    ("syntax (JSON parse)", ()),
    ("+ structure", ("structure",)),
    ("+ required bindings", ("structure", "bindings")),
    ("+ FHIRPath invariants", ("structure", "bindings", "invariants")),
    ("+ profiles (JSON Schema)", ("structure", "bindings", "invariants", "profiles")),
    ("+ references (full stack)", ("structure", "bindings", "invariants", "profiles", "references")),
]


def corpus() -> list[str]:
    texts = [ROOT / "fhir_adapter" / "examples" / "cellex.txt"]
    shared = ROOT.parent / "shared" / "monographs"
    if shared.is_dir():
        texts += sorted(shared.glob("*.txt"))
    out = []
    for t in texts:
        out += [json.dumps(e["resource"]) for e in bundle_json(read_monograph(t.read_text()))["entry"]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    docs = corpus()
    known = {(r["resourceType"], r["id"]) for r in map(json.loads, docs)}
    profiles = Profiles()
    print(f"{len(docs)} resources")
    for label, layers in STACKS:
        v = Validator(exists=lambda t, i: (t, i) in known, profiles=profiles, layers=layers)
        for d in docs:  # warm the definition caches
            v.validate(json.loads(d))
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for d in docs:
                r = json.loads(d)
                if layers:
                    v.validate(r)
                n += 1
        rate = n / (time.perf_counter() - start)
        print(f"{label:28} {rate:9.0f} resources/s")


if __name__ == "__main__":
    main()
