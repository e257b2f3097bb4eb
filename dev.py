#!/usr/bin/env python3
"""Set-up and everyday commands for Gendan on a machine that has only Python 3.11+.

    python3 dev.py demo [--port 8000]   install everything, then start Gendan on the demo factory
    python3 dev.py test [pytest args]   install everything, then run the whole test suite
    python3 dev.py lint                 ruff, the import contracts and the type check

uv is used when it is on PATH; otherwise it is installed into .tools/ (a private virtualenv).
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"


def uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    local = TOOLS / ("Scripts/uv.exe" if os.name == "nt" else "bin/uv")
    if not local.exists():
        print("Installing uv into .tools/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(TOOLS)
        pip = TOOLS / ("Scripts/pip.exe" if os.name == "nt" else "bin/pip")
        subprocess.run([str(pip), "install", "--quiet", "uv"], check=True)
    return str(local)


def run(*args: str, env: dict | None = None) -> int:
    return subprocess.run(list(args), cwd=ROOT, env=env).returncode


def sync(uv_bin: str, dev: bool) -> None:
    cmd = [uv_bin, "sync", "--frozen", "--quiet"]
    if not dev:
        cmd += ["--no-dev", "--inexact"]  # keep test tools installed if they are there
    if run(*cmd) != 0:
        sys.exit("uv sync failed")
    # Compiled message catalogues (.mo) are built here, in Python, so no gettext tools are needed.
    if run(uv_bin, "run", "--no-sync", "gendan", "compile_catalogues") != 0:
        sys.exit("compiling the translations failed")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "sync", "lint"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    uv_bin = uv()
    if command == "demo":
        sync(uv_bin, dev=False)
        os.execv(uv_bin, [uv_bin, "run", "--no-sync", "gendan", "demo", *rest])
    if command == "sync":
        sync(uv_bin, dev=True)
        return
    if command == "lint":
        sync(uv_bin, dev=True)
        failed = run(uv_bin, "run", "--no-sync", "ruff", "check", ".")
        failed |= run(uv_bin, "run", "--no-sync", "ruff", "format", "--check", ".")
        # The shape of the code (pyproject.toml [tool.importlinter]): the engine is plain Python,
        # core imports no app, apps are layered, models/services/selectors know no pages or API.
        failed |= run(uv_bin, "run", "--no-sync", "lint-imports", "--no-cache")
        # Types of the engine and of every service (pyproject.toml [tool.mypy]).
        failed |= run(uv_bin, "run", "--no-sync", "mypy")
        sys.exit(1 if failed else 0)
    sync(uv_bin, dev=True)
    env = dict(os.environ)
    # One test process per core (pytest-xdist); `-n 0` runs them in this process.
    chosen = any(arg.startswith(("-n", "--numprocesses", "--dist")) or arg == "no:xdist" for arg in rest)
    if not chosen:
        rest = ["-n", "auto", "--dist", "loadgroup", *rest]  # a group (the demo checks) on one worker
    sys.exit(run(uv_bin, "run", "--no-sync", "pytest", *rest, env=env))


if __name__ == "__main__":
    main()
