"""The command line: ``python -m pansec validate [DATA_DIR]``.

Lets a student check an edited chronology before re-running the chapters, with messages an
editor can jump to, and lets CI fail on bad data with a plain exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """\
exit status: 0 when the data are valid (a one-line summary with row counts goes to standard
output); 1 when they are not (every problem goes to standard error as FILE:LINE: column: message,
then a count); 2 for a usage error."""


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m pansec",
        description="Tools for the chronology of Soviet proposals for pan-European security.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = cli.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="check every table of a data folder against datapackage.json and references.bib",
        description="Check every table of a data folder and report every problem, not just the first.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("data_dir", nargs="?", metavar="DATA_DIR",
                       help="the folder holding datapackage.json (default: $PANSEC_DATA, else the repository's data/)")
    return cli


def validate(data_dir) -> int:
    from pansec.read.files import default_data_dir
    from pansec.validate import examine

    folder = data_dir if data_dir is not None else default_data_dir()
    found = examine(folder)
    if found.problems:
        for problem in found.problems:
            print(problem, file=sys.stderr)
        count = len(found.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {folder}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {table.rows_read}" for name, table in found.tables.items())
    print(f"{folder}: valid ({counts}; references {len(found.bibliography.entries)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    arguments = cli.parse_args(argv)
    if arguments.command == "validate":
        if arguments.data_dir is not None and not Path(arguments.data_dir).is_dir():
            cli.error(f"{arguments.data_dir} is not a folder")
        return validate(arguments.data_dir)
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
