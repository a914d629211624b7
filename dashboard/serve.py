"""How the dashboard is served: the Streamlit command `newsmon dashboard`, the tests and the benchmark run."""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
PRIMARY = "#4e79a7"  # the first series colour (dashboard.data.PALETTE), for buttons and chips


LOCAL = ("127.0.0.1", "localhost", "::1")


def server_command(address: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """`streamlit run` on the app, headless, no usage statistics, the viewer's toolbar (no Deploy button).
    Served beyond this machine, an unexpected error shows viewers its type only (paths and tracebacks go
    to the server's log)."""
    details = "full" if address in LOCAL else "type"
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", address,
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "viewer", "--theme.primaryColor", PRIMARY, "--server.runOnSave", "false",
            "--client.showErrorDetails", details]
