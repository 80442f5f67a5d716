"""Two editions from one source: the book prints every solution and the teacher's notes, the student
edition (`make student`) keeps every exercise and leaves out all of their answers, on the web and in
the PDF alike."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from book_toc import markdown_of
from builds import have_tex

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
# A solution (or a block of teacher's notes), from its opening fence to the closing one.
SOLUTION = re.compile(r"^:::\{solution\}[^\n]*\n(.*?)^:::$", re.S | re.M)
TEACHER_ONLY = re.compile(r"^::::\{only\} not student\n(.*?)^::::$", re.S | re.M)
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
CODE = re.compile(r"`[^`]*`")


def letters(text: str) -> str:
    """Only the letters, lower case: what survives line breaks, hyphenation, ligatures and markup in
    both the HTML and the PDF's text."""
    return "".join(ch for ch in text.lower() if ch.isalpha())


def plain_runs(body: str) -> list[str]:
    """A block's stretches of prose between roles and code, as letters: where the built pages' words
    are the source's words. Runs too short to be told apart from other text are left out."""
    body = "\n".join(line for line in body.splitlines() if not line.startswith(":"))
    body = CODE.sub("\x00", ROLE.sub("\x00", body))
    runs = (letters(run) for run in re.split(r"\x00|\n\n|^[-:] ", body, flags=re.M))
    return [run for run in runs if len(run) >= MIN_LETTERS]


MIN_LETTERS = 20


def answers() -> dict[str, list[str]]:
    """Each solution and each teacher's note, by where it is: the words that must be in the book and
    must not be in the student edition."""
    found = {}
    for path in NOTEBOOKS:
        for i, body in enumerate(SOLUTION.findall(markdown_of(path)), start=1):
            found[f"{path.stem} solution {i}"] = plain_runs(body)
    notes = TEACHER_ONLY.findall(markdown_of(ROOT / "book" / "teachers-notes.md"))
    assert len(notes) == 1, "teachers-notes.md keeps its answers in one {only} not student block"
    for i, answer in enumerate(re.findall(r"^: (.*?)(?=^\S|\Z)", notes[0], re.S | re.M), start=1):
        found[f"teacher's note {i}"] = plain_runs(answer)
    return found


def tasks() -> dict[str, list[str]]:
    exercise = re.compile(r"^:::\{exercise\}[^\n]*\n(.*?)^:::$", re.S | re.M)
    return {f"{p.stem} exercise {i}": plain_runs(body)
            for p in NOTEBOOKS for i, body in enumerate(exercise.findall(markdown_of(p)), start=1)}


def html_letters(html: Path) -> str:
    pages = sorted(html.glob("book/*.html"))
    assert pages, f"no pages in {html}"
    return "".join(letters(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ")) for p in pages)


def pdf_letters(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return letters(done.stdout)


# ------------------------------------------------------------------------------------------ the sources


def test_every_exercise_has_a_solution_named_after_it():
    for path in NOTEBOOKS:
        text = markdown_of(path)
        labels = re.findall(r"^:::\{exercise\}\n:label: (\S+)$", text, re.M)
        answered = re.findall(r"^:::\{solution\} (\S+)$", text, re.M)
        assert labels == answered, f"{path.name}: exercises {labels}, solutions for {answered}"
        assert all(label.startswith(f"{path.stem}-exercise-") for label in labels)


def test_no_exercise_is_left_as_a_plain_admonition():
    for path in NOTEBOOKS + [ROOT / "book" / "seminar.md"]:
        assert not re.search(r"\{admonition\} (Try it|Solution)", markdown_of(path)), path.name


def test_each_answer_and_task_has_words_enough_to_be_found():
    unfindable = [where for where, runs in {**answers(), **tasks()}.items() if not runs]
    assert not unfindable, f"no stretch of {MIN_LETTERS} letters of plain prose to look for in: {unfindable}"


def missing_from(text: str, blocks: dict[str, list[str]]) -> list[str]:
    return [f"{where}: {run[:40]}" for where, runs in blocks.items() for run in runs if run not in text]


def present_in(text: str, blocks: dict[str, list[str]]) -> list[str]:
    return [f"{where}: {run[:40]}" for where, runs in blocks.items() for run in runs if run in text]


# ------------------------------------------------------------------------------------------ the builds


@pytest.mark.slow
def test_the_book_shows_every_solution_and_note_on_the_web(book_html):
    text = html_letters(book_html)
    missing = missing_from(text, answers())
    assert not missing, f"not in the book's HTML: {missing}"


@pytest.mark.slow
def test_the_book_prints_every_solution_and_note(book_pdf):
    text = pdf_letters(book_pdf)
    missing = missing_from(text, answers())
    assert not missing, f"not in the book's PDF: {missing}"


@pytest.mark.slow
def test_the_student_edition_has_no_solution_on_the_web(student_build):
    html = student_build / "html"
    text = html_letters(html)
    shown = present_in(text, answers())
    assert not shown, f"answers in the student edition's HTML: {shown}"
    pages = " ".join(p.read_text(encoding="utf-8") for p in html.glob("book/*.html"))
    assert 'class="solution' not in pages and "Solution to" not in pages
    # Every task is still there, numbered as in the book.
    absent = missing_from(text, tasks())
    assert not absent, f"exercises missing from the student edition: {absent}"
    assert "Exercise 3.1" in pages


@pytest.mark.slow
def test_the_student_edition_prints_no_solution(student_build):
    if not have_tex():
        pytest.skip("no XeLaTeX/latexmk/pdftotext here: run `make system` as root")
    pdf = student_build / "latex" / "book.pdf"
    text = pdf_letters(pdf)
    shown = present_in(text, answers())
    assert not shown, f"answers in the student edition's PDF: {shown}"
    assert letters("Solution to") not in text
    absent = missing_from(text, tasks())
    assert not absent, f"exercises missing from the student PDF: {absent}"
    assert (student_build / "html" / "_static" / "pan-european-security.pdf").read_bytes() == pdf.read_bytes()
