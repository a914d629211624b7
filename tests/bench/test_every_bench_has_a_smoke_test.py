"""Every script in bench/ (a file with a `__main__` block) has a smoke test here that runs it at a small size,
so a schema or API change that breaks a benchmark fails `make test` rather than the next person to run it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_bench_script_has_a_smoke_test_that_runs_it():
    scripts = sorted(p.stem for p in (ROOT / "bench").glob("*.py")
                     if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8"))
    assert len(scripts) >= 10, scripts
    missing = []
    for name in scripts:
        test = ROOT / "tests" / "bench" / f"test_{name}_bench.py"
        text = test.read_text(encoding="utf-8") if test.exists() else ""
        runs_main = f"from bench.{name} import" in text and "main(" in text
        runs_script = f"bench/{name}.py" in text  # as a process (the dashboard bench starts a server)
        if not (runs_main or runs_script):
            missing.append(name)
    assert not missing, f"bench scripts without a smoke test calling main(): {missing}"
