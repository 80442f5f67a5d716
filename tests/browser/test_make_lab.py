"""`make lab` as a student starts it, in a real JupyterLab and Chromium: the server the Makefile
starts opens the first chapter, and the Lab asks nothing of the network on the way. Without the
environment's defaults (postBuild, which `make setup` runs as Binder does) JupyterLab greets a new
student with a question about fetching Jupyter's news and checks for a newer JupyterLab."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import lab as harness
from browser.harness import block_outside
from browser.servers import free_port, stop

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.lab, pytest.mark.timeout(300)]

ROOT = harness.ROOT
ARTEFACTS = ROOT / "tests" / "artefacts" / "lab"
VENV = Path(sys.executable).parent.parent
NEWS_QUESTION = "official Jupyter news"
# What the Lab's page asks its own server when news or updates are on.
ASKS_THE_NETWORK = ("/lab/api/news", "/lab/api/update")


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory):
    """`make lab` in a throw-away copy of the tree (its server writes checkpoints and trust where it
    runs), with this environment, a known token and a free port; no browser of its own."""
    tree = harness.copy_tree(tmp_path_factory.mktemp("make-lab-tree"))
    for name in ("Makefile", "runtime.txt", "requirements.txt", "postBuild"):
        shutil.copy2(ROOT / name, tree / name)
    state = tmp_path_factory.mktemp("make-lab-state")
    # The one setting of the test's own: the page exposes the app, so that the test can ask it what it opened.
    (state / "config").mkdir()
    (state / "config" / "jupyter_lab_config.json").write_text('{"LabApp": {"expose_app_in_browser": true}}')
    port, token = free_port(), secrets.token_urlsafe(16)
    env = dict(
        os.environ,
        JUPYTER_TOKEN=token,
        BROWSER="true",  # the server opens the chapter with `true`, not with a browser of the machine's
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "user-settings"),  # a student who has never opened Lab
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
    )
    env.pop("JUPYTER_PATH", None)
    log = state / "make-lab.log"
    with log.open("w", encoding="utf-8") as out:
        # This environment, as it is: -o keeps make from installing into it again from the copy.
        process = subprocess.Popen(["make", "--no-print-directory", "-o", str(VENV / ".pansec-installed"), "lab",
                                    f"LAB_PORT={port}", f"VENV={VENV}"],
                                   cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    lab = harness.Lab(f"http://127.0.0.1:{port}/", token, tree, log, process)
    try:
        lab.wait_until_answering(120)
        yield lab
    finally:
        stop(process)


def test_make_lab_opens_the_first_chapter_without_asking_about_news_or_updates(make_lab, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    refused = block_outside(context)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    try:
        page.goto(make_lab.url("lab/tree/book/introduction.ipynb"), wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        opened = page.evaluate("""async () => {
            const app = window.jupyterapp;
            await app.started; await app.restored;
            const deadline = Date.now() + 30000;
            while (Date.now() < deadline && !(app.shell.currentWidget && app.shell.currentWidget.context)) {
                await new Promise(r => setTimeout(r, 200));
            }
            const widget = app.shell.currentWidget;
            return {path: widget && widget.context ? widget.context.path : null};
        }""")
        # The question comes as soon as the Lab is restored; give it time to show, as a student would.
        page.wait_for_timeout(3000)
        shown = page.locator("body").inner_text()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "make-lab.png"))
    finally:
        context.close()
    assert opened["path"] == "book/introduction.ipynb", make_lab.log_tail()
    assert NEWS_QUESTION not in shown
    assert not [url for url in asked if url.split("?")[0].endswith(ASKS_THE_NETWORK)]
    assert not refused, f"the Lab asked for pages outside 127.0.0.1: {refused}"

