"""`python -m pansec validate` tells a student, and CI, whether the data are fit to build from."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from datacopies import DATA, PROBLEM_FORMAT, expected, fixture_copy

from pansec.__main__ import main
from pansec.load import load_chronology


def run(*arguments, env=None):
    """The command as a user types it, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "pansec", *map(str, arguments)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_valid_data_exit_zero_with_one_line_of_row_counts():
    result = run("validate", DATA)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and result.stderr == ""
    chronology = load_chronology(DATA)
    for table in ["events", "actors", "exchanges", "claims"]:
        assert f"{table} {len(getattr(chronology, table))}" in lines[0]
    assert f"references {len(chronology.references)}" in lines[0]


def test_bad_data_exit_one_with_every_problem_on_standard_error(tmp_path):
    folder = fixture_copy(tmp_path, "bad-cells")
    result = run("validate", folder)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert summary == f"{len(expected('bad-cells'))} problems in {folder}"
    assert len(problems) == len(expected("bad-cells"))
    for line in problems:
        assert re.match(PROBLEM_FORMAT, line) and line.startswith(str(folder)), line


def test_data_folder_defaults_to_pansec_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PANSEC_DATA", str(fixture_copy(tmp_path, "empty-file")))
    assert main(["validate"]) == 1
    assert "conditions.csv:1: file: the file is empty" in capsys.readouterr().err


def test_latin1_problems_print_on_any_terminal(tmp_path, capsys):
    # undecodable bytes are shown as U+FFFD, never as lone surrogates that would crash print()
    assert main(["validate", str(fixture_copy(tmp_path, "latin-1"))]) == 1
    err = capsys.readouterr().err
    err.encode("utf-8")
    assert "Conf\ufffdrence" in err


@pytest.mark.parametrize("arguments", [[], ["check"], ["validate", "a", "b"], ["validate", "/no/such/folder"]])
def test_usage_errors_exit_two(arguments, capsys):
    with pytest.raises(SystemExit) as raised:
        main(arguments)
    assert raised.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_help_documents_the_exit_status():
    result = run("validate", "--help")
    assert result.returncode == 0
    assert "exit status" in result.stdout and "standard error" in result.stdout
