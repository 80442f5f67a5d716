"""What the dates imply: gaps between events, the delay of every exchange, a verdict on each of
the paper's phrases about time, and the chain of events that follows a proposal.

Each is derived here and nowhere else: the data store dates, never delays, so an edited date
changes every gap, chart and sentence that depends on it. Gaps are ranges of days wherever a date
is imprecise.
"""

from __future__ import annotations

import pandas as pd

from pansec import dates

VERDICTS = ("borne out", "contradicted", "undecided", "circular")
#: linked() indexes only the events named when they are fewer than one in this many.
FEW_IDS = 8


def gap_days(a: str, b: str) -> tuple[int, int]:
    """Shortest and longest number of days from date a to date b, at any precision.

    From '1954-10' to '1954-11-13' the gap is 13 to 43 days: from the last day of October to
    13 November, and from its first day. Two day-precise dates give the same number twice.
    """
    a_first, a_last = dates.span(a)
    b_first, b_last = dates.span(b)
    return (b_first - a_last).days, (b_last - a_first).days


def gaps(first: pd.Series, second: pd.Series) -> pd.DataFrame:
    """Vectorised :func:`gap_days` for two aligned columns of dates; NA where either is empty."""
    a, b = dates.spans(first), dates.spans(second)
    return pd.DataFrame(
        {
            "min_days": (b["first"] - a["last"]).dt.days.astype("Int64"),
            "max_days": (b["last"] - a["first"]).dt.days.astype("Int64"),
        },
        index=first.index,
    )


def linked(events: pd.DataFrame, *ids: pd.Series) -> list[pd.DataFrame]:
    """For each column of ids, the events it names, one row per id in its order (all NA for an
    unknown id); the events are indexed by id once for all the columns."""
    asked = sum(len(column) for column in ids)
    if asked * FEW_IDS < len(events):
        # A few ids (the claims name a dozen events among 100,000): their rows are found in one pass
        # over the ids, and only those rows are indexed, rather than every event.
        events = events[events["id"].isin(pd.concat(ids, ignore_index=True))]
    index = pd.Index(events["id"])
    if not index.is_unique:
        events = events.drop_duplicates("id")
        index = pd.Index(events["id"])
    found = []
    for column in ids:
        positions = index.get_indexer(column)
        if (positions < 0).any():
            found.append(events.set_index("id").reindex(column).reset_index(drop=True))
        else:
            found.append(events.take(positions).reset_index(drop=True))
    return found


def exchange_delays(chron) -> pd.DataFrame:
    """One row per exchange: the two events, their dates, and the delay between them as a range.

    The delay runs from the date of the earlier event to the date of the later one (each event's
    first date, not its end_date). ``exact`` is true when both dates are days, so the range is one number.
    """
    links = chron.exchanges
    first, second = linked(chron.events[["id", "title", "date"]], links["from"], links["to"])
    found = gaps(first["date"].astype("str"), second["date"].astype("str"))
    result = pd.DataFrame(
        {
            "from": links["from"].to_numpy(),
            "to": links["to"].to_numpy(),
            "relation": links["relation"].to_numpy(),
            "from_title": first["title"].to_numpy(),
            "to_title": second["title"].to_numpy(),
            "from_date": first["date"].to_numpy(),
            "to_date": second["date"].to_numpy(),
            "min_days": found["min_days"].astype("int64").to_numpy(),
            "max_days": found["max_days"].astype("int64").to_numpy(),
        }
    )
    result["exact"] = result["min_days"] == result["max_days"]
    return result


def judge(low: pd.Series, high: pd.Series, allowed_low: pd.Series, allowed_high: pd.Series) -> pd.Series:
    """'borne out' when the whole gap lies within the allowed span, 'contradicted' when none of it
    does, 'undecided' when the dates are too coarse to tell; NA when the gap is unknown."""
    within = (low >= allowed_low) & (high <= allowed_high)
    apart = (high < allowed_low) | (low > allowed_high)
    verdict = pd.Series("undecided", index=low.index, dtype="str")
    verdict[within.fillna(False).astype(bool)] = "borne out"
    verdict[apart.fillna(False).astype(bool)] = "contradicted"
    return verdict.where(low.notna() & high.notna())


def check_claims(chron) -> pd.DataFrame:
    """Each of the paper's phrases about time set against the gap the dates give.

    Two gaps per claim: by the data's dates (``gap_min``/``gap_max``, judged in ``verdict``) and
    by the paper's own dates (``paper_gap_min``/``paper_gap_max``, judged in ``paper_verdict``; NA
    where the paper dates either event nowhere). The verdict is 'circular' when either date was
    itself inferred from a relative phrase of the paper (date_basis 'relative'): the check would
    only find the reading it started from. The paper's own dates are stated, never inferred, so
    ``paper_verdict`` is never circular.
    """
    claims = chron.claims.reset_index(drop=True)
    dated = chron.events[["id", "date", "paper_date", "date_basis"]]
    first, second = linked(dated, claims["from_event"], claims["to_event"])
    by_data = gaps(first["date"].astype("str"), second["date"].astype("str"))
    by_paper = gaps(first["paper_date"].astype("str"), second["paper_date"].astype("str"))
    allowed_low, allowed_high = claims["min_days"], claims["max_days"]
    result = claims.assign(
        from_date=first["date"],
        to_date=second["date"],
        gap_min=by_data["min_days"].astype("int64"),
        gap_max=by_data["max_days"].astype("int64"),
        from_paper_date=first["paper_date"],
        to_paper_date=second["paper_date"],
        paper_gap_min=by_paper["min_days"],
        paper_gap_max=by_paper["max_days"],
    )
    verdict = judge(result["gap_min"], result["gap_max"], allowed_low, allowed_high)
    relative = (first["date_basis"] == "relative") | (second["date_basis"] == "relative")
    result["verdict"] = verdict.mask(relative.to_numpy(), "circular")
    result["paper_verdict"] = judge(result["paper_gap_min"], result["paper_gap_max"], allowed_low, allowed_high)
    return result


def claim_readings(chron) -> pd.DataFrame:
    """Each phrase about time under every fair reading: ours (claims.csv) and the stricter, looser
    or otherwise anchored ones of readings.csv, each with the gap the data give and its verdict.

    One row per claim and reading, claims in the order of claims.csv and ours first.
    ``anchor`` is the event the gap is counted from; ``default_anchor`` is false where that is not
    the claim's own ``from_event``. A reading inherits the claim's 'circular' verdict when a date
    it rests on was inferred from the paper's own words.
    """
    claims = chron.claims.reset_index(drop=True)
    readings = chron.readings.reset_index(drop=True)
    own = claims.set_index("id")["from_event"]
    ours = pd.DataFrame({"claim": claims["id"], "reading": "ours", "anchor": claims["from_event"],
                         "min_days": claims["min_days"], "max_days": claims["max_days"]})
    given = readings["anchor"].fillna("")
    others = readings.assign(anchor=given.where(given != "", readings["claim"].map(own)))
    frame = pd.concat([ours, others[ours.columns]], ignore_index=True)
    frame = frame.merge(claims[["id", "phrase", "section", "to_event"]], left_on="claim", right_on="id").drop(
        columns="id")
    dated = chron.events[["id", "date", "title", "date_basis"]]
    first, second = linked(dated, frame["anchor"], frame["to_event"])
    found = gaps(first["date"].astype("str"), second["date"].astype("str"))
    frame["gap_min"], frame["gap_max"] = found["min_days"].astype("int64"), found["max_days"].astype("int64")
    verdict = judge(frame["gap_min"], frame["gap_max"], frame["min_days"], frame["max_days"])
    relative = (first["date_basis"] == "relative") | (second["date_basis"] == "relative")
    frame["verdict"] = verdict.mask(relative.to_numpy(), "circular")
    frame["default_anchor"] = (frame["anchor"] == frame["claim"].map(own)).to_numpy()
    frame["anchor_title"] = first["title"].to_numpy()
    order = frame["claim"].map({claim: i for i, claim in enumerate(claims["id"])})
    rank = frame["reading"].map({"ours": 0, "strict": 1, "loose": 2})
    return frame.assign(_order=order, _other=~frame["default_anchor"], _rank=rank).sort_values(
        ["_order", "_other", "_rank"], kind="stable").drop(columns=["_order", "_other", "_rank"]).reset_index(drop=True)


def reading_summary(claim_readings: pd.DataFrame) -> pd.DataFrame:
    """Per claim: its verdict on our reading, and whether every fair reading agrees with it.

    ``robust`` is true when every reading (and every anchor) gives the same verdict as ours;
    ``looser_only`` when ours fails but some looser reading bears the phrase out, so the fair
    word is 'looser than stated' rather than 'wrong'.
    """
    ours = claim_readings[(claim_readings["reading"] == "ours") & claim_readings["default_anchor"]].set_index("claim")
    grouped = claim_readings.groupby("claim", sort=False)["verdict"]
    same = grouped.agg(lambda v: v.nunique() == 1)
    borne_somewhere = grouped.agg(lambda v: (v == "borne out").any())
    summary = pd.DataFrame({"phrase": ours["phrase"], "verdict": ours["verdict"],
                            "readings": grouped.size(), "robust": same})
    summary["looser_only"] = (summary["verdict"] == "contradicted") & borne_somewhere
    return summary.reset_index()


def downstream(exchange_delays: pd.DataFrame, root: str) -> pd.DataFrame:
    """The links that follow an event: the exchanges it set off, and theirs, in reading order.

    Depth first, each event's links by the date of what answered it (then its id), so that a
    chain reads as a story; ``depth`` is 1 for a link from ``root``. An event reached a second
    time (two paths meet) gets its link again but is not followed again, so a cycle ends. Takes
    the rows of :func:`exchange_delays` (or any frame with ``from``, ``to`` and ``to_date``).
    """
    exchange_delays = exchange_delays.reset_index(drop=True)  # positions, whatever the caller's index
    first_day = dates.spans(exchange_delays["to_date"].astype("str"))["first"]
    ordered = exchange_delays.assign(_first=first_day.to_numpy()).sort_values(["_first", "to"], kind="stable")
    following = {source: rows.index.tolist() for source, rows in ordered.groupby("from", sort=False)}
    chosen: list[int] = []
    depths: list[int] = []
    expanded = {root}
    stack = [(index, 1) for index in reversed(following.get(root, []))]
    while stack:
        index, depth = stack.pop()
        chosen.append(index)
        depths.append(depth)
        target = exchange_delays.at[index, "to"]
        if target not in expanded:
            expanded.add(target)
            stack.extend((after, depth + 1) for after in reversed(following.get(target, [])))
    return exchange_delays.loc[chosen].assign(depth=depths)
