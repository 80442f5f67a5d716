"""Build the book the way `make book` does, into a folder of our choosing, optionally with the
network cut off, so that tests look at exactly what a reader would get."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
# The same flags as the Makefile's HTML build: warnings are errors.
BUILD_FLAGS = ["-W", "-n", "--keep-going"]


def source_date_epoch(root: Path = ROOT) -> str:
    """The last commit's date, which the Makefile also hands to the build as SOURCE_DATE_EPOCH."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if given:
        return given
    done = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "0"


def build_env() -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    env.pop("PANSEC_BOOK_HTML", None)
    return env


def offline_prefix() -> list[str] | None:
    """A command prefix that runs its command in a new network namespace with only loopback up,
    or None where this machine does not allow one (not root, no unshare)."""
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    prefix = [unshare, "--net", "--", sys.executable, "-c", _LOOPBACK_UP]
    try:
        subprocess.run([*prefix, "true"], check=True, capture_output=True, timeout=30)
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired):
        return None
    return prefix


# Kernels talk to the build over 127.0.0.1, so loopback must be up in the new namespace;
# bring it up with one ioctl (no dependency on iproute2), then exec the real command.
_LOOPBACK_UP = r"""
import fcntl, os, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    flags = struct.unpack('16sH', fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack('16sH14x', b'lo', 0))[:18])[1]
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack('16sH14x', b'lo', flags | IFF_UP))
os.execvp(sys.argv[1], sys.argv[1:])
"""


def build_html(out: Path, *, run, offline: bool = False, root: Path = ROOT, timeout: int = 1200) -> Path:
    """Build the HTML book from `root` into `out` (every chapter runs afresh) and return the
    folder of HTML pages; the build's output is kept in `out`/build.log. With `offline`, the build
    runs with no network but loopback. `run` runs the command as subprocess.run would, capturing
    its output as text (tests/builds.py ends it with the session)."""
    command = [str(JUPYTER_BOOK), "build", str(root), "--path-output", str(out), *BUILD_FLAGS]
    if offline:
        prefix = offline_prefix()
        if prefix is None:
            raise RuntimeError("cannot make a network namespace here (needs root and unshare)")
        command = [*prefix, *command]
    done = run(command, cwd=root, env=build_env(), timeout=timeout)
    (out / "build.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise AssertionError(f"book build failed ({done.returncode}):\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}")
    return out / "_build" / "html"
