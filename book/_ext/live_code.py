"""Live Code from the book itself: Thebe is served from the site's own _static/thebe/.

sphinx-thebe 0.3.1 points each page's ``THEBE_JS_URL`` at a CDN (unpkg.com, thebe 0.8.2), which a
reader's browser asks the moment Live Code is clicked. This extension serves Thebe from the built
site instead:

* Thebe's built library (``lib/`` of the npm package, without its source maps) is copied into the
  HTML output's ``_static/thebe/``; ``index.js`` loads its further chunks relative to its own URL,
  so they come from there too.
* Each page's ``THEBE_JS_URL`` names that copy, relative to the page.
* RequireJS, which thebe fetches from a CDN before a cell shows its first widget, is served
  beside it, as ``_static/thebe/require.js``.
* ``_static/live-code.js`` (book/_static) adapts what sphinx-thebe writes, for thebe 0.8, to the
  thebe 0.9 that is served, and hands thebe that RequireJS (see that file).

Why thebe 0.9.3 and not sphinx-thebe's 0.8.2: the npm registry that this project's machines reach
serves thebe 0.9.2 and 0.9.3 only. The files are not kept in the repository (3.3 MB of minified
JavaScript): ``python book/_ext/live_code.py`` (the Makefile's ``setup`` runs it) fetches the
packages' tarballs with ``npm pack``, checks them against the hashes pinned below and unpacks what
the site serves into the virtual environment, ``<venv>/share/pansec/thebe-...-requirejs-.../thebe/``.
Installing thebe with ``npm ci`` instead would bring its 950 dependencies (580 MB), all of which
its ``lib/`` already bundles. The build itself asks no network: it fails, saying what to run, when
the files are missing.

Config value (set under ``sphinx: config:`` in _config.yml):

``live_code_thebe_folder``
    A folder holding ``thebe/index.js`` and its chunks, to use instead of the copy in the virtual
    environment.
"""

from __future__ import annotations

import json
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import vendored

THEBE_VERSION = "0.9.3"
# What the install step fetches from the npm registry: each package's version, its tarball's SHA-512
# as the registry publishes it (`npm view NAME@VERSION dist.integrity`), and which of its files to
# serve, under which name in _static/thebe/.
PACKAGES = {
    "thebe": (
        THEBE_VERSION,
        "sha512-Rb/7kVhtlffXra3kIe7OuIGE7awsm2/fGWxw21DiNfnWLnUQiDl9AWqYdshPwZPG/5DzLpsJRPix2xtCPtJmQQ==",
        # lib/'s scripts, stylesheet and licence notices; not its source maps, types or sources.
        lambda path: path.rpartition("/")[2] if path.startswith("lib/") and path.count("/") == 1
        and path.endswith((".js", ".css", ".LICENSE.txt")) else None,
    ),
    # thebe 0.9 fetches RequireJS from cdnjs.cloudflare.com for the first widget a cell shows (the
    # explorers of book/explore.ipynb); live-code.js hands it this copy instead.
    "requirejs": (
        "2.3.6",
        "sha512-ipEzlWQe6RK3jkzikgCupiTbTvm4S0/CAU5GlgptkN5SO6F3u0UD0K18wy6ErDqiCyP4J4YYe1HuAShvsxePLg==",
        lambda path: "require.js" if path == "require.js" else None,
    ),
}
# Where in _static the library goes, and its entry point.
STATIC_FOLDER = "thebe"
ENTRY = f"{STATIC_FOLDER}/index.js"
SCRIPT = "live-code.js"
# sphinx-thebe's inline set-up script starts with this.
THEBE_URL_LINE = "const THEBE_JS_URL = "
CDN = "https://unpkg.com/thebe@"


def default_folder(prefix: str | Path | None = None) -> Path:
    """Where the install step puts the library: inside the virtual environment that builds."""
    pins = "-".join(f"{name}-{version}" for name, (version, _, _) in PACKAGES.items())
    return Path(prefix or sys.prefix) / "share" / "pansec" / pins


def is_installed(folder: Path) -> bool:
    return (folder / ENTRY).is_file() and (folder / STATIC_FOLDER / "require.js").is_file()


def _unpack(tarball: Path, serve, into: Path) -> None:
    """Copy the files to serve out of a checked npm tarball into `into`."""
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            # Every file of an npm tarball is under package/.
            target = serve(member.name.partition("/")[2]) if member.isfile() else None
            if target:
                with tar.extractfile(member) as source, open(into / target, "wb") as out:
                    shutil.copyfileobj(source, out)


def install(folder: Path, npm: str = "npm") -> Path:
    """Fetch the pinned packages' tarballs from the npm registry, check their hashes, unpack what
    the site serves into `folder`/thebe. Does nothing when it is there already."""
    if is_installed(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        tmp = Path(tmp)
        staged = tmp / "staged"
        (staged / STATIC_FOLDER).mkdir(parents=True)
        specs = [f"{name}@{version}" for name, (version, _, _) in PACKAGES.items()]
        packed = vendored.npm_pack(npm, specs, tmp, "Live Code")
        for name, (version, integrity, serve) in PACKAGES.items():
            vendored.check_pinned(packed[name], name, version, integrity)
            _unpack(packed[name], serve, staged / STATIC_FOLDER)
        if not is_installed(staged):
            raise SystemExit("the tarballs lack thebe's lib/index.js or RequireJS's require.js")
        shutil.rmtree(folder, ignore_errors=True)
        staged.rename(folder)
    return folder


# ---------------------------------------------------------------------------------- the extension


def _folder(app) -> Path:
    return vendored.folder_of(app, app.config.live_code_thebe_folder, default_folder())


def check_thebe(app) -> None:
    """Fail the build at its start, before any chapter runs, when the files are missing."""
    folder = _folder(app)
    vendored.require(app, folder, is_installed(folder), "Live Code (thebe and RequireJS)", "book/_ext/live_code.py")


def copy_thebe(app, exception) -> None:
    """Put the files in the output's _static/thebe/ at the end of every build."""
    vendored.copy_into_build(app, exception, _folder(app), STATIC_FOLDER)


def _local(script, url: str):
    """The same script object (a Sphinx _JavaScript) with THEBE_JS_URL set to `url`."""
    attributes = dict(script.attributes)
    lines = attributes["body"].split("; ")
    lines = [f"{THEBE_URL_LINE}{json.dumps(url)}" if line.startswith(THEBE_URL_LINE) else line for line in lines]
    attributes["body"] = "; ".join(lines)
    return type(script)(script.filename, priority=script.priority, **attributes)


def point_thebe_here(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """THEBE_JS_URL (and, with always_load, the script itself) names the page's own _static."""
    scripts = context.get("script_files")
    pathto = context.get("pathto")
    if not scripts or pathto is None:
        return
    url = pathto(f"_static/{ENTRY}", resource=True)
    fixed = []
    for script in scripts:
        filename = str(getattr(script, "filename", "") or "")
        body = getattr(script, "attributes", {}).get("body") or ""
        if body.startswith(THEBE_URL_LINE):
            script = _local(script, url)
        elif filename.startswith(CDN):
            script = type(script)(f"_static/{ENTRY}", priority=script.priority, **script.attributes)
        fixed.append(script)
    context["script_files"] = fixed


def setup(app) -> dict:
    app.setup_extension("sphinx_thebe")
    app.add_config_value("live_code_thebe_folder", "", "html")
    app.connect("builder-inited", check_thebe)
    app.connect("build-finished", copy_thebe)
    app.connect("html-page-context", point_thebe_here)
    app.add_js_file(SCRIPT, defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(f"Live Code's scripts in {install(default_folder())}")
