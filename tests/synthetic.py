"""Synthetic chronologies of any size, built on the real data, to measure how the data layer scales.

The real tables stay as they are (so every reference still resolves) and valid synthetic events
and exchanges are appended. Run ``python tests/synthetic.py`` to print the timing table.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
KINDS = ["proposal", "response", "declaration", "statement", "conference", "treaty", "ratification", "context"]
BLOCS = ["east", "west", "neutral", "both"]
SECTIONS = ["introduction", "1", "2", "3", "conclusion"]
# Relations any two kinds of event can have (pansec/rules/blocs.py holds the others to their kinds).
RELATIONS = ["answers", "follows-up", "implements"]


def write_chronology(folder: Path, n_events: int, seed: int = 0) -> Path:
    """Copy the real data into folder and add events until there are n_events, half of them linked."""
    folder = Path(folder)
    shutil.copytree(DATA, folder, dirs_exist_ok=True)
    rng = random.Random(seed)
    with open(folder / "actors.csv", encoding="utf-8", newline="") as f:
        # No bloc organisation: a random document in NATO's or the Warsaw Pact's name would name
        # states outside it and break the membership rule (pansec/rules/blocs.py).
        actors = [row["id"] for row in csv.DictReader(f) if row["id"] not in ("nato", "warsaw-pact")]
    with open(folder / "events.csv", encoding="utf-8", newline="") as f:
        existing = sum(1 for _ in csv.DictReader(f))
    keys = ["hotta2026", "gaddis2005cold", "mastny2002nato", "zubok2007failed", "sarotte2001devil"]
    added = []
    with open(folder / "events.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        for i in range(max(0, n_events - existing)):
            year, month, day = rng.randint(1943, 1975), rng.randint(1, 12), rng.randint(1, 25)
            precision = rng.choices(["day", "month", "year"], weights=[8, 3, 1])[0]
            date = {"day": f"{year}-{month:02d}-{day:02d}", "month": f"{year}-{month:02d}", "year": f"{year}"}[precision]
            end_date = f"{year}-{month:02d}-{day + rng.randint(1, 3):02d}" if precision == "day" and rng.random() < 0.1 else ""
            paper = rng.random() < 0.5
            writer.writerow([
                # not 'reference': a date from a reference needs a review row with its locator (pansec/rules/review.py)
                f"synthetic-{i}", date, end_date, date if paper else "", "paper" if paper else "relative",
                f"Synthetic event {i}, with a comma", rng.choice(KINDS),
                ";".join(rng.sample(actors, rng.randint(1, 4))), rng.choice(BLOCS),
                rng.choice(SECTIONS), rng.choice(["", str(rng.randint(1, 16))]),
                ";".join(rng.sample(keys, rng.randint(1, 2))), "paper",
                f"A made-up event to measure the data layer.\nIts summary spans two lines ({i}).",
            ])
            added.append((year, month, day, precision, f"synthetic-{i}"))
    added.sort()
    with open(folder / "exchanges.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        for earlier, later in zip(added[0::2], added[1::2]):
            certainly_after = later[:3] > earlier[:3] and later[0] > earlier[0]
            if certainly_after or (earlier[3] == later[3] == "day"):
                writer.writerow([earlier[4], later[4], rng.choice(RELATIONS), "Made-up link."])
    return folder


def time_data_layer(folder: Path) -> dict[str, float]:
    """Seconds (wall clock and CPU) to load, which validates, and to derive delays and claim checks."""
    from pansec.derive import check_claims, exchange_delays
    from pansec.load import load_chronology

    started, cpu = time.perf_counter(), time.process_time()
    chron = load_chronology(folder)
    loaded = time.perf_counter()
    exchange_delays(chron)
    check_claims(chron)
    derived = time.perf_counter()
    return {"load+validate": loaded - started, "delays": derived - loaded, "total": derived - started,
            "cpu": time.process_time() - cpu, "events": len(chron.events), "exchanges": len(chron.exchanges)}


def main(sizes=(100, 1_000, 10_000, 100_000)) -> None:
    """Print the timing table; the first load of a process (imports, reading the schema) is shown apart."""
    started = time.perf_counter()
    import pansec.derive  # noqa: F401
    from pansec.load import load_chronology

    load_chronology(DATA)
    print(f"first load in a fresh process, imports included: {time.perf_counter() - started:.2f} s\n")
    print("| events | exchanges | load + validate (s) | delays + claims (s) | total (s) | total CPU (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_chronology(Path(tmp) / "data", size)
            result = time_data_layer(folder)
        print(f"| {result['events']:,} | {result['exchanges']:,} | {result['load+validate']:.2f} "
              f"| {result['delays']:.2f} | {result['total']:.2f} | {result['cpu']:.2f} |")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or (100, 1_000, 10_000, 100_000))
