"""`airflow scheduler`, started warm, for `newsmon airflow`: `python -m newsmon.local_scheduler [ARGS]`.

The LocalExecutor forks its workers from the scheduler process and Airflow forks each task from a worker,
so what the scheduler has loaded before it starts (newsmon.warm: the task modules, spaCy, the gazetteer)
every task process starts with. A failed preload is printed and the scheduler starts all the same."""

from __future__ import annotations

import sys

from newsmon import warm


def main(argv: list[str] | None = None) -> None:
    print(warm.start("scheduler")[1], file=sys.stderr, flush=True)
    from airflow.__main__ import main as airflow_main

    sys.argv = ["airflow", "scheduler", *(sys.argv[1:] if argv is None else argv)]
    airflow_main()


if __name__ == "__main__":
    main()
