"""Links between rows: ids in ';'-lists, foreign keys, exchanges that run forward in time, claims
whose span runs forward.
"""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path

import numpy
import pandas as pd

from pansec.problems import Problem, show
from pansec.read.descriptor import LIST_LINKS
from pansec.read.tables import Table
from pansec.rules.cells import whole_numbers


def check_list(table: Table, name: str, known: set[str], unknown, problems: list[Problem]) -> None:
    """Every item of a list cell must be known, named once, and not empty; judged once per distinct cell."""
    codes, split = table.lists_of(name)
    wrong = [code for code, items in enumerate(split)
             if not (known.issuperset(items) and len(set(items)) == len(items) and "" not in items)]
    if not wrong:
        return
    rows = numpy.isin(codes, wrong)
    for line, cell, code in zip(table.frame.index[rows], table.frame[name].to_numpy(dtype=object)[rows], codes[rows]):
        seen = set()
        for item in split[code]:
            if not item:
                problems.append(Problem(table.file, int(line), name, f"empty item in the list {show(cell)}: remove the extra ';'"))
            elif item in seen:
                problems.append(Problem(table.file, int(line), name, f"{show(item)} is listed twice"))
            elif item not in known:
                problems.append(Problem(table.file, int(line), name, unknown(item)))
            seen.add(item)


def check_lists(tables, bibliography, bib: str, problems: list[Problem]) -> None:
    """Ids inside ';'-lists: actors of events, and BibTeX keys in every sources column."""
    for (table_name, name), (target, key) in LIST_LINKS.items():
        table, referred = tables.get(table_name), tables.get(target)
        if table is None or referred is None or name not in table.present or key not in referred.present:
            continue
        known = set(referred.frame[key].dropna().to_numpy(dtype=object))
        check_list(table, name, known,
                   lambda item: f"unknown actor {show(item)}: no row of {Path(referred.file).name} has that {key}", problems)
    if bibliography is None:
        return
    keys = set(bibliography.entries.keys())
    for table in tables.values():
        if "sources" in table.present:
            check_list(table, "sources", keys,
                       lambda item: f"unknown source key {show(item)}: {Path(bib).name} has no entry with that key", problems)


def check_foreign_keys(tables, problems: list[Problem]) -> None:
    """Links the schema declares (exchanges, claims, conditions, ...) must name existing rows."""
    for table in tables.values():
        for foreign in table.foreign_keys:
            names = foreign["fields"] if isinstance(foreign["fields"], list) else [foreign["fields"]]
            reference = foreign["reference"]
            target = tables.get(reference.get("resource") or table.name)
            targets = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
            if target is None or not set(names) <= table.present or not set(targets) <= target.present:
                continue
            if len(names) == 1:
                column = table.frame[names[0]]
                missing = column.notna() & (target.key_index(targets[0]).get_indexer(column) < 0)
                for line, value in column[missing].items():
                    problems.append(Problem(table.file, int(line), names[0],
                                            f"no row of {Path(target.file).name} has {targets[0]} = {show(value)}"))
            else:
                known = set(map(tuple, target.frame[targets].dropna().itertuples(index=False)))
                rows = table.frame[names].dropna()
                for line, values in zip(rows.index, rows.itertuples(index=False)):
                    if tuple(values) not in known:
                        problems.append(Problem(table.file, int(line), names[0],
                                                f"no row of {Path(target.file).name} has ({', '.join(targets)}) = {tuple(values)}"))


def check_exchanges(tables, spans, problems: list[Problem]) -> None:
    """An exchange runs forward in time: no self-links, no response dated before what it answers, no cycles.

    With imprecise dates a response is reported only when it is certainly earlier: when the last
    day its date may stand for falls before the first day of the date of the event it answers.
    """
    exchanges, events = tables.get("exchanges"), tables.get("events")
    if exchanges is None or events is None or not {"from", "to"} <= exchanges.present or "id" not in events.present:
        return
    links = exchanges.frame[["from", "to"]].dropna()
    for line in links.index[links["from"] == links["to"]]:
        problems.append(Problem(exchanges.file, int(line), "to", f"links the event {show(links.at[line, 'to'])} to itself"))
    date = spans.get(("events", "date"))
    if date is not None:
        known = pd.concat([events.frame[["id", "date"]], date[["first", "last"]]], axis=1)
        known = known.dropna(subset=["id"]).drop_duplicates("id").set_index("id")
        first = known.reindex(links["from"])
        second = known.reindex(links["to"])
        earlier = (second["last"].to_numpy() < first["first"].to_numpy())
        for line, a, b, when_a, when_b in zip(
            links.index[earlier], links["from"][earlier], links["to"][earlier],
            first["date"].to_numpy()[earlier], second["date"].to_numpy()[earlier],
        ):
            problems.append(Problem(
                exchanges.file, int(line), "to",
                f"{show(b)} ({when_b}) is dated before {show(a)} ({when_a}): an event cannot answer, "
                "implement or end one that comes after it",
            ))
    proper = links[links["from"] != links["to"]]
    edges = list(zip(proper["from"].tolist(), proper["to"].tolist(), proper.index.tolist()))
    for cycle, lines in find_cycles(edges):
        problems.append(Problem(
            exchanges.file, int(max(lines)), "to",
            f"exchanges form a cycle: {' -> '.join(cycle)} (lines {', '.join(map(str, sorted(lines)))}); "
            "a chain of responses cannot lead back to where it began",
        ))


def prune_acyclic(edges: list[tuple[str, str, int]], rounds: int = 50) -> list[tuple[str, str, int]]:
    """Drop links that cannot lie on a cycle (their source has no incoming link, or their target no
    outgoing one), a few vectorised rounds at a time; what remains, usually nothing, goes to Tarjan."""
    if not edges:
        return edges
    links = pd.DataFrame(edges, columns=["from", "to", "line"])
    for _ in range(rounds):
        keep = links["from"].isin(links["to"]) & links["to"].isin(links["from"])
        if keep.all():
            break
        links = links[keep]
    return list(zip(links["from"].tolist(), links["to"].tolist(), links["line"].tolist()))


def find_cycles(edges: list[tuple[str, str, int]]) -> list[tuple[list[str], list[int]]]:
    """One cycle per strongly connected group of events (Tarjan, iterative), with the lines it uses."""
    edges = prune_acyclic(edges)
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b, _ in edges:
        graph[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in list(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    found = []
    for group in groups:
        inside = [(a, b, line) for a, b, line in edges if a in group and b in group]
        a, b, line = min(inside, key=lambda edge: edge[2])
        line_of = {(x, y): n for x, y, n in reversed(inside)}
        # shortest way back from b to a inside the group closes the cycle
        previous = {b: None}
        queue = deque([b])
        while queue and a not in previous:
            node = queue.popleft()
            for successor in graph[node]:
                if successor in group and successor not in previous:
                    previous[successor] = node
                    queue.append(successor)
        path = [a]
        while path[-1] != b:
            path.append(previous[path[-1]])
        cycle = [a, *reversed(path)]
        lines = [line_of[(x, y)] for x, y in zip(cycle, cycle[1:])]
        found.append((cycle, lines))
    return found


def check_claims(tables, problems: list[Problem]) -> None:
    """A claim's span of days must run forward: min_days no larger than max_days."""
    claims = tables.get("claims")
    if claims is None or not {"min_days", "max_days"} <= claims.present:
        return
    low, high = whole_numbers(claims.frame["min_days"]), whole_numbers(claims.frame["max_days"])
    for line in claims.frame.index[(low > high).fillna(False)]:
        problems.append(Problem(claims.file, int(line), "max_days",
                                f"{high[line]} is less than min_days {low[line]}: the span runs backwards"))
