"""Where the book's time and bytes go, each figure beside its floor measured in the same run.

The floor is what the same work costs without this project's own code: a book with the same pages
whose notebooks only import pandas and matplotlib and whose inline expressions all evaluate 0 in
the kernel, and, for the data layer, pandas reading the same CSV files and matplotlib drawing one
scatter of the same number of points. Each chapter and its floor run several times, alternately,
and the fastest run of each counts (benchmarks/chapter_runs.py). Run with `make bench`
(or `.venv/bin/python benchmarks/bench.py`); it prints a Markdown table for README.md.

Everything is built from a copy of the book in a temporary folder, each copy importing its own
pansec and reading its own data/, so that nothing in the working tree is touched.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from chapter_runs import fastest_runs

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
# The Makefile's flags without -W: the floor book's cross-references to figures point at nothing,
# which -W would turn into errors. The real book is built with the same flags, so the two compare.
FLAGS = ["-n", "--keep-going"]
BOOK_FILES = ["_config.yml", "_toc.yml", "book", "data", "pansec"]
FLOOR_CELL = "import pandas as pd\nimport matplotlib.pyplot as plt"
PROSE_EDIT = " This sentence was added to time a rebuild after an edit to the prose alone."
SIZES = (100, 1_000, 10_000, 100_000)
RUNS = 3  # runs of each chapter and of its floor, of which the fastest counts
DATA_TIMEOUT = 120  # seconds for one size of the data layer; a slower stage is reported as such

TARGETS = {
    "clean": 2.0,  # clean build within 2x its floor
    "rebuild": 1.5,  # prose-only rebuild within 1.5x its floor
    "chapter": 1.0,  # seconds a chapter may take to execute beyond its floor
    "page": 1_000_000,  # bytes a page may transfer (HTML and its images)
    "events": 3.0,  # seconds for the data layer on 100,000 events
}

EVAL_ROLE = re.compile(r"\{eval\}`[^`]*`")
LANDING_FIGURE = re.compile(r'<div class="landing-figure"[^>]*></div>')


# ------------------------------------------------------------------------------------------ books


def copy_book(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in BOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, dest / name)
    # Compiled as `make setup` compiles the repository's (Makefile, setup), so that a copy's builds and
    # kernels do not compile pansec and the extensions from source where PYTHONDONTWRITEBYTECODE is set.
    for folder in (dest / "pansec", dest / "book" / "_ext"):
        if folder.is_dir():
            compileall.compile_dir(folder, quiet=1)
    return dest


def make_floor(dest: Path) -> Path:
    """The same pages, prose and citations, but every notebook's code is one import line."""
    copy_book(dest)
    for path in sorted((dest / "book").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cells, placed = [], False
        for cell in notebook.cells:
            if cell.cell_type == "code":
                if not placed:
                    cells.append(nbformat.v4.new_code_cell(f"# {path.stem}\n{FLOOR_CELL}"))
                    placed = True
                continue
            # Each inline expression stays a round trip to the kernel, evaluating 0: MyST-NB evaluates
            # every {eval} in the kernel, about 8 ms a message round trip here whatever the
            # expression (jupyter/jupyter_client#266), which is the machinery's cost, not the code's.
            cell.source = EVAL_ROLE.sub("{eval}`0`", cell.source)
            cells.append(cell)
        notebook.cells = cells
        nbformat.write(notebook, path)
    # The landing page shows a chapter's figure (book/_ext/landing_figure.py); the floor draws none.
    index = dest / "book" / "index.md"
    index.write_text(LANDING_FIGURE.sub("", index.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def chapters(book: Path) -> list[str]:
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]
    for part in toc.get("parts", [toc]):
        entries += [chapter["file"] for chapter in part.get("chapters", [])]
    return entries


def edit_prose(book: Path, entry: str) -> None:
    """Add a sentence to the first paragraph of prose of one chapter, code untouched."""
    path = next(p for p in (book / f"{entry}.ipynb", book / f"{entry}.md") if p.exists())
    if path.suffix == ".md":
        path.write_text(path.read_text(encoding="utf-8") + "\n" + PROSE_EDIT.strip() + "\n", encoding="utf-8")
        return
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown")
    cell.source += "\n\n" + PROSE_EDIT.strip()
    nbformat.write(notebook, path)


def build(book: Path, out: Path, builder: str = "html") -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(book), SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "0"))
    env.pop("PANSEC_DATA", None)
    command = [str(JUPYTER_BOOK), "build", str(book), "--path-output", str(out), "--builder", builder, *FLAGS]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{builder} build of {book} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return elapsed, done.stdout


def page_bytes(html: Path, entry: str) -> tuple[int, int]:
    """Bytes of one page: its HTML, and the images it shows (each counted once)."""
    page = html / f"{entry}.html"
    text = page.read_text(encoding="utf-8")
    images = set()
    for src in re.findall(r"<img\b[^>]*\bsrc=\"([^\"]+)\"", text):
        if "://" not in src and not src.startswith("data:"):
            images.add((page.parent / src.split("?")[0]).resolve())
    return page.stat().st_size, sum(path.stat().st_size for path in images if path.exists())


# ------------------------------------------------------------------------------------------ data layer

DATA_PROBE = r"""
import io, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])  # tests/, for the synthetic chronology
import matplotlib
matplotlib.use("Agg")
import pandas as pd
from matplotlib.figure import Figure
from synthetic import write_chronology
from pansec import charts, style
from pansec.derive import check_claims, exchange_delays
from pansec.load import load_chronology
from pansec.validate import examine

folder = write_chronology(Path(sys.argv[2]) / "data", int(sys.argv[3]))
# Imports and first-call costs (fonts, the PNG writer) are paid once, outside the timings: a
# chapter pays them once, whatever the size of its data.
book = load_chronology()
style.save(charts.timeline(book.events, book.periods), io.BytesIO(), format="png")
result = {}

def timed(name, work):
    started = time.perf_counter()
    value = work()
    result[name] = time.perf_counter() - started
    print(json.dumps(result), flush=True)
    return value

found = timed("validate", lambda: examine(folder))
assert not found.problems, [str(p) for p in found.problems[:5]]
chron = timed("load", lambda: load_chronology(folder))
result["events"], result["exchanges"] = len(chron.events), len(chron.exchanges)
timed("delays", lambda: (exchange_delays(chron), check_claims(chron)))
timed("floor_read", lambda: [pd.read_csv(path, dtype=str, keep_default_na=False) for path in sorted(folder.glob("*.csv"))])

def floor_draw():
    fig = Figure(figsize=(7.5, 4), dpi=150)
    fig.add_subplot().scatter(chron.events["start"], range(len(chron.events)), s=4)
    fig.savefig(io.BytesIO(), format="png")

timed("floor_draw", floor_draw)

def draw():
    fig = charts.timeline(chron.events, chron.periods)
    style.save(fig, io.BytesIO(), format="png")

timed("timeline", draw)
"""


def data_layer(size: int, workspace: Path) -> dict:
    """One size in a fresh process, so that sizes do not share caches and a slow stage can be cut off."""
    folder = Path(tempfile.mkdtemp(prefix=f"data-{size}-", dir=workspace))
    # An empty store of loaded chronologies (pansec.stored) for every run: the three runs of a size
    # write the same bytes, and a later run must not be answered by an earlier one.
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(folder / "cache"))
    command = [sys.executable, "-c", DATA_PROBE, str(ROOT / "tests"), str(folder), str(size)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=DATA_TIMEOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        timed_out = True
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    if timed_out:
        result["cut_off"] = DATA_TIMEOUT
    elif process.returncode != 0:
        raise SystemExit(f"data layer at {size} events failed:\n{stderr[-3000:]}")
    result["size"] = size
    return result


# ------------------------------------------------------------------------------------------ figures

#: The figures of the chapters, as the chapters call them.
FIGURE_CALLS = {
    "timeline (introduction)": "charts.timeline(chron.events, chron.periods)",
    "timeline (origins)": 'charts.timeline(chron.events, chron.periods, start="1943", end="1954-10")',
    "delays": "charts.delays(exchange_delays(chron), chron.events)",
    "conditions": "charts.conditions_matrix(chron.proposal_conditions, chron.conditions, chron.events)",
    "participation": "charts.participation(chron.participation.query(\"event == 'moscow-conference'\"))",
    "long road": "charts.long_road(chron.events, charts.default_milestones(chron.events))",
    "claims": "charts.claims(check_claims(chron))",
    "response chain": 'charts.response_chain(exchange_delays(chron), chron.events, "budapest-appeal")',
}
FIGURE_PROBE = r"""
import io, json, statistics, sys, time
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
from pansec import charts, style
from pansec.derive import check_claims, exchange_delays
from pansec.load import load_chronology

chron = load_chronology()
result = {}
for name, call in json.loads(sys.argv[1]).items():
    spent, blank = [], []
    for _ in range(3):
        started = time.perf_counter()
        fig = eval(call)
        style.save(fig, io.BytesIO(), format="png")
        spent.append(time.perf_counter() - started)
        started = time.perf_counter()
        style.save(Figure(figsize=fig.get_size_inches()), io.BytesIO(), format="png")
        blank.append(time.perf_counter() - started)
    result[name] = (statistics.median(spent), statistics.median(blank))
print(json.dumps(result))
"""


def figure_rows() -> list[Row]:
    """Median seconds to draw each chapter figure and write its PNG, beside writing a blank figure
    of the same size the same way (the PNG's own cost)."""
    done = subprocess.run([sys.executable, "-c", FIGURE_PROBE, json.dumps(FIGURE_CALLS)],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"drawing the figures failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.splitlines()[-1])
    return [Row(f"Draw the {name} figure and write its PNG", seconds(drawn), f"{seconds(blank)} (a blank figure of its size)",
                f"{drawn / blank:.1f}x", "no target") for name, (drawn, blank) in found.items()]


# ------------------------------------------------------------------------------------------ report


@dataclass
class Row:
    what: str
    measured: str
    floor: str
    ratio: str
    verdict: str


def seconds(value: float) -> str:
    return f"{value:.1f} s" if value >= 1 else f"{value:.2f} s"


def check(ok: bool) -> str:
    return "meets target" if ok else "**misses target**"


def markdown(rows: list[Row]) -> str:
    lines = ["| Measure | This book | Floor | Ratio | Target |", "|---|---:|---:|---:|---|"]
    lines += [f"| {r.what} | {r.measured} | {r.floor} | {r.ratio} | {r.verdict} |" for r in rows]
    return "\n".join(lines)


def shown(rows: list[Row]) -> list[Row]:
    """Rows as they are measured, on stderr, so that a stage that fails later loses none of them."""
    print(markdown(rows), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES), help="synthetic chronology sizes")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF builds")
    parser.add_argument("--data-only", action="store_true", help="measure the data layer alone, no book builds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its name")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    workspace = Path(tempfile.mkdtemp(prefix="pansec-bench-"))
    rows: list[Row] = []
    try:
        if not args.data_only:
            rows += shown(book_rows(workspace, args))
            print("drawing the figures ...", file=sys.stderr, flush=True)
            rows += shown(figure_rows())
        results = []
        for size in args.sizes:
            print(f"data layer on {size:,} events ...", file=sys.stderr, flush=True)
            runs = [data_layer(size, workspace) for _ in range(RUNS)]
            # Each stage's fastest run: what the code costs, less the machine's other work.
            results.append({key: min(run[key] for run in runs if key in run) for key in set().union(*runs)})
        rows += data_rows(results)
    finally:
        if args.keep:
            print(f"kept {workspace}", file=sys.stderr)
        else:
            shutil.rmtree(workspace, ignore_errors=True)

    print(markdown(rows))
    print(f"\n{os.cpu_count()} cores; load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after: "
          "figures measured on a busy machine are slower than they would be on a quiet one.")


def book_rows(workspace: Path, args) -> list[Row]:
    """Builds of the book and of its floor: clean, after a prose edit, PDF; chapters; page weights."""
    rows: list[Row] = []
    real, floor = copy_book(workspace / "book"), make_floor(workspace / "floor")
    real_out, floor_out = workspace / "book-out", workspace / "floor-out"
    print("building the book and its floor from clean ...", file=sys.stderr, flush=True)
    real_clean, _ = build(real, real_out)
    floor_clean, _ = build(floor, floor_out)
    ratio = real_clean / floor_clean
    rows.append(Row("Clean HTML build", seconds(real_clean), seconds(floor_clean), f"{ratio:.2f}x",
                    f"{check(ratio <= TARGETS['clean'])} (within {TARGETS['clean']:g}x)"))

    entries = chapters(real)
    edited = next((e for e in entries if (real / f"{e}.ipynb").exists()), entries[0])
    edit_prose(real, edited)
    edit_prose(floor, edited)
    print(f"rebuilding after a prose-only edit to {edited} ...", file=sys.stderr, flush=True)
    real_rebuild, log = build(real, real_out)
    floor_rebuild, _ = build(floor, floor_out)
    executed_again = len(re.findall(r"Starting inline execution client", log))
    ratio = real_rebuild / floor_rebuild
    rows.append(Row(f"Rebuild after a prose-only edit ({Path(edited).name}; {executed_again} notebooks re-run)",
                    seconds(real_rebuild), seconds(floor_rebuild), f"{ratio:.2f}x",
                    f"{check(ratio <= TARGETS['rebuild'])} (within {TARGETS['rebuild']:g}x)"))

    names = [Path(entry).name for entry in entries if (real / f"{entry}.ipynb").exists()]
    print(f"running each of {len(names)} chapters and its floor {RUNS} times ...", file=sys.stderr, flush=True)
    for name, (spent, base) in fastest_runs(real, floor, names, RUNS).items():
        rows.append(Row(f"Execute chapter {name}", seconds(spent), seconds(base), f"{spent / base:.1f}x",
                        f"{check(spent <= base + TARGETS['chapter'])} (within floor + {TARGETS['chapter']:g} s)"))

    html, floor_html = real_out / "_build" / "html", floor_out / "_build" / "html"
    for entry in entries:
        page, images = page_bytes(html, entry)
        floor_page, floor_images = page_bytes(floor_html, entry)
        total, base = page + images, floor_page + floor_images
        rows.append(Row(f"Transfer size of {Path(entry).name} (HTML + images)",
                        f"{total / 1024:,.0f} KiB ({images / 1024:,.0f} KiB images)", f"{base / 1024:,.0f} KiB",
                        f"{total / base:.1f}x", f"{check(total <= TARGETS['page'])} (at most 1 MB)"))

    if args.no_pdf or not (shutil.which("xelatex") and shutil.which("latexmk")):
        rows.append(Row("PDF build", "not run", "not run", "", "XeLaTeX missing or --no-pdf"))
    else:
        print("building the PDF of both ...", file=sys.stderr, flush=True)
        real_pdf, _ = build(real, real_out, "pdflatex")
        floor_pdf, _ = build(floor, floor_out, "pdflatex")
        rows.append(Row("PDF build (no chapter runs again, as `make pdf` after `make html`)", seconds(real_pdf),
                        seconds(floor_pdf), f"{real_pdf / floor_pdf:.2f}x", "no target"))
    return rows


def data_rows(results: list[dict]) -> list[Row]:
    """Per size: loading (which validates first) and deriving delays, then drawing the timeline;
    the 100,000-event row carries the verdict on all of it."""
    rows = []
    for result in results:
        size = result["size"]
        core = result.get("load", math.nan) + result.get("delays", math.nan)
        rows.append(Row(f"Data layer, {size:,} events: load and validate ({seconds(result.get('load', math.nan))}; "
                        f"validation alone {seconds(result.get('validate', math.nan))}), derive delays and claims "
                        f"({seconds(result.get('delays', math.nan))})",
                        seconds(core), f"{seconds(result.get('floor_read', math.nan))} (pandas reads the CSVs)",
                        f"{core / result.get('floor_read', math.nan):.0f}x", ""))
        if "timeline" in result:
            draw, base = result["timeline"], result["floor_draw"]
            rows.append(Row(f"Data layer, {size:,} events: draw the timeline (PNG)", seconds(draw),
                            f"{seconds(base)} (one scatter)", f"{draw / base:.0f}x", ""))
        else:
            spent = result["cut_off"] - sum(result.get(k, 0.0) for k in ("validate", "load", "delays", "floor_read", "floor_draw"))
            rows.append(Row(f"Data layer, {size:,} events: draw the timeline (PNG)", f"over {seconds(spent)} (stopped)",
                            f"{seconds(result.get('floor_draw', math.nan))} (one scatter)", "", ""))
        if size == 100_000:
            total = core + result.get("timeline", math.inf)
            rows[-1].verdict = f"{check(total < TARGETS['events'])} (load, validate, delays and timeline under {TARGETS['events']:g} s)"
    # Growth: how time scales between the two largest sizes at which a stage finished (small sizes
    # are dominated by fixed costs).
    for stage in ("validate", "load", "delays", "timeline"):
        pairs = [(r["size"], r[stage]) for r in results if r.get(stage)]
        if len(pairs) >= 2 and pairs[-1][0] > pairs[-2][0]:
            (n1, t1), (n2, t2) = pairs[-2], pairs[-1]
            exponent = math.log(t2 / t1) / math.log(n2 / n1)
            rows.append(Row(f"Growth of {stage}, {n1:,} to {n2:,} events", f"time ∝ n^{exponent:.2f}", "n^1", "",
                            check(exponent <= 1.15) + " (linear)"))
    return rows


if __name__ == "__main__":
    main()
