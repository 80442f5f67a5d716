"""The repository's address, set in one place: ``repository.url`` in ``_config.yml``.

Jupyter Book already takes the Binder and Live Code launch buttons and the repository and issue
buttons from it. As a Sphinx extension, this module hands the same address to the rest of the book:
the MyST substitution ``{{ repository_link }}`` (the landing page's citation) and the LaTeX command
``\\pansecrepository`` (the PDF's verso).

Some files cannot read the configuration: ``README.md`` (its Binder link), ``CITATION.cff``,
``pyproject.toml`` and ``LICENSE-CONTENT.md``. Run as a script, ``python book/_ext/repository.py``
(``make repository``) rewrites the address in each of them from ``_config.yml``; ``--check`` only
says which disagree, and ``tests/test_repository.py`` fails while one does.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
# The files that carry a copy of the address, because they cannot read _config.yml.
# The chapters too: a notebook downloaded on its own cannot read _config.yml, and its first cell must
# say where the repository is when pansec is missing.
COPIES = ["README.md", "CITATION.cff", "pyproject.toml", "LICENSE-CONTENT.md",
          *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "book").glob("*.ipynb"))]
GITHUB = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+?(?=[/\"'>)\s]|$)")
BINDER = re.compile(r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/[\w.-]+")


def configured(root: Path = ROOT) -> dict[str, str]:
    """The address and branch of _config.yml, and what follows from them."""
    import yaml

    repository = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["repository"]
    url = repository["url"].rstrip("/")
    slug = urlparse(url).path.strip("/")
    branch = repository.get("branch", "main")
    return {"url": url, "slug": slug, "branch": branch, "binder": f"https://mybinder.org/v2/gh/{slug}/{branch}"}


def rewritten(text: str, repository: dict[str, str]) -> str:
    text = BINDER.sub(repository["binder"], text)
    return GITHUB.sub(repository["url"], text)


def disagreeing(root: Path = ROOT) -> list[str]:
    repository = configured(root)
    return [name for name in COPIES if rewritten((root / name).read_text(encoding="utf-8"), repository)
            != (root / name).read_text(encoding="utf-8")]


def main(argv: list[str]) -> int:
    stale = disagreeing()
    if "--check" in argv:
        for name in stale:
            print(f"{name}: its repository address differs from _config.yml's repository.url")
        return 1 if stale else 0
    repository = configured()
    for name in stale:
        path = ROOT / name
        path.write_text(rewritten(path.read_text(encoding="utf-8"), repository), encoding="utf-8")
        print(f"{name}: now {repository['url']}")
    return 0


# ------------------------------------------------------------------------------------------ Sphinx


def hand_on(app, config) -> None:
    url = config.html_theme_options.get("repository_url", "").rstrip("/")
    if not url:
        from sphinx.errors import ConfigError

        raise ConfigError("_config.yml sets no repository.url: the launch buttons, citation and verso need it")
    config.myst_substitutions = {**config.myst_substitutions, "repository_link": f"<{url}>"}
    latex = dict(config.latex_elements)
    latex["preamble"] = f"\\newcommand{{\\pansecrepository}}{{\\url{{{url}}}}}\n" + latex.get("preamble", "")
    config.latex_elements = latex


def setup(app) -> dict:
    app.connect("config-inited", hand_on)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
