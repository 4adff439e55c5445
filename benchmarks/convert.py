"""Monographs per second on one core: reading + mapping + fhir.resources validation.

    python benchmarks/convert.py [FILE ...] [--seconds N]

Defaults to the bundled seed monograph. Reports each stage's share too.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from fhir_adapter.mapping import bundle_json, to_bundle
from fhir_adapter.monograph import read_monograph

SEED = Path(__file__).resolve().parents[1] / "fhir_adapter" / "examples" / "cellex.txt"


def rate(fn, seconds: float, windows: int = 5) -> tuple[float, float]:
    """(best, median) calls per second over a few windows: the best is the machine's speed with
    the least interference from the rest of it, the median what a run can expect."""
    rates = []
    for _ in range(windows):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / windows or n < 3:
            fn()
            n += 1
        rates.append(n / (time.perf_counter() - start))
    return max(rates), statistics.median(rates)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="*", type=Path, default=[SEED])
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"{'monograph':24} {'read/s':>9} {'read+map/s':>11} {'full/s best':>12} {'median':>7} {'resources':>9}")
    for path in args.files:
        text = path.read_text(encoding="utf-8")
        mono = read_monograph(text)
        n_res = len(bundle_json(mono)["entry"])
        for _ in range(20):  # warm caches (definitions, compiled patterns)
            to_bundle(read_monograph(text))
        r_read = rate(lambda t=text: read_monograph(t), args.seconds)[0]
        r_map = rate(lambda t=text: bundle_json(read_monograph(t)), args.seconds)[0]
        best, median = rate(lambda t=text: to_bundle(read_monograph(t)), args.seconds)
        print(f"{path.name:24} {r_read:9.1f} {r_map:11.1f} {best:12.1f} {median:7.1f} {n_res:9d}")


if __name__ == "__main__":
    main()
