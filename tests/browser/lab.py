"""A student's JupyterLab: the project's own jupyter-lab, served on 127.0.0.1 from a throw-away copy
of the working tree, driven by Debian's Chromium; and a kernel-side reading of what each chapter's
{eval} expressions should show, to compare the rendered notebook against.

Nothing here writes into the working tree: the server's root is a copy, and its settings,
workspaces, runtime files and notebook signatures live in a temporary folder too."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from book_toc import toc_entries
from browser.harness import block_outside
from browser.servers import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
JUPYTER_LAB = BIN / "jupyter-lab"
# What the server's root needs for a chapter to run as it does in the repository. pansec itself is
# not copied: it is installed editable from ROOT and reads its data relative to its own folder, so
# the kernel imports the real one whatever the copy holds.
COPIED = ["book", "data", "_config.yml", "_toc.yml", "pyproject.toml"]
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build")
# Settings a fresh student account would not have but the test needs: every cell attached to the
# DOM (JupyterLab's default windowing leaves off-screen cells unrendered), and no toasts over the
# page. No news and no update check are the environment's own defaults (postBuild), which
# tests/browser/test_make_lab.py holds to.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"doNotDisturbMode": True},
}
# The role text left in the prose when MyST was not applied to a cell.
RAW_ROLES = ("{eval}", "{glue")
STDERR = "application/vnd.jupyter.stderr"


def notebook_chapters(root: Path = ROOT) -> list[str]:
    """The table of contents' entries that are notebooks, as paths without their suffix."""
    return [entry for entry in toc_entries(root) if (root / f"{entry}.ipynb").is_file()]


def copy_tree(destination: Path, root: Path = ROOT) -> Path:
    """Copy what a chapter needs from `root` into `destination`; return `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORED)
        elif source.is_file():
            shutil.copy2(source, destination / name)
    return destination


@dataclass
class Lab:
    """A running JupyterLab server."""

    base: str
    token: str
    root_dir: Path
    log: Path
    process: subprocess.Popen = field(repr=False)

    def url(self, path: str) -> str:
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"

    def api(self, path: str = "api"):
        with urllib.request.urlopen(self.url(path), timeout=5) as response:
            return json.load(response)

    def wait_until_answering(self, timeout: float) -> None:
        """Wait for the server's API to answer; fail with its log if it exits or stays silent."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                self.api("api")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer in {timeout:.0f} s:\n{self.log_tail()}")
                time.sleep(0.5)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


@contextlib.contextmanager
def jupyter_lab(root_dir: Path, state_dir: Path, *, startup_timeout: float = 90.0, env: dict | None = None):
    """Run the venv's jupyter-lab on a free port of 127.0.0.1 over `root_dir`, with its settings,
    workspaces and runtime files under `state_dir`; yield a Lab, and stop the server afterwards.
    `env` adds to the server's environment, which its kernels inherit (PANSEC_DATA, say)."""
    root_dir, state_dir = Path(root_dir).resolve(), Path(state_dir).resolve()
    if root_dir == ROOT or ROOT in root_dir.parents:
        raise ValueError(f"the server's root must be a copy outside {ROOT}, not {root_dir}")
    if not JUPYTER_LAB.exists():
        raise FileNotFoundError(f"no jupyter-lab next to {sys.executable}")
    settings = state_dir / "user-settings"
    for plugin, values in USER_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")
    extra = dict(env or {})
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
        JUPYTER_CONFIG_DIR=str(state_dir / "config"),
        JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"),
        # Notebook signatures (trust) go to the data folder: keep the student's own untouched.
        JUPYTER_DATA_DIR=str(state_dir / "data"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.pop("JUPYTER_PATH", None)
    env.update(extra)
    port, token = free_port(), secrets.token_urlsafe(16)
    command = [
        str(JUPYTER_LAB),
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = state_dir / "lab.log"
    with log.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command, cwd=root_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    lab = Lab(f"http://127.0.0.1:{port}/", token, root_dir, log, process)
    try:
        lab.wait_until_answering(startup_timeout)
        yield lab
    finally:
        stop(process)


# --- in the browser ------------------------------------------------------------------------------

# Wait for the notebook to be open, its kernel started and idle. Resolves to the kernel's name.
_OPENED = """async (path) => {
    const app = window.jupyterapp;
    await app.started; await app.restored;
    const deadline = Date.now() + 60000;
    let panel;
    while (Date.now() < deadline) {
        panel = app.shell.currentWidget;
        if (panel && panel.context && panel.context.path === path && panel.sessionContext) break;
        panel = undefined;
        await new Promise(r => setTimeout(r, 200));
    }
    if (!panel) throw new Error('the notebook did not open: ' + path);
    await panel.context.ready;
    await panel.sessionContext.ready;
    while (Date.now() < deadline) {
        const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
        if (kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle') {
            await kernel.info;
            return kernel.name;
        }
        await new Promise(r => setTimeout(r, 200));
    }
    throw new Error('the kernel never became idle');
}"""

# Forget results a committed notebook may carry, so that what we read afterwards comes from this run.
_FORGET = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    for (const cell of panel.content.widgets) {
        if (cell.model.type === 'markdown' && cell.model.getMetadata('user_expressions') !== undefined) {
            cell.model.deleteMetadata('user_expressions');
        }
    }
}"""

# The command resolves once every code cell has run (or the first one failed and the rest were
# skipped); jupyterlab-myst's requests for the markdown cells' inline values may still be queued.
_RUN_ALL = """async () => {
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""

# The state Run All is judged settled by: the kernel's status, the cells still queued or running, and
# which markdown cells jupyterlab-myst has stored inline results for (it does so once the kernel
# answers the cell's user_expressions request, then renders the cell again).
_STATE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const busy = panel.content.widgets.filter(c => c.model.type === 'code' && c.promptNode
                                              && c.promptNode.textContent.includes('*')).length;
    const evaluated = panel.content.widgets.map((c, i) =>
        c.model.type === 'markdown' && c.model.getMetadata('user_expressions') !== undefined ? i : -1)
        .filter(i => i >= 0);
    return {kernel: kernel ? kernel.status : 'none', busy, evaluated};
}"""


# What the student sees, cell by cell.
_CELLS = r"""async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = [];
    for (const [index, cell] of panel.content.widgets.entries()) {
        const model = cell.model;
        const info = {index, type: model.type, source: model.sharedModel.getSource(),
                      attached: cell.isAttached, text: '', outputs: [], images: [], stderr: [],
                      unknownDirectives: [], errorSpans: [], rendered: true};
        if (model.type === 'markdown') {
            info.rendered = cell.rendered;
            // jupyterlab-myst renders a markdown cell into a widget of class "myst" (JupyterLab's own
            // renderer into .jp-RenderedMarkdown); never read the (hidden) editor's text.
            const node = cell.node.querySelector('.jp-Cell-inputWrapper .myst, .jp-Cell-inputWrapper .jp-RenderedMarkdown');
            info.myst = !!(node && node.classList.contains('myst'));
            // Open every dropdown (a solution, say) as a student would: a closed one has no
            // rendered text to read.
            if (node) node.querySelectorAll('details:not([open])').forEach(d => { d.open = true; });
            info.text = node ? node.innerText : '';
            // An unknown directive becomes a red box titled "<code>name</code> - Unknown Directive":
            // take the innermost element holding that title.
            const unknownBox = /Unknown (Directive|Role)/;
            info.unknownDirectives = node ? [...node.querySelectorAll('*')]
                .filter(e => unknownBox.test(e.textContent) && ![...e.children].some(d => unknownBox.test(d.textContent)))
                .map(e => e.textContent.trim()) : [];
            info.errorSpans = node ? [...node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
                .map(e => e.innerText) : [];
            info.userExpressions = model.getMetadata('user_expressions') || null;
            // What the MyST parse left unprocessed (roles and directives it does not know), and the
            // references it could not resolve (JupyterLab has no bibliography and no other pages).
            const unknown = [], citations = [], crossrefs = [];
            const walk = (n) => {
                if (!n || typeof n !== 'object') return;
                if (n.type === 'mystRole') unknown.push('{' + n.name + '}');
                if (n.type === 'mystDirective') unknown.push('{' + n.name + '} directive');
                if (n.type === 'cite' && n.error) citations.push(n.label);
                if (n.type === 'crossReference' && !n.resolved) crossrefs.push(n.label || n.identifier);
                (n.children || []).forEach(walk);
            };
            const mdast = cell.mystModel && cell.mystModel.mdast;
            walk(mdast);
            info.unknownSyntax = unknown;
            info.unresolvedCitations = citations;
            info.crossReferences = crossrefs;
        } else if (model.type === 'code') {
            info.outputs = model.outputs.toJSON().map(o => ({output_type: o.output_type, name: o.name || null,
                ename: o.ename || null, evalue: o.evalue || null,
                mimetypes: o.data ? Object.keys(o.data) : [],
                text: typeof o.text === 'string' ? o.text : (Array.isArray(o.text) ? o.text.join('') : null)}));
            const area = cell.node.querySelector('.jp-OutputArea');
            if (area) {
                const images = [...area.querySelectorAll('.jp-OutputArea-output img')];
                await Promise.all(images.map(img => img.decode().catch(() => null)));
                info.images = images.map(img => ({width: img.naturalWidth, height: img.naturalHeight,
                                                  complete: img.complete, alt: img.alt || ''}));
                info.stderr = [...area.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                    .map(e => e.innerText);
            }
            info.executionCount = model.executionCount;
        }
        cells.push(info);
    }
    return cells;
}"""

_SHUTDOWN = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (panel && panel.sessionContext) await panel.sessionContext.shutdown();
}"""


@dataclass
class LabRun:
    """What a student saw after opening a chapter in JupyterLab and choosing Run All."""

    path: str
    kernel: str
    seconds: float
    settled: bool
    cells: list[dict]
    console_errors: list[str]
    refused: list[str]
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent opening, running, reading


def _settle(page, *, deadline: float, quiet: float = 1.5) -> bool:
    """Wait until the kernel is idle, no cell is queued or running, and nothing has changed for
    `quiet` seconds (the inline results of the last markdown cells arrive after the last code
    cell's); False if that never happens before `deadline`."""
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(_STATE)
        now = time.monotonic()
        if state != last:
            last, since = state, now
        elif state["kernel"] == "idle" and not state["busy"] and now - since >= quiet:
            return True
        time.sleep(0.25)
    return False


def run_all(browser, lab: Lab, path: str, *, timeout: float = 120.0, screenshot: Path | None = None) -> LabRun:
    """Open `path` (relative to the server's root) in a fresh browser context, Run All, wait for the
    kernel and the inline expressions, and read every cell back."""
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    refused = block_outside(context)
    console_errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        workspace = f"test-{int(time.time() * 1000)}"
        phases: dict[str, float] = {}

        def lap(name: str, since=[started]) -> None:  # noqa: B006 - a running clock
            now = time.monotonic()
            phases[name] = round(now - since[0], 2)
            since[0] = now

        page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{path}?reset"), wait_until="domcontentloaded")
        page.wait_for_function("window.jupyterapp !== undefined", timeout=60000)
        lap("load")
        kernel = page.evaluate(_OPENED, path)
        lap("open")
        page.evaluate(_FORGET)
        page.evaluate(_RUN_ALL)
        lap("run")
        settled = _settle(page, deadline=started + timeout)
        lap("settle")
        # jupyterlab-myst renders asynchronously after storing the results: give React a moment.
        page.wait_for_timeout(500)
        cells = page.evaluate(_CELLS)
        lap("read")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(screenshot), full_page=True)
        with contextlib.suppress(Exception):
            page.evaluate(_SHUTDOWN)
        return LabRun(path, kernel, time.monotonic() - started, settled, cells, console_errors, refused, phases)
    finally:
        context.close()


# --- in a kernel of our own ----------------------------------------------------------------------

_EVAL = re.compile(r"\{eval\}`([^`]+)`")
_QUOTED = re.compile(r"""^(["'])(.*)\1$""")


def eval_expressions(markdown: str) -> list[str]:
    """The {eval} expressions of a markdown cell, in order."""
    return [match.strip() for match in _EVAL.findall(markdown)]


def shown_as(result: dict) -> str | None:
    """The text jupyterlab-myst shows for a user expression's result, or None where it hands the
    result to a richer renderer (HTML, LaTeX, ...) whose text cannot be predicted as simply.
    Mirrors jupyterlab-myst 2.7: plain text, with one pair of surrounding quotes removed."""
    if result.get("status") != "ok":
        return None
    data = result.get("data") or {}
    if set(data) != {"text/plain"}:
        return None
    return _QUOTED.sub(r"\2", data["text/plain"])


@dataclass
class Expected:
    """What each markdown cell's {eval} expressions evaluate to, run in order in a fresh kernel."""

    values: dict[int, list[tuple[str, str]]]  # cell index -> (expression, text shown)
    unpredictable: list[tuple[int, str]]  # rich results we do not compare
    failures: list[str]  # code cells or expressions that failed in our own kernel
    figures: dict[int, str] = field(default_factory=dict)  # code cell index -> mystnb.figure.name


def expected_values(notebook_path: Path, *, timeout: float = 60.0) -> Expected:
    """Run the chapter in a kernel of the test's own Python as the book does (tests/chapter_run.py),
    and turn each {eval} answer into the text jupyterlab-myst shows for it."""
    import nbformat
    from chapter_run import run_chapter

    notebook = nbformat.read(notebook_path, as_version=4)
    figures = {
        index: name
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        and (name := ((cell.metadata.get("mystnb") or {}).get("figure") or {}).get("name"))
    }
    run = run_chapter(notebook_path, timeout=int(timeout))
    failures = [
        f"cell {index} fails in a plain kernel: {output['ename']}: {output['evalue']}"
        for index, outputs in run.outputs.items()
        for output in outputs
        if output["output_type"] == "error"
    ]
    values: dict[int, list[tuple[str, str]]] = {}
    unpredictable: list[tuple[int, str]] = []
    for index, answers in run.values.items():
        shown = []
        for expression, result in answers:
            if result.get("status") != "ok":
                failures.append(f"cell {index}: {{eval}}`{expression}` fails: {result.get('ename')}: {result.get('evalue')}")
            elif (text := shown_as(result)) is None:
                unpredictable.append((index, expression))
            else:
                shown.append((expression, text))
        values[index] = shown
    return Expected(values, unpredictable, failures, figures)


def squash(text: str) -> str:
    """Whitespace as a reader perceives it: any run of it is one space."""
    return " ".join(text.split())
