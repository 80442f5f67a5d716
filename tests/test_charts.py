"""The charts: each draws the real data, shows imprecise dates as spans, answers to filters and
added events, keeps its labels apart and on the page, and renders byte for byte the same twice."""

from __future__ import annotations

import io
import itertools
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from colour import colour_difference, simulate_colour_blindness  # noqa: E402
from pansec import charts, style  # noqa: E402
from pansec.charts.base import gap_words  # noqa: E402
from pansec.charts.timelines import span_corners  # noqa: E402
from pansec.derive import check_claims, claim_readings, exchange_delays, gap_days  # noqa: E402
from pansec.load import load_chronology  # noqa: E402


@pytest.fixture(scope="module")
def chron():
    return load_chronology()


@pytest.fixture(scope="module")
def figures(chron):
    """Every chart of the book, drawn once from the real data, as the chapters call them."""
    delays = exchange_delays(chron)
    return {
        "timeline": charts.timeline(chron.events, chron.periods),
        "timeline-origins": charts.timeline(chron.events, chron.periods, start="1943", end="1954-10"),
                "delays": charts.delays(delays, chron.events),
        "conditions": charts.conditions_matrix(chron.proposal_conditions, chron.conditions, chron.events),
        "participation": charts.participation(chron.participation.query("event == 'moscow-conference'")),
        "long-road": charts.long_road(chron.events, charts.default_milestones(chron.events)),
        "claims": charts.claims(check_claims(chron)),
        "readings": charts.readings(claim_readings(chron)),
        "response-chain": charts.response_chain(delays, chron.events, "budapest-appeal"),
    }


def by_gid(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj() if (a.get_gid() or "").startswith(prefix)]


def texts(fig: Figure) -> list[Text]:
    """The texts a reader sees: not empty, and not the labels of ticks outside the axis range."""
    hidden = set()
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    hidden.update({id(tick.label1), id(tick.label2)})
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    style.save(fig, buffer, format="png")
    return buffer.getvalue()


# ----------------------------------------------------------------------------- every chart

FIGURES = ["timeline", "timeline-origins", "delays", "conditions", "participation", "long-road", "claims",
           "readings", "response-chain"]


@pytest.mark.parametrize(
    "name",
    FIGURES,
)
def test_chart_renders_the_real_data_to_png(figures, name):
    fig = figures[name]
    assert isinstance(fig, Figure)
    data = png_bytes(fig)
    assert data.startswith(b"\x89PNG")
    assert len(data) > 10_000, "an almost empty image"


@pytest.mark.parametrize(
    "name",
    FIGURES,
)
def test_no_label_leaves_the_page_or_covers_another(figures, name):
    fig = figures[name]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    page = fig.bbox
    boxes = []
    for text in texts(fig):
        box = text.get_window_extent(renderer)
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, f"{text.get_text()!r} runs past the side of the page"
        assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, f"{text.get_text()!r} runs past the top or bottom"
        boxes.append((text.get_text(), box.shrunk(0.96, 0.8)))
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"labels collide: {a!r} and {b!r}"


@pytest.mark.parametrize("name", FIGURES)
def test_every_text_is_at_least_the_books_smallest_size_and_the_figure_its_width(figures, name):
    """At 5.5 in shown 528 CSS px wide (or a 358-px phone column), 11 pt is 14.7 px (10 px)."""
    fig = figures[name]
    assert fig.get_figwidth() == style.FIGURE_WIDTH
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < style.TEXT_SIZE]
    assert not small, f"text under {style.TEXT_SIZE} pt: {small[:3]}"


def test_charts_leave_the_callers_matplotlib_settings_alone(chron):
    before = dict(matplotlib.rcParams)
    charts.claims(check_claims(chron))
    assert dict(matplotlib.rcParams) == before


def test_a_figure_shows_itself_in_a_notebook_at_its_css_width_without_pyplot(figures):
    from IPython.core.formatters import format_display_data

    bundle, metadata = format_display_data(figures["claims"])
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert metadata["image/png"] == {"width": style.FIGURE_WIDTH_PX}, "the width alone, so a phone can scale it"
    png_width = int.from_bytes(bundle["image/png"][16:20], "big")
    assert png_width == 2 * style.FIGURE_WIDTH_PX, "twice the CSS size, sharp on dense screens"


def test_the_agendas_are_a_table_of_words_not_a_picture(chron):
    table = charts.agendas(chron.agenda, name="tab-agendas")
    assert list(table.frame.columns) == ["Topic", "East", "West"]
    assert len(table) == chron.agenda["topic"].nunique()
    assert ":name: tab-agendas" in table._repr_markdown_()
    row = chron.agenda.iloc[0]
    side = style.BLOC_LABELS[row["side"]]
    assert row["position"] in table.frame.set_index("Topic").loc[row["topic"], side]


# ----------------------------------------------------------------------------- timeline


def mark_artists(fig: Figure, panel: str = "event") -> list:
    """The artists that draw a panel's events. The timeline draws marks in bulk, one artist per
    kind and bloc for known days and one per bloc and convention for spans, with the gids
    '<panel>:point:...' and '<panel>:span:...'."""
    return [a for a in fig.findobj() if (a.get_gid() or "").startswith((f"{panel}:point:", f"{panel}:span:"))]


def marks_in(artist) -> int:
    """How many marks one artist draws: the points of a line, the rectangles of a span path."""
    return len(artist.get_xdata()) if isinstance(artist, Line2D) else len(span_corners(artist))


def drawn_marks(fig: Figure, panel: str = "event") -> int:
    return sum(marks_in(a) for a in mark_artists(fig, panel))


def event_marks(fig: Figure, panel: str = "event") -> dict:
    """Each event's mark by id, from the figure's record (``fig.pansec_marks``), once the record is
    checked against the artists: every drawn mark recorded exactly once, nothing recorded undrawn."""
    record = fig.pansec_marks[fig.pansec_marks["panel"] == panel]
    drawn = {(id(a), i) for a in mark_artists(fig, panel) for i in range(marks_in(a))}
    recorded = [(id(a), i) for a, i in zip(record["artist"], record["index"])]
    assert len(recorded) == len(set(recorded)), "a mark recorded twice"
    assert set(recorded) == drawn, "the record and the drawing disagree"
    return {mark.id: mark for mark in record.itertuples()}


def drawn_extent(mark) -> tuple[float, float]:
    """Left and right of a mark as drawn, in date numbers: a point's x twice, a span's rectangle."""
    if isinstance(mark.artist, Line2D):
        x = mark.artist.get_xdata()[mark.index]
        return x, x
    xs = span_corners(mark.artist)[mark.index][:, 0]
    return xs.min(), xs.max()


def hatched(mark) -> bool:
    """Whether a hatch is drawn over this very span: the path that holds its rectangle is hatched,
    and the record says so."""
    drawn = isinstance(mark.artist, PathPatch) and bool(mark.artist.get_hatch())
    assert drawn == mark.hatched, f"{mark.id}: the record and the drawing disagree about the hatch"
    return drawn


def test_timeline_draws_one_mark_per_event(figures, chron):
    marks = event_marks(figures["timeline"])
    assert sorted(marks) == sorted(chron.events["id"])
    assert drawn_marks(figures["timeline"]) == len(chron.events)


def test_timeline_draws_only_the_filtered_events(chron):
    fig = charts.timeline(chron.events, chron.periods, kinds=["proposal"], start="1950", end="1954-12")
    expected = chron.events.query("kind == 'proposal' and start <= '1954-12-31' and end >= '1950-01-01'")
    assert sorted(event_marks(fig)) == sorted(expected["id"])


def test_imprecise_dates_are_spans_and_exact_days_are_points(figures, chron):
    marks = event_marks(figures["timeline"])
    for _, event in chron.events.iterrows():
        name, mark = event["id"], marks[event["id"]]
        left, right = drawn_extent(mark)
        first, last = mdates.date2num(event["start"]), mdates.date2num(event["end"] + pd.Timedelta(days=1))
        if event["precision"] != "day":
            assert isinstance(mark.artist, PathPatch) and hatched(mark), f"{name} should be a hatched span"
            assert right - left > 1, f"{name}: an imprecise date is wider than a day"
            assert left <= first and right >= last, f"{name}: the span must cover every day the date may stand for"
        elif event["end"] > event["start"]:
            assert isinstance(mark.artist, PathPatch) and not hatched(mark), f"{name} lasts days: a solid bar"
            assert left <= first and right >= last, f"{name}: the bar must cover every day of the event"
        else:
            assert isinstance(mark.artist, Line2D) and left == right, f"{name} is one known day"
            assert first < left < first + 1, f"{name}: the point stands on its own day"
        assert mark.artist.get_gid().split(":")[1] == mark.shape


def test_a_month_known_event_is_never_put_on_a_day(chron):
    fig = charts.timeline(chron.events, chron.periods, zoom=False)
    mark = event_marks(fig)["soviet-warns-uk-france"]  # known only as December 1954
    assert isinstance(mark.artist, PathPatch) and hatched(mark)
    left, right = drawn_extent(mark)
    assert right - left >= 31 - 1e-9


def test_adding_an_event_adds_exactly_one_mark(chron):
    before = drawn_marks(charts.timeline(chron.events, chron.periods))
    added = chron.events.iloc[[0]].copy()
    added["id"] = "a-students-event"
    added["date"], added["precision"] = "1962-10", "month"
    added["start"], added["end"] = pd.Timestamp("1962-10-01"), pd.Timestamp("1962-10-31")
    added["year"] = 1962
    events = pd.concat([chron.events, added], ignore_index=True)
    fig = charts.timeline(events, chron.periods)
    assert drawn_marks(fig) == before + 1
    assert "a-students-event" in event_marks(fig)


def test_timeline_draws_in_bulk_so_a_longer_chronology_adds_no_artists(chron):
    copies = [chron.events.assign(id=chron.events["id"] + f"-copy-{i}") for i in range(8)]
    longer = pd.concat([chron.events, *copies], ignore_index=True)
    small, large = (charts.timeline(e, chron.periods, zoom=False) for e in (chron.events, longer))
    assert drawn_marks(large) == 9 * drawn_marks(small)
    assert len(by_gid(large, "event:")) == len(by_gid(small, "event:")), "same kinds and blocs, same artists"


def test_a_long_lane_is_laid_out_in_blocks_in_the_very_rows_of_one_mark_at_a_time():
    """Marks of every width, crowded and sparse, some starting left of the one before, over rows a
    named mark and its name already hold: the block-wise layout must give each mark the same row."""
    import numpy as np

    from pansec.charts.lanes import FEW_MARKS, MARK_BLOCK, Lane

    rng = np.random.default_rng(7)
    count = 3 * MARK_BLOCK + 17
    left = np.sort(np.concatenate([rng.uniform(0, 2, count // 2), rng.uniform(0, 6, count - count // 2)]))
    left[::5] -= rng.uniform(0, 0.1, len(left[::5]))  # a dot centred on its day can start earlier
    left = np.maximum(left, 0.0)
    right = left + rng.choice([0.09, 0.09, 0.02, 0.3, 1.5], count)
    one_by_one, in_blocks = Lane(), Lane()
    for lane in (one_by_one, in_blocks):
        lane.place((1.0, 1.2), (1.25, 2.0), 2, 5)
    expected = [one_by_one.place_mark(a, b, 7) for a, b in zip(left.tolist(), right.tolist())]
    assert count >= FEW_MARKS
    assert in_blocks.place_marks(left, right, 7) == expected
    assert (in_blocks.starts, in_blocks.ends) == (one_by_one.starts, one_by_one.ends)
    assert None in expected and len(set(expected) - {None}) == 8, "crowded enough to fill every row"


def test_a_timeline_draws_events_in_date_order_however_they_come(chron):
    from pansec.charts.timelines import select

    shuffled = chron.events.sample(frac=1, random_state=3)
    tied = chron.events.assign(start=chron.events["start"].min())  # every event on one day: by id
    for events in (chron.events, shuffled, tied, tied.sample(frac=1, random_state=3)):
        shown = select(events)
        order = shown.sort_values(["start", "id"], kind="stable")
        assert shown["id"].tolist() == order["id"].tolist()
    assert select(shuffled).equals(select(chron.events).set_axis(select(shuffled).index))


def test_timeline_enlarges_the_crowded_years_and_names_events_beside_their_marks(figures, chron):
    fig = figures["timeline"]
    zoomed = event_marks(fig, "zoom")
    assert "warsaw-treaty-signed" in zoomed and "soviet-note-1954-11" in zoomed
    assert "helsinki-final-act" not in zoomed
    titles = chron.events.set_index("id")["title"]
    for name in by_gid(fig, "name:"):
        _, panel, event_id = name.get_gid().split(":")
        assert name.get_text() in titles[event_id], "a name is the event's own title, wrapped, never cut"
    assert not any(t.get_text().isdigit() for t in texts(fig) if (t.get_gid() or "").startswith("name:")), "no numbered key"
    named = set(fig.pansec_marks.loc[fig.pansec_marks["named"], "id"])
    assert named and named | set(fig.pansec_unnamed) == set(charts.key_events(chron.events))


def test_the_events_a_timeline_names_are_those_whose_names_it_draws(chron):
    fig = charts.timeline(chron.events, chron.periods, start="1943", end="1954-10")
    drawn = {name.get_gid().split(":")[2] for name in by_gid(fig, "name:")}
    named = charts.named_events(fig)
    assert named and set(named) == drawn and len(named) == len(set(named))


def test_timeline_labels_are_a_parameter(chron):
    fig = charts.timeline(chron.events, chron.periods, labels=["budapest-appeal"], zoom=False)
    shown = [t.get_text() for t in texts(fig)]
    assert any(text.startswith("Budapest Appeal") for text in shown)
    assert not any(text.startswith("Helsinki Final Act") for text in shown)
    with pytest.raises(KeyError, match="no-such-event"):
        charts.timeline(chron.events, chron.periods, labels=["no-such-event"])


def test_a_crowded_timeline_stays_about_a_page_and_lists_the_names_it_left_off(chron):
    copies = [chron.events.assign(id=chron.events["id"] + f"-copy-{i}") for i in range(8)]
    events = pd.concat([chron.events, *copies], ignore_index=True)
    fig = charts.timeline(events, chron.periods)
    assert len(event_marks(fig)) == len(events) == drawn_marks(fig)
    assert fig.pansec_unnamed, "the names that found no room are listed"
    usual = charts.timeline(chron.events, chron.periods).get_figheight()
    assert fig.get_figheight() < 1.8 * usual, "nine times the data, and the figure should stay about a page"


def test_an_event_with_no_lane_is_refused_rather_than_dropped(chron):
    events = chron.events.copy()
    events.loc[events.index[0], "bloc"] = "nonaligned"
    with pytest.raises(ValueError, match="nonaligned"):
        charts.timeline(events, chron.periods)


def test_timeline_with_nothing_to_show_says_so(chron):
    with pytest.raises(ValueError, match="no event"):
        charts.timeline(chron.events, chron.periods, start="1990")


# ----------------------------------------------------------------------------- delays and claims


def test_delays_draw_one_mark_per_link_and_ranges_where_dates_are_imprecise(figures, chron):
    delays = exchange_delays(chron)
    marks = by_gid(figures["delays"], "link:")
    assert len(marks) == len(delays)
    for mark, (_, link) in zip(sorted(marks, key=lambda m: m.get_gid()),
                               delays.assign(g="link:" + delays["from"] + ">" + delays["to"]).sort_values("g").iterrows()):
        assert isinstance(mark, Rectangle if not link["exact"] else Line2D), link["g"]


def test_a_same_day_link_says_same_day(chron):
    delays = exchange_delays(chron).head(3).copy()
    delays.loc[delays.index[0], ["min_days", "max_days"]] = 0
    fig = charts.delays(delays)
    assert "same day" in [t.get_text() for t in texts(fig)]


def test_claims_chart_states_every_verdict(figures, chron):
    checks = check_claims(chron)
    verdicts = [t.get_text().split(" ", 1)[1] for t in by_gid(figures["claims"], "verdict:")]
    assert verdicts == list(checks["verdict"])
    ax = figures["claims"].axes[0]
    left, right = ax.get_xlim()
    assert left < min(0, checks["gap_min"].min()) and right > checks["max_days"].max()


def test_the_readings_chart_marks_each_reading_with_its_verdict(figures, chron):
    readings = claim_readings(chron)
    marks = by_gid(figures["readings"], "reading:")
    assert len(marks) == len(readings)
    drawn = sorted(m.get_gid().split(":", 1)[1] for m in marks)
    expected = sorted(f"{r.claim}:{r.reading}:{r.anchor_title}:{r.verdict}" for r in readings.itertuples())
    assert drawn == expected
    for mark in marks:
        verdict = mark.get_gid().rsplit(":", 1)[1]
        assert mark.get_text() == style.VERDICT_STYLE[verdict]["symbol"]
        assert mark.get_color() == style.VERDICT_STYLE[verdict]["colour"]


# ----------------------------------------------------------------------------- conditions, participation


def cell_marks(fig: Figure) -> pd.DataFrame:
    """The conditions matrix's record of its cells (``fig.pansec_marks``), once checked against the
    drawing: every point of the cell artists recorded exactly once, and nothing recorded undrawn."""
    record = fig.pansec_marks
    drawn = {(id(a), i) for a in by_gid(fig, "cells:") for i in range(len(a.get_xdata()))}
    recorded = [(id(a), i) for a, i in zip(record["artist"], record["index"])]
    assert len(recorded) == len(set(recorded)) == len(drawn) and set(recorded) == drawn
    return record


def test_conditions_matrix_has_a_row_per_proposal_and_shows_the_budapest_drops(figures, chron):
    pairs = chron.proposal_conditions
    cells = cell_marks(figures["conditions"])
    assert len(cells) == pairs["proposal"].nunique() * len(chron.conditions)
    assert not cells.duplicated(["proposal", "condition"]).any()
    dropped = cells[cells["mark"] == "dropped"]
    assert {("budapest-appeal", "us-exclusion"), ("budapest-appeal", "frg-restrictions")} <= set(
        zip(dropped["proposal"], dropped["condition"]))
    assert all(a.get_marker() == "X" for a in cells.loc[cells["mark"].isin(["dropped", "left out"]), "artist"])
    assert all(a.get_marker() == "o" and a.get_markersize() == 9 for a in cells.loc[cells["mark"] == "contains", "artist"])


def test_conditions_matrix_puts_each_mark_in_its_own_row_and_column(figures, chron):
    """A mark drawn in the wrong cell would tell a reader a proposal asked for what it did not."""
    cells = cell_marks(figures["conditions"])
    columns = list(chron.conditions["id"])
    x = [a.get_xdata()[i] for a, i in zip(cells["artist"], cells["index"])]
    assert x == [columns.index(c) + 0.5 for c in cells["condition"]]
    y = [a.get_ydata()[i] for a, i in zip(cells["artist"], cells["index"])]
    rows = pd.Series(y).groupby(cells["proposal"].to_numpy()).agg(["min", "max"])
    assert (rows["min"] == rows["max"]).all(), "one proposal, one row"
    order = chron.events.set_index("id").loc[rows.sort_values("min").index, "start"]
    assert order.is_monotonic_increasing, "proposals in date order"
    said = chron.proposal_conditions.set_index(["proposal", "condition"])["present"]
    marked = dict(zip(zip(cells["proposal"], cells["condition"]), cells["mark"]))
    for pair, present in said.items():
        assert (marked[pair] == "contains") == (present == "yes"), pair
        assert (marked[pair] in ("dropped", "left out")) == (present == "no"), pair


def test_participation_counts_every_invited_state(figures, chron):
    rows = chron.participation.query("event == 'moscow-conference'")
    headers = [t.get_text() for t in texts(figures["participation"]) if t.get_text().endswith(("state)", "states)"))]
    assert sum(int(h.rsplit("(", 1)[1].split()[0]) for h in headers) == rows["count"].sum()
    assert len(by_gid(figures["participation"], "state:")) == rows["count"].sum()


def test_participation_of_two_conferences_asks_for_one(chron):
    two = pd.concat([chron.participation, chron.participation.assign(event="warsaw-conference")])
    with pytest.raises(ValueError, match="more than one event"):
        charts.participation(two)


def test_names_in_any_script_render_without_missing_glyphs(chron):
    rows = chron.participation.query("event == 'moscow-conference'").copy()
    rows.loc[rows.index[0], "label"] = "Союз ССР, Österreich, Władysław"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png_bytes(charts.participation(rows))


# ----------------------------------------------------------------------------- long road, chain


def test_long_road_gaps_are_computed_between_consecutive_milestones(figures, chron):
    milestones = charts.default_milestones(chron.events)
    assert milestones[-1] == "helsinki-final-act"
    assert chron.events.set_index("id").loc[milestones[0], "start"].year == 1954
    gaps = by_gid(figures["long-road"], "gap:")
    assert len(gaps) == len(milestones) - 1
    dates = chron.events.set_index("id")["date"]
    for text in gaps:
        first, second = text.get_gid()[4:].split(">")
        assert text.get_text() == gap_words(*gap_days(dates[first], dates[second]))


def test_long_road_takes_a_teachers_milestones(chron):
    mine = ["paris-agreements-signed", "nato-reykjavik-signal", "helsinki-final-act"]
    fig = charts.long_road(chron.events, mine)
    assert len(by_gid(fig, "milestone:")) == 3
    with pytest.raises(KeyError):
        charts.long_road(chron.events, ["not-an-event"])


def test_response_chain_follows_links_transitively(figures, chron):
    chain = [a.get_gid().split(":")[1] for a in by_gid(figures["response-chain"], "step:")]
    assert chain[0] == "budapest-appeal"
    assert {"csce-preparatory-talks", "csce-helsinki-opens", "helsinki-final-act"} <= set(chain)


def test_response_chain_ends_on_a_cycle(chron):
    delays = exchange_delays(chron)
    loop = delays[delays["from"] == "soviet-note-1954-11"].head(1).copy()
    loop[["from", "to"]] = loop[["to", "from"]].to_numpy()
    fig = charts.response_chain(pd.concat([delays, loop]), chron.events, "soviet-note-1954-11")
    assert len(by_gid(fig, "step:")) < 10


# ----------------------------------------------------------------------------- style


def test_bloc_colours_are_okabe_ito():
    assert set(style.BLOC_COLOURS.values()) <= set(style.OKABE_ITO.values())


@pytest.mark.parametrize("deficiency", ["deuteranopia", "protanopia", "tritanopia"])
def test_bloc_colours_stay_apart_for_colour_blind_readers(deficiency):
    seen = {b: simulate_colour_blindness(c, deficiency) for b, c in style.BLOC_COLOURS.items()}
    for a, b in itertools.combinations(seen, 2):
        assert colour_difference(seen[a], seen[b]) > 15, f"{a} and {b} look alike with {deficiency}"


def test_each_colour_means_one_thing_across_the_book():
    """Bloc colours are for blocs alone: no verdict or attendance takes one of them."""
    others = [v["colour"] for v in style.VERDICT_STYLE.values()] + [
        v["facecolor"] for v in style.ATTENDANCE_STYLE.values()]
    assert not set(others) & set(style.BLOC_COLOURS.values())


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_renders_are_byte_identical(chron, fmt, tmp_path):
    rows = chron.participation.query("event == 'moscow-conference'")
    paths = [style.save(charts.participation(rows), tmp_path / f"{i}.{fmt}") for i in range(2)]
    assert paths[0].read_bytes() == paths[1].read_bytes()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_timelines_of_the_same_data_are_byte_identical(chron, fmt, tmp_path):
    paths = [style.save(charts.timeline(chron.events, chron.periods, start="1954", end="1955-06"),
                        tmp_path / f"{i}.{fmt}") for i in range(2)]
    assert paths[0].read_bytes() == paths[1].read_bytes()
