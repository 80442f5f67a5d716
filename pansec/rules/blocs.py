"""Rules that come from history rather than from the file format: who belonged to a bloc when, and
which kinds of event a link can join.

* A document issued in a bloc's name (a declaration, proposal, statement or response whose actors
  include NATO or the Warsaw Pact) names as states only the bloc's members on its date: a state
  that had not yet joined, or had already left, cannot have signed it. This is the error that
  once made Albania an author of the Budapest Appeal of 1969, months after it left the Pact.
  Treaties and conferences are left out: they may bring in states that were not, or not yet,
  members (West Germany signed the Paris Agreements before it joined NATO). A member that had
  stopped taking part in the bloc's bodies, while still formally in it, cannot be named either:
  Albania's membership of the Pact lay dormant from February 1962, years before it left in 1968,
  so an Eastern declaration of 1966 that names it is wrong.
* A link's relation fits the events it joins: only a treaty enters into force or fails, and does
  so in a ratification; a rejection is a response; what counters or rejects an event comes from
  the other side.
"""

from __future__ import annotations

import numpy
import pandas as pd

from pansec.problems import Problem, show

#: The bloc organisations among the actors, and the columns of actors.csv that date membership:
#: joined, left, and stopped taking part in the bloc's bodies (dormant).
MEMBERSHIP = {"warsaw-pact": ("the Warsaw Pact", "warsaw_joined", "warsaw_left", "warsaw_dormant"),
              "nato": ("NATO", "nato_joined", None, None)}
DOCUMENT_KINDS = {"declaration", "proposal", "statement", "response"}
TREATY_ENDS = {"enters-into-force": "enters into force", "fails": "fails"}
ACROSS_SIDES = {"counters", "rejects"}


def check_bloc_documents(tables, spans, problems: list[Problem]) -> None:
    """Every state named by a bloc's document was a member of that bloc on the document's date."""
    events, actors = tables.get("events"), tables.get("actors")
    date = spans.get(("events", "date"))
    if events is None or actors is None or date is None or not {"actors", "kind"} <= events.present:
        return
    if "id" not in actors.present:
        return
    by_id = {a: i for i, a in zip(actors.frame.index, actors.frame["id"]) if isinstance(a, str)}
    is_state = actors.frame.get("type").eq("state") if "type" in actors.present else None
    # Only the few documents naming a bloc organisation are read row by row: the actors' distinct
    # cells are looked at once, and the rows holding one of them found with numpy.
    codes, split = events.lists_of("actors")
    in_bloc_name = [code for code, named in enumerate(split) if not MEMBERSHIP.keys().isdisjoint(named)]
    chosen = numpy.flatnonzero(numpy.isin(codes, in_bloc_name) & events.column("kind").holding(DOCUMENT_KINDS))
    for position in chosen.tolist():
        line, kind, named = events.frame.index[position], events.frame["kind"].iat[position], split[codes[position]]
        if pd.isna(date.at[line, "first"]):
            continue
        first, last = date.at[line, "first"], date.at[line, "last"]
        for organisation, (bloc, joined_column, left_column, dormant_column) in MEMBERSHIP.items():
            if organisation not in named:
                continue
            joined = spans.get(("actors", joined_column))
            left = spans.get(("actors", left_column)) if left_column else None
            dormant = spans.get(("actors", dormant_column)) if dormant_column else None
            for actor in named:
                row = by_id.get(actor)
                if row is None or is_state is None or not is_state[row]:
                    continue
                since = joined.at[row, "last"] if joined is not None else pd.NaT
                until = left.at[row, "first"] if left is not None else pd.NaT
                # dormant on the document's date only when its last possible day is not after the document's first
                idle = dormant.at[row, "last"] if dormant is not None else pd.NaT
                if pd.isna(since) or since > last:
                    problems.append(Problem(events.file, int(line), "actors", (
                        f"{show(actor)} was not a member of {bloc} on {events.frame.at[line, 'date']}: "
                        f"a {kind} in {bloc}'s name can name only its member states"
                        + ("" if pd.isna(since) else f" (it joined on {actors.frame.at[row, joined_column]})"))))
                elif not pd.isna(until) and until < first:
                    problems.append(Problem(events.file, int(line), "actors", (
                        f"{show(actor)} had left {bloc} on {actors.frame.at[row, left_column]}, before this {kind} "
                        f"of {events.frame.at[line, 'date']} in {bloc}'s name")))
                elif not pd.isna(idle) and idle <= first:
                    problems.append(Problem(events.file, int(line), "actors", (
                        f"{show(actor)} had stopped taking part in {bloc}'s bodies on "
                        f"{actors.frame.at[row, dormant_column]}, before this {kind} of {events.frame.at[line, 'date']} "
                        f"in {bloc}'s name, which cannot name it")))


def check_relations(tables, problems: list[Problem]) -> None:
    """Each link's relation is one its two events can have."""
    exchanges, events = tables.get("exchanges"), tables.get("events")
    if exchanges is None or events is None or not {"from", "to", "relation"} <= exchanges.present:
        return
    if not {"id", "kind", "bloc"} <= events.present:
        return
    sources, targets, relation = (exchanges.column(name) for name in ("from", "to", "relation"))
    rows_a, rows_b = event_rows(events, sources), event_rows(events, targets)
    kind_a, kind_b = (at_rows(events.column("kind"), rows) for rows in (rows_a, rows_b))
    bloc_a, bloc_b = (at_rows(events.column("bloc"), rows) for rows in (rows_a, rows_b))
    ends = relation.holding(TREATY_ENDS) & ((kind_a != "treaty") | (kind_b != "ratification"))
    not_response = (relation.values == "rejects") & (kind_b != "response") & ~ends
    same_side = (relation.holding(ACROSS_SIDES) & ((bloc_a == bloc_b) | (bloc_a == "both") | (bloc_b == "both"))
                 & ~ends & ~not_response)
    # An unknown event is the foreign-key rule's to report.
    known_both = (rows_a >= 0) & (rows_b >= 0)
    lines, said, a, b = exchanges.frame.index, relation.values, sources.values, targets.values

    def say(chosen, words) -> None:
        for at in numpy.flatnonzero(chosen & known_both).tolist():
            problems.append(Problem(exchanges.file, int(lines[at]), "relation", f"{show(said[at])}: {words(at)}"))

    say(ends, lambda at: (f"only a treaty {TREATY_ENDS[said[at]]}, in a ratification: {show(a[at])} is a "
                          f"{kind_a[at]} and {show(b[at])} a {kind_b[at]}"))
    say(not_response, lambda at: f"a rejection is a response, but {show(b[at])} is a {kind_b[at]}")
    say(same_side, lambda at: (f"what {said[at]} an event comes from the other side, but {show(a[at])} and "
                               f"{show(b[at])} are both from {bloc_a[at] if bloc_a[at] == bloc_b[at] else 'both sides'}"))


def event_rows(events, ids) -> numpy.ndarray:
    """The row of the event each cell names, -1 for none. An id given twice stands for its first
    row, and an empty cell finds the first event whose id is empty, as a lookup by id in pandas does."""
    known = events.column("id")
    found = ids.found_in(known)
    rows = numpy.full(len(found), -1)
    rows[found >= 0] = known.first_rows[found[found >= 0]]
    if known.has_empty and ids.has_empty:
        rows[ids.empty] = numpy.flatnonzero(known.empty)[0]
    return rows


def at_rows(column, rows: numpy.ndarray) -> numpy.ndarray:
    """The column's cells at the given rows, NaN where the row is -1."""
    found = numpy.full(len(rows), numpy.nan, dtype=object)
    found[rows >= 0] = column.values[rows[rows >= 0]]
    return found
