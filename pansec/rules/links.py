"""Links between rows: ids in ';'-lists, foreign keys, exchanges that run forward in time, claims
whose span runs forward.
"""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path

import numpy

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
                column = table.column(names[0])
                missing = column.filled & (column.found_in(target.column(targets[0])) < 0)
                for line, value in zip(table.frame.index[missing], column.values[missing]):
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
    source_column, target_column = exchanges.column("from"), exchanges.column("to")
    both = source_column.filled & target_column.filled
    sources, targets = source_column.values[both], target_column.values[both]
    lines = exchanges.frame.index.to_numpy()[both]
    itself = sources == targets
    for line, event in zip(lines[itself], targets[itself]):
        problems.append(Problem(exchanges.file, int(line), "to", f"links the event {show(event)} to itself"))
    date = spans.get(("events", "date"))
    ids = events.column("id")  # the ids in the order of their first rows, shared with the other links
    if date is not None and len(ids.index):
        a, b = source_column.found_in(ids)[both], target_column.found_in(ids)[both]
        known = (a >= 0) & (b >= 0)
        a, b = ids.first_rows[a], ids.first_rows[b]  # an id given twice: its first row stands for it
        earlier = known & (date["last"].to_numpy()[b] < date["first"].to_numpy()[a])
        text = events.frame["date"].to_numpy(dtype=object)
        for line, source, target, when_a, when_b in zip(
            lines[earlier], sources[earlier], targets[earlier], text[a[earlier]], text[b[earlier]]
        ):
            problems.append(Problem(
                exchanges.file, int(line), "to",
                f"{show(target)} ({when_b}) is dated before {show(source)} ({when_a}): an event cannot answer, "
                "implement or end one that comes after it",
            ))
    proper = ~itself
    edges = prune_acyclic(sources[proper], targets[proper], lines[proper])
    for cycle, used in find_cycles(edges):
        problems.append(Problem(
            exchanges.file, int(max(used)), "to",
            f"exchanges form a cycle: {' -> '.join(cycle)} (lines {', '.join(map(str, sorted(used)))}); "
            "a chain of responses cannot lead back to where it began",
        ))


def prune_acyclic(sources, targets, lines, rounds: int = 50) -> list[tuple[str, str, int]]:
    """Drop links that cannot lie on a cycle (their source has no incoming link, or their target no
    outgoing one), a few rounds at a time; what remains, usually nothing, goes to Tarjan."""
    for _ in range(rounds):
        answered, answering = set(targets.tolist()), set(sources.tolist())
        keep = numpy.fromiter((s in answered and t in answering for s, t in zip(sources.tolist(), targets.tolist())),
                              dtype=bool, count=len(sources))
        if keep.all():
            break
        sources, targets, lines = sources[keep], targets[keep], lines[keep]
    return list(zip(sources.tolist(), targets.tolist(), lines.tolist()))


def find_cycles(edges: list[tuple[str, str, int]]) -> list[tuple[list[str], list[int]]]:
    """One cycle per strongly connected group of events (Tarjan, iterative), with the lines it uses."""
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
    """A claim's span of days, and each other reading's, must run forward: min_days no larger than max_days."""
    for name in ("claims", "readings"):
        spans = tables.get(name)
        if spans is None or not {"min_days", "max_days"} <= spans.present:
            continue
        low, high = whole_numbers(spans.frame["min_days"]), whole_numbers(spans.frame["max_days"])
        for line in spans.frame.index[(low > high).fillna(False)]:
            problems.append(Problem(spans.file, int(line), "max_days",
                                    f"{high[line]} is less than min_days {low[line]}: the span runs backwards"))
