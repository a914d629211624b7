"""Storage benchmark: the raw store and whole cycles with data_dir on the local disk and on an S3 server,
side by side in one run.

Usage: python bench/storage.py [--bodies N] [--kb K] [--cycles N]

The S3 server is moto in server mode, started as a process on 127.0.0.1 (as in the tests): it measures
what the object-store path costs in requests and copies, not a real S3 region's latency, which adds
tens of milliseconds per request. Raw store: N distinct bodies of about K KB of news-like HTML, put then
read back (bodies per second and MB per second of uncompressed bytes). Cycle: `run_cycle` on the bundled
sample site, the first cycle (everything fetched) and then N more (revisits), each with a fresh warehouse
and data_dir per medium; the per-host delay is 0 so storage, not politeness, is what differs. The S3
requests of each cycle are counted by name (the calls s3fs makes in this process).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bodies(n: int, kb: int, seed: int = 5) -> list[bytes]:
    """n distinct HTML bodies of about kb KB from the sample site's texts (compressible, like news)."""
    from sample_site.site import load_articles

    words = " ".join(p for a in load_articles() for p in a["body"]).split()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(words) for _ in range(kb * 1024 // 6))
        out.append(f"<html><body><h1>page {i}</h1><p>{text}</p></body></html>".encode())
    return out


def raw_store(data_dir: str, items: list[bytes]) -> tuple[float, float]:
    """Seconds to put every body, and to get every body back (checked)."""
    from extract.rawstore import RawStore

    store = RawStore(data_dir)
    started = time.perf_counter()
    hashes = [store.put(b) for b in items]
    put_s = time.perf_counter() - started
    started = time.perf_counter()
    for sha, body in zip(hashes, items, strict=True):
        assert store.get(sha) == body
    return put_s, time.perf_counter() - started


class S3Calls:
    """Counts the S3 API calls s3fs makes in this process while active, by name (get_object, ...)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __enter__(self) -> S3Calls:
        import s3fs.core

        self._original = original = s3fs.core.S3FileSystem._call_s3
        calls = self.calls

        async def counted(fs: object, method: str, *args: object, **kwargs: object) -> object:
            calls[method] += 1
            return await original(fs, method, *args, **kwargs)

        s3fs.core.S3FileSystem._call_s3 = counted
        return self

    def __exit__(self, *exc: object) -> None:
        import s3fs.core

        s3fs.core.S3FileSystem._call_s3 = self._original


def cycles(data_dir: str, workdir: Path, site_url: str, n: int,
           requests: list[Counter[str]] | None = None) -> list[float]:
    """Seconds of each of 1 + n cycles on the sample site with this data_dir and a fresh warehouse; the S3
    calls of each cycle (made in this process) are appended to `requests` when given."""
    from core.config import Settings
    from newsmon.pipeline import run_cycle

    settings = Settings(seeds=[site_url], db=workdir / "newsmon.duckdb", data_dir=data_dir,
                        allow_private_networks=["127.0.0.1/32"], per_host_delay_s=0.0, revisit_after_s=[0.0],
                        backoff_s=0.05, max_retry_after_s=1.0)
    took = []
    for _ in range(1 + n):
        with S3Calls() as counted:
            started = time.perf_counter()
            run_cycle(settings)
            took.append(time.perf_counter() - started)
        if requests is not None:
            requests.append(counted.calls)
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bodies", type=int, default=300, help="raw bodies put and read back")
    parser.add_argument("--kb", type=int, default=60, help="size of each body in KB (uncompressed)")
    parser.add_argument("--cycles", type=int, default=2, help="revisit cycles after the first")
    args = parser.parse_args(argv)
    from sample_site import SampleSite
    from tests.s3server import S3Server

    items = bodies(args.bodies, args.kb)
    mb = sum(map(len, items)) / 1e6
    with S3Server() as s3, SampleSite() as site, tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        os.environ.update(s3.env)  # as a worker would have them
        media = {"local disk": str(Path(tmp) / "local-data"), "S3 (moto server)": f"s3://{s3.bucket()}/newsmon"}
        raw = {name: raw_store(url, items) for name, url in media.items()}
        # a throwaway cycle first: imports, the model and first-use costs land in neither medium's figures
        cycles(str(Path(tmp) / "warm-up-data"), Path(tmp) / "warm-up", site.url("/news/xi-putin-call"), 0)
        requests: list[Counter[str]] = []
        s3_cycles = {name: cycles(url, Path(tmp) / f"wh-{n}", site.url("/news/xi-putin-call"), args.cycles,
                                  requests if url.startswith("s3://") else None)
                     for n, (name, url) in enumerate(media.items())}
    print(f"raw store: {args.bodies} bodies of about {args.kb} KB ({mb:.1f} MB uncompressed)")
    print(f"{'medium':<18}{'put bodies/s':>14}{'put MB/s':>10}{'get bodies/s':>14}{'get MB/s':>10}")
    for name, (put_s, get_s) in raw.items():
        print(f"{name:<18}{args.bodies / put_s:>14.0f}{mb / put_s:>10.1f}{args.bodies / get_s:>14.0f}"
              f"{mb / get_s:>10.1f}")
    (lp, lg), (sp, sg) = raw.values()
    print(f"S3/local: put x{lp / sp:.2f}, get x{lg / sg:.2f} of the local throughput")
    print(f"\nwhole cycles on the sample site (first cycle, then {args.cycles} revisit cycles), seconds:")
    print(f"{'medium':<18}{'first':>8}{'revisit (mean)':>16}")
    for name, took in s3_cycles.items():
        rest = took[1:] or [float("nan")]
        print(f"{name:<18}{took[0]:>8.2f}{sum(rest) / len(rest):>16.2f}")
    (local, remote) = s3_cycles.values()
    print(f"S3/local: first cycle x{remote[0] / local[0]:.2f} the time, revisits "
          f"x{(sum(remote[1:]) / max(1, len(remote) - 1)) / (sum(local[1:]) / max(1, len(local) - 1)):.2f}")
    for label, counts in (("first cycle", requests[:1]), ("revisit cycle (mean)", requests[1:])):
        if counts:
            total = sum((c for c in counts), Counter())
            kinds = ", ".join(f"{k} {v / len(counts):.0f}" for k, v in total.most_common())
            print(f"S3 requests per {label}: {total.total() / len(counts):.0f} ({kinds})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
