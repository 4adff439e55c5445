"""Server throughput and search latency under gunicorn, beside a bare Flask app.

    python benchmarks/serve.py [--monographs 1000] [--workers 2] [--concurrency 8] [--seconds 10]

Builds a database of N distinct monographs (the seed with a different product name each),
starts the server and the bare app (benchmarks/bare_app.py, same stored bytes) under
gunicorn on loopback, then measures reads per second at the given concurrency and the
latency of a mix of searches (p50, p99). Requests go only to 127.0.0.1 and stop by
themselves after --seconds.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fhir_adapter" / "examples" / "cellex.txt"
sys.path.insert(0, str(ROOT))


def build_db(path: Path, n: int) -> list[tuple[str, str]]:
    from fhir_adapter.mapping import bundle_json
    from fhir_adapter.monograph import read_monograph
    from fhir_adapter.server.load import load_profiles
    from fhir_adapter.store import Store

    store = Store(path)
    load_profiles(store)
    seed = SEED.read_text()
    keys: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    for i in range(n):
        text = re.sub(r"cellex", f"Synthex{i:04d}", seed, flags=re.I)
        with store.transaction():
            for e in bundle_json(read_monograph(text))["entry"]:
                r = e["resource"]
                store.update(r, r["id"])
                keys.append((r["resourceType"], r["id"]))
    store.analyze()
    dt = time.perf_counter() - t0
    print(f"loaded {n} monographs ({len(keys)} resources) in {dt:.1f} s: {n / dt:.1f} monographs/s")
    return keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: str, db: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, FHIR_ADAPTER_DB=str(db), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", app], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}/fhir"
    for _ in range(200):
        try:
            requests.get(f"{base}/Medication/x", timeout=1)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def hammer(urls: list[str], concurrency: int, seconds: float) -> tuple[int, list[float]]:
    """Requests from `concurrency` threads for `seconds`; returns (count, latencies)."""
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    lock = threading.Lock()

    def worker(seed: int):
        rnd = random.Random(seed)
        s = requests.Session()
        mine = []
        while time.perf_counter() < stop:
            u = rnd.choice(urls)
            t = time.perf_counter()
            r = s.get(u, timeout=30)
            mine.append(time.perf_counter() - t)
            if r.status_code >= 400:
                raise RuntimeError(f"{u}: {r.status_code}")
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(lat), lat


def wrk(base: str, paths: list[str], concurrency: int, seconds: float) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) from wrk, a load generator in C that leaves the CPU to the
    servers; paths are drawn at random from the list by a small Lua script."""
    tmp = Path(tempfile.mkdtemp(prefix="wrk-"))
    (tmp / "paths.txt").write_text("\n".join(paths) + "\n")
    (tmp / "mix.lua").write_text(
        f'local paths = {{}}\nfor line in io.lines("{tmp / "paths.txt"}") do paths[#paths + 1] = line end\n'
        'math.randomseed(7)\nrequest = function() return wrk.format("GET", paths[math.random(#paths)]) end\n')
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "--latency", "-s",
                          str(tmp / "mix.lua"), base], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    return rps, ms("50"), ms("99")


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100 * len(v)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--monographs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                    help="load generator: wrk when it is installed (apt-get install wrk), else Python threads")
    args = ap.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    tmp = Path(tempfile.mkdtemp(prefix="fhir-adapter-bench-"))
    db = tmp / "bench.sqlite"
    keys = build_db(db, args.monographs)
    reads = [k for k in keys if k[0] in ("Medication", "MedicationKnowledge", "ClinicalUseDefinition")]
    procs = []
    try:
        server, base = start("fhir_adapter.server.wsgi:app", db, args.workers)
        procs.append(server)
        bare, bare_base = start("benchmarks.bare_app:app", db, args.workers)
        procs.append(bare)
        sample = random.Random(1).sample(reads, min(2000, len(reads)))
        print(f"load generator: {'wrk' if use_wrk else 'Python threads'}")
        if use_wrk:
            root = base.rsplit("/fhir", 1)[0]
            rs, p50s, _ = wrk(root, [f"/fhir/{t}/{i}" for t, i in sample], args.concurrency, args.seconds)
            rb, p50b, _ = wrk(bare_base.rsplit("/fhir", 1)[0], [f"/fhir/{t}/{i}" for t, i in sample],
                              args.concurrency, args.seconds)
        else:
            n_srv, lat_srv = hammer([f"{base}/{t}/{i}" for t, i in sample], args.concurrency, args.seconds)
            n_bare, lat_bare = hammer([f"{bare_base}/{t}/{i}" for t, i in sample], args.concurrency, args.seconds)
            rs, rb = n_srv / args.seconds, n_bare / args.seconds
            p50s, p50b = pct(lat_srv, 50), pct(lat_bare, 50)
        print(f"reads/s at concurrency {args.concurrency}: server {rs:.0f} (p50 {p50s:.1f} ms), "
              f"bare Flask {rb:.0f} (p50 {p50b:.1f} ms), ratio {rs / rb:.2f}")
        names = [f"Synthex{i:04d}" for i in random.Random(2).sample(range(args.monographs), 50)]
        searches = []
        for nm in names:
            searches += [f"{base}/MedicationKnowledge?name={nm}",
                         f"{base}/Medication?code:text={nm}",
                         f"{base}/ClinicalUseDefinition?type=contraindication&subject:Medication.code:text={nm}",
                         f"{base}/MedicationKnowledge?name={nm}&_include=MedicationKnowledge:clinical-use-issue",
                         f"{base}/ClinicalUseDefinition?type=interaction&_count=10"]
        if use_wrk:
            rate, p50, p99 = wrk(base.rsplit("/fhir", 1)[0], [u[len(base.rsplit("/fhir", 1)[0]):] for u in searches],
                                 args.concurrency, args.seconds)
        else:
            n_s, lat_s = hammer(searches, args.concurrency, args.seconds)
            rate, p50, p99 = n_s / args.seconds, pct(lat_s, 50), pct(lat_s, 99)
        print(f"searches at concurrency {args.concurrency} over {args.monographs} monographs: {rate:.0f}/s, "
              f"p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=20)


if __name__ == "__main__":
    main()
