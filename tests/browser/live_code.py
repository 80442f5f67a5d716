"""A Jupyter server on 127.0.0.1 for the pages' Live Code (Thebe), and the steps a reader takes
to run a chapter's cells against it, each bounded in time."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from browser.servers import free_port, stop

JUPYTER_SERVER = Path(sys.executable).with_name("jupyter-server")

# Run in the page before Live Code is clicked: once thebe's script has loaded (its load event,
# captured on the way down, before sphinx-thebe starts thebe), every thebe error and status, and any
# promise the page leaves rejected, is kept where the test can read it, so that a failure is seen at
# once rather than at a time-out.
WATCH_THEBE = """
window.liveCode = {errors: [], statuses: []};
window.addEventListener('unhandledrejection', (event) => liveCode.errors.push(`unhandled: ${event.reason}`));
document.addEventListener('load', () => {
    if (!window.thebe || !window.thebe.on || window.liveCode.watching) return;
    window.liveCode.watching = true;
    // A cell's stderr comes as a 'warning'; anything else (a server, session or execution error) counts.
    thebe.on('error', (_, data) => data.status !== 'warning' && liveCode.errors.push(`${data.status}: ${data.message}`));
    thebe.on('status', (_, data) => liveCode.statuses.push(`${data.subject} ${data.status}: ${data.message}`));
}, true);
"""

# sphinx-thebe's configuration asks Binder for a kernel; Thebe is to ask this server instead.
# Everything else the page says (the kernel's name, the chapter's folder) is kept.
POINT_AT_SERVER = """([base, token]) => {
    const config = document.querySelector('script[type="text/x-thebe-config"]');
    const binder = /binderOptions:\\s*\\{[^}]*\\},?/;
    if (!config || !binder.test(config.textContent)) return false;
    const server = {baseUrl: base, wsUrl: base.replace(/^http/, 'ws'), token: token};
    config.textContent = config.textContent.replace(
        binder, `useBinder: false, serverSettings: ${JSON.stringify(server)},`);
    return true;
}"""


def _answers(base: str, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as response:
            return response.status == 200 and "started" in json.loads(response.read())
    except (OSError, ValueError, urllib.error.URLError):
        return False


@dataclass
class Server:
    base: str
    token: str
    log: Path
    process: subprocess.Popen


@contextlib.contextmanager
def jupyter_server(root: Path, origin: str, *, start_timeout: float = 60):
    """A Jupyter server on a free port of 127.0.0.1 serving `root`, that lets pages from `origin`
    use it with a fresh token. Stopped, with its kernels, when the block ends."""
    token = secrets.token_hex(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="live-code-") as tmp:
        tmp = Path(tmp)
        # Its own settings and runtime files, none of the user's.
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            JUPYTER_PLATFORM_DIRS="1",
        )
        log_path = tmp / "server.log"
        command = [
            str(JUPYTER_SERVER),
            f"--ServerApp.root_dir={root}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.allow_origin={origin}",
            # The page is on another origin and sends the token, not Jupyter's XSRF cookie.
            "--ServerApp.disable_check_xsrf=True",
            # CI runs as root.
            "--ServerApp.allow_root=True",
        ]
        with open(log_path, "w", encoding="utf-8") as log:
            process = subprocess.Popen(
                command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        try:
            deadline = time.monotonic() + start_timeout
            while not _answers(base, token):
                if process.poll() is not None:
                    raise RuntimeError(f"jupyter-server exited ({process.returncode}):\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter-server did not answer in {start_timeout}s:\n{log_path.read_text()}")
                time.sleep(0.25)
            yield Server(base, token, log_path, process)
        finally:
            stop(process)


def wait_for(page, expression: str, what: str, timeout: float, arg=None):
    """Wait for `expression` (a JS function) to return something true, or for a thebe error;
    fail with what went wrong, never hang past `timeout` seconds."""
    condition = f"(arg) => ({expression})(arg) || liveCode.errors.length > 0"
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout * 1000, polling=250)
    except Exception as error:  # Playwright's TimeoutError, or the expression's own error
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AssertionError(f"{what}: not within {timeout}s ({reason}).\n{report(page)}") from None
    errors = page.evaluate("liveCode.errors")
    assert not errors, f"{what}: Thebe reported errors.\n{report(page)}"
    return page.evaluate(expression, arg)


def report(page) -> str:
    state = page.evaluate("() => window.liveCode || {}")
    button = page.evaluate("() => (document.querySelector('.thebe-launch-button') || {}).innerText || ''")
    return (
        f"errors: {state.get('errors')}\nstatuses: {state.get('statuses', [])[-15:]}\n"
        f"launch button: {button.strip()!r}"
    )
