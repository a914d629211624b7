"""Progress of an ingestion cycle: a live rich display on a terminal, plain log lines otherwise."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class CycleProgress:
    """Shows the current stage and the URL being worked on."""

    def __init__(self, console: Console):
        self.console = console
        self.live = console.is_terminal
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                  console=console, transient=True, disable=not self.live)
        self._task = self._progress.add_task("starting", total=None)
        self.current = ""  # the stage under way, for a failure's message

    def __enter__(self) -> CycleProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._progress.__exit__(*exc)

    def stage(self, name: str, total: int) -> None:
        self.current = name
        text = f"[bold]{name}[/bold]" + (f" ({total} batches)" if total else "")
        if self.live:
            self._progress.update(self._task, description=text)
        else:
            self.console.print(f"stage {name}" + (f" ({total} batches)" if total else ""), highlight=False)

    def message(self, text: str) -> None:
        if self.live:
            self._progress.update(self._task, description=text[:100])
