"""Cost per cycle as history grows, and fetching throughput against the politeness budget, in one run.

1. The same new pages (one cycle over the sample site) on top of a warehouse that already holds 1,000
   and 100,000 articles (synthetic, from bench/trends.py, with a frontier row each): wall time and peak
   RSS of `newsmon run` as a process, best of --trials, and the ratio (goal <= 1.2).
2. `newsmon run` over 8 hosts (--hosts sample sites on their own ports) with `per_host_delay_s`: requests made
   as a fraction of the politeness budget (hosts x (window / delay + 1)), with the thread pool
   (fetch_workers = 8) and sequentially (fetch_workers = 1) as the baseline (goal >= 0.9).

Usage: python bench/cycles.py [--small 1000] [--large 100000] [--trials 2] [--delay 0.5] [--hosts 8]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTS = 8


def write_config(path: Path, seeds: list[str], work: Path, **extra: object) -> Path:
    lines = [f"seeds = [{', '.join(repr(s).replace(chr(39), chr(34)) for s in seeds)}]",
             f'db = "{work / "newsmon.duckdb"}"', f'data_dir = "{work / "data"}"',
             'allow_private_networks = ["127.0.0.1/32"]']
    lines += [f"{k} = {v}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _hwm_mb(pid: int) -> float | None:
    """The process's resident-set high-water mark (VmHWM) in MB, while it runs."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_process(config: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `newsmon run` process.

    The peak is the process's own VmHWM, sampled while it runs: getrusage's ru_maxrss of a child also
    counts the memory of the parent it was forked from, which here holds a whole warehouse."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newsmon", "run", "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_mb(proc.pid) or 0.0)
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        errors = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"newsmon run failed: {errors[-2000:]}")
    return seconds, peak


def history(work: Path, articles: int) -> Path:
    """A warehouse holding `articles` synthetic articles (checked just now, so none is due)."""
    from bench.synthetic import generate
    from newsmon.stage import load_batch
    from warehouse.db import publish

    db = work / "newsmon.duckdb"
    generate(work / "batch", articles, 20, checked_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    load_batch(db, work / "batch", "history")
    publish(db)
    shutil.rmtree(work / "batch")
    return db


def cycle_cost(sizes: list[int], trials: int) -> dict[int, tuple[float, float]]:
    from sample_site import SampleSite

    root = Path(tempfile.mkdtemp(prefix="newsmon-cycles-"))
    try:
        built = {n: history(root / f"h{n}", n) for n in sizes}
        best: dict[int, tuple[float, float]] = {}
        for trial in range(trials):
            for n in sizes:  # interleaved, so machine noise hits both sizes alike
                work = root / f"t{n}-{trial}"
                work.mkdir()
                shutil.copy(built[n], work / "newsmon.duckdb")
                with SampleSite() as site:
                    config = write_config(work / "newsmon.toml", [site.url("/news/xi-putin-call")], work,
                                          per_host_delay_s=0.0)
                    seconds, rss = run_process(config)
                old = best.get(n, (float("inf"), float("inf")))
                best[n] = (min(old[0], seconds), min(old[1], rss))
                shutil.rmtree(work)
        return best
    finally:
        shutil.rmtree(root, ignore_errors=True)


def politeness(workers: int, delay: float, hosts: int = HOSTS) -> tuple[float, int, float]:
    """(fraction of the politeness budget used, requests, fetch window seconds) over `hosts` sample sites."""
    from contextlib import ExitStack

    from sample_site import SampleSite

    work = Path(tempfile.mkdtemp(prefix="newsmon-hosts-"))
    try:
        with ExitStack() as stack:
            sites = [stack.enter_context(SampleSite()) for _ in range(hosts)]
            config = write_config(work / "newsmon.toml", [s.url("/news/xi-putin-call") for s in sites], work,
                                  per_host_delay_s=delay, fetch_workers=workers)
            run_process(config)
            stamps = [h.at for s in sites for h in s.hits]
        window = max(stamps) - min(stamps)
        budget = hosts * (window / delay + 1)
        return len(stamps) / budget, len(stamps), window
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--trials", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.5, help="per_host_delay_s of the multi-host run")
    parser.add_argument("--hosts", type=int, default=HOSTS, help="sample sites of the multi-host run")
    args = parser.parse_args(argv)

    costs = cycle_cost([args.small, args.large], args.trials)
    (t_small, m_small), (t_large, m_large) = costs[args.small], costs[args.large]
    print("one cycle over the sample site (the same new pages), `newsmon run` as a process, best of "
          f"{args.trials}:")
    print(f"  {'articles already stored':<26} {'wall':>8} {'peak RSS':>10}")
    print(f"  {args.small:<26,} {t_small:7.1f}s {m_small:8.0f} MB")
    print(f"  {args.large:<26,} {t_large:7.1f}s {m_large:8.0f} MB")
    ratio_t, ratio_m = t_large / t_small, m_large / m_small
    print(f"  ratio {args.large:,} / {args.small:,}: time x{ratio_t:.2f}, memory x{ratio_m:.2f} (goal <= 1.2)")

    print(f"\n{args.hosts} hosts, per_host_delay_s {args.delay:g}: requests as a fraction of the politeness budget")
    parallel = politeness(8, args.delay, args.hosts)
    sequential = politeness(1, args.delay, args.hosts)
    for name, (fraction, requests, window) in (("fetch_workers = 8", parallel), ("sequential (1)", sequential)):
        print(f"  {name:<20} {fraction:5.2f}  ({requests} requests in {window:.1f} s)")
    print(f"  parallel / sequential: x{parallel[0] / sequential[0]:.1f} (goal: parallel >= 0.9)")
    ok = ratio_t <= 1.2 and ratio_m <= 1.2 and parallel[0] >= 0.9
    print("\nall goals met" if ok else "\nsome goals missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
