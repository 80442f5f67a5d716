"""Lighthouse's mobile scores for every chapter page, beside the scores the book had before.

Each page of the built book is served from 127.0.0.1 compressed (gzip), as a static host serves it,
and measured by Lighthouse 12.2.3 (npm, pinned in benchmarks/package.json, installed with `npm ci
--prefix benchmarks`) in Debian's Chromium, with Lighthouse's default mobile profile: an emulated
mid-range phone, simulated slow 4G and a 4x slower CPU. Run by `make bench`, or alone:

    .venv/bin/python benchmarks/lighthouse.py [--html _build/html] [--save-before]

Without --html it builds the book first, as `make html` does, into a temporary folder. The scores
"before" (benchmarks/lighthouse-before.json) were measured the same way on the book as it was when
issue 9 was opened; --save-before replaces them with this run's.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))
from browser.harness import serve  # noqa: E402  (the tests' own static server, on 127.0.0.1)
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
BEFORE = HERE / "lighthouse-before.json"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".txt", ".map", ".xml", ".ico"}
# What a score below target most often comes from, named by Lighthouse's own audit ids.
SHOWN_AUDITS = ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "total-byte-weight")


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Text files gzipped when the browser accepts it, as GitHub Pages or Netlify serve them."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def chapter_pages(root: Path = ROOT) -> list[str]:
    """Every notebook chapter's page, in the order of the table of contents."""
    sys.path.insert(0, str(root / "tests"))
    from book_toc import toc_entries

    return [f"{entry}.html" for entry in toc_entries(root) if (root / entry).with_suffix(".ipynb").exists()]


def measure(url: str, out: Path) -> dict:
    """One Lighthouse run: the four scores (0 to 100) and a few of the audits behind them."""
    done = subprocess.run(
        [str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
         f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={out}", "--quiet"],
        capture_output=True, text=True, timeout=300, check=False,
        env=dict(os.environ, CI="1"),
    )
    if done.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    audits = report["audits"]
    failing = sorted(
        audit_id
        for name in CATEGORIES if name != "performance"
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] and (audit_id := ref["id"]) in audits and audits[audit_id]["score"] is not None
        and audits[audit_id]["score"] < 1
    )
    return {
        "scores": scores,
        "shown": {a: audits[a].get("displayValue", "") for a in SHOWN_AUDITS if a in audits},
        "failing": failing,
        "errors": [item.get("description", "") for item in audits.get("errors-in-console", {}).get("details", {}).get("items", [])],
    }


def build(out: Path) -> Path:
    print("building the book for Lighthouse ...", file=sys.stderr, flush=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output", str(out),
               "-W", "-n", "--keep-going"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the book did not build:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return out / "_build" / "html"


def table(results: dict, before: dict) -> str:
    def cell(page, name):
        now = results[page]["scores"][name]
        was = before.get(page, {}).get("scores", {}).get(name)
        mark = "" if now >= TARGETS[name] else " *"
        return f"{now}{mark}" + (f" ({was})" if was is not None else "")

    lines = [
        "| Page | Performance | Accessibility | Best practices | SEO | LCP | TBT | CLS | Weight | Below 100 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, result in results.items():
        shown = result["shown"]
        lines.append(
            f"| {Path(page).stem} | " + " | ".join(cell(page, name) for name in CATEGORIES) + " | "
            + " | ".join(shown.get(a, "") for a in SHOWN_AUDITS) + f" | {', '.join(result['failing']) or 'none'} |"
        )
    lines.append("")
    lines.append(f"Scores now (before, in brackets); * below target ({', '.join(f'{k} {v}' for k, v in TARGETS.items())}). "
                 "Lighthouse 12.2.3, mobile profile, Debian Chromium, pages gzipped from 127.0.0.1.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="a built book's HTML folder (default: build one)")
    parser.add_argument("--save-before", action="store_true", help=f"save this run's scores as {BEFORE.name}")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci --prefix benchmarks` (Node.js and npm needed).")
    with tempfile.TemporaryDirectory(prefix="pansec-lighthouse-") as tmp:
        tmp = Path(tmp)
        html = args.html.resolve() if args.html else build(tmp / "book")
        results = {}
        with serve(html, _CompressingHandler) as base:
            for page in chapter_pages():
                print(f"lighthouse {page} ...", file=sys.stderr, flush=True)
                results[page] = measure(base + page, tmp / "report.json")
    before = {} if args.save_before else (json.loads(BEFORE.read_text(encoding="utf-8")) if BEFORE.is_file() else {})
    if args.save_before:
        BEFORE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(table(results, before))


if __name__ == "__main__":
    main()
