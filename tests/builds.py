"""The book's full builds for the tests, each made once per session and started in the background.

A build keeps about one core busy for a minute or more (Sphinx and the chapters' kernels take
turns), and the machines that run these tests have two or more. So the session starts, at its first
test, every build that some selected test needs, two at a time in threads of their own; a test that
needs a build waits only for what is left of it, and meanwhile the unit tests and the other builds
run beside it. A session that selects no such test starts none.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from browser.book import ROOT, build_html, offline_prefix

#: Each build a test can ask for, by the fixture that hands it over (tests/conftest.py), in the
#: order they start: the book first, since most tests wait for it.
FIXTURES = {"book_html": "book", "rebuilt": "rebuild", "book_pdf": "pdf", "student_build": "student"}
#: How many builds run at once. Each keeps about one core busy; the tests themselves take another.
AT_ONCE = 2


def have_tex() -> bool:
    return all(shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext"))


class Builds:
    """The session's builds: started by name, each at most once, and waited for by name."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._pool = ThreadPoolExecutor(max_workers=AT_ONCE, thread_name_prefix="build")
        self._started: dict[str, Future] = {}
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen] = set()

    def start(self, name: str) -> Future:
        """Start build `name` ('book', 'rebuild', 'pdf' or 'student') unless it is already under way."""
        if name == "pdf":
            self.start("book")  # before the PDF's thread waits for it, so that it is never queued behind
        with self._lock:
            if name not in self._started:
                job = getattr(self, f"_{name}")
                # The folder is made here, in the session's thread, not in the build's.
                folder = None if name == "pdf" else self._tmp.mktemp(name)
                self._started[name] = self._pool.submit(job, folder)
            return self._started[name]

    def wait(self, name: str):
        """What build `name` made, once it is done; its failure is raised here, in the test."""
        return self.start(name).result()

    def stop(self) -> None:
        """Stop whatever is still running (an interrupted session) with its kernels and LaTeX runs."""
        for future in self._started.values():
            future.cancel()
        for process in list(self._processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self._pool.shutdown(wait=True)

    # ---------------------------------------------------------------------------------- the builds

    def _run(self, command: list[str], cwd: Path = ROOT, env: dict | None = None,
             timeout: int = 1500) -> subprocess.CompletedProcess:
        """subprocess.run, in a process group of its own that stop() (or a timeout) ends whole."""
        with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, start_new_session=True) as process:
            self._processes.add(process)
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                raise
            finally:
                self._processes.discard(process)
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)

    def _make(self, target: str, out: Path, env: dict | None = None) -> None:
        command = ["make", "--no-print-directory", target, f"OUTDIR={out}", f"VENV={Path(sys.prefix)}"]
        done = self._run(command, env=env)
        if done.returncode != 0:
            raise AssertionError(f"make {target} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")

    def _book(self, folder: Path) -> Path:
        """The HTML book as `make book` builds it, every chapter run afresh; PANSEC_BOOK_HTML names
        an already built folder of HTML pages to use instead."""
        given = os.environ.get("PANSEC_BOOK_HTML")
        return Path(given) if given else build_html(folder, run=self._run)

    def _rebuild(self, folder: Path) -> tuple[Path, bool]:
        """A second clean build, with the network cut off where this machine allows it."""
        offline = offline_prefix() is not None
        return build_html(folder, offline=offline, run=self._run), offline

    def _pdf(self, _folder: None) -> Path:
        """`make pdf` into the HTML book's folder, as `make book` does: no chapter runs again."""
        out = self.wait("book").parents[1]
        self._make("pdf", out)
        return out / "_build" / "latex" / "book.pdf"

    def _student(self, folder: Path) -> Path:
        """`make student`; PANSEC_STUDENT_BUILD names an already built `_build/student/_build`."""
        given = os.environ.get("PANSEC_STUDENT_BUILD")
        if given:
            return Path(given)
        self._make("student", folder)
        return folder / "_build" / "student" / "_build"
