/* The Explore page's chronology, in the reader's browser (book/_ext/chronology.py writes the markup,
 * the table and the data into the page; this script adds the filters, the timeline and the details).
 *
 * The timeline is drawn with Observable Plot (_static/chronology/plot-d3.min.js): one lane per bloc,
 * each event a mark from the first to the last day it may cover, so that a date known only to the
 * month or the year shows as a pale bar of that month or year, never as a day. Marks that would
 * overlap go to a new row of their lane. Each mark is a link to where the book discusses the event;
 * the timeline is one stop of the Tab key, and the arrow keys move from event to event in date order.
 * Hover, focus or a first tap shows the event in the panel below; a click, Enter or a second tap
 * follows the link. The filters narrow the timeline and the table alike.
 */
(function () {
  "use strict";

  const DAY = 86400000;
  const MARK = 12; // a mark's height, and the width of a one-day mark (px)
  const ROW = 17; // from one row of a lane to the next
  const LANE_LABEL = 18; // room above a lane for its name
  const LANE_GAP = 8;
  const GAP = 3; // the least room between two marks of one row
  const FONT = 12; // px: the chart's text, at every width
  const MARGIN = { top: 22, right: 10, bottom: 26, left: 10 };

  const day = (iso) => new Date(iso + "T00:00:00Z");
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    node.append(...children);
    return node;
  }

  function setUp(root) {
    if (typeof Plot === "undefined" || typeof d3 === "undefined") return; // the table stays, alone
    const data = JSON.parse(root.querySelector(".pansec-chronology-data").textContent);
    const blocs = new Map(data.blocs.map((b) => [b.id, b]));
    const rows = new Map(Array.from(root.querySelectorAll("tbody tr")).map((tr) => [tr.dataset.id, tr]));
    const text = (row, part) => {
      const node = row.querySelector(`.pansec-chronology-${part}`);
      return node ? node.textContent.trim() : "";
    };
    // The dates and categories come from the data; the words from the table, which carries them once.
    const events = data.events.map((e) => {
      const row = rows.get(e.id);
      const link = row.querySelector("a.pansec-chronology-title");
      const event = Object.assign({}, e, {
        title: text(row, "title"),
        when: text(row, "date"),
        precisionWords: text(row, "precision").replace(/^\(|\)$/g, ""),
        summary: text(row, "summary"),
        sources: text(row, "sources"),
        href: link ? link.getAttribute("href") : null,
        where: link ? link.dataset.where : "",
        why: link ? link.dataset.why : "",
        first: day(e.start),
        after: new Date(day(e.end).getTime() + DAY),
      });
      event.words = fold([row.cells[0].textContent, ...Array.from(row.cells[1].children, (c) => c.textContent)].join(" "));
      return event;
    });
    const periods = new Map(
      data.periods.map((p) => [p.id, Object.assign({}, p, { first: day(p.start), after: new Date(day(p.end).getTime() + DAY) })])
    );
    const form = root.querySelector(".pansec-chronology-filters");
    const count = root.querySelector(".pansec-chronology-count");
    const chart = root.querySelector(".pansec-chronology-chart");
    const details = root.querySelector(".pansec-chronology-details");
    const table = root.querySelector(".pansec-chronology-table");
    const summary = table.querySelector("summary");
    const reset = root.querySelector(".pansec-chronology-status button");
    [form, chart, details, reset, root.querySelector(".pansec-chronology-key")].forEach((node) => { node.hidden = false; });
    table.open = false; // the timeline leads; the table is one click away (and open without JavaScript)

    let shown = events;
    let current = null; // the event in the panel, and the timeline's stop for the Tab key
    let pointer = "mouse";
    let shownBefore = null; // the event in the panel when the last tap began
    let drawnWidth = 0;
    let links = new Map();

    function filters() {
      const values = new FormData(form);
      return {
        bloc: values.get("bloc") || "",
        kind: values.get("kind") || "",
        period: values.get("period") || "",
        words: fold(String(values.get("text") || "")).split(/\s+/).filter(Boolean),
      };
    }

    function matches(event, f) {
      return (!f.bloc || event.bloc === f.bloc) && (!f.kind || event.kind === f.kind) &&
        (!f.period || event.periods.includes(f.period)) && f.words.every((word) => event.words.includes(word));
    }

    function update() {
      const f = filters();
      shown = events.filter((event) => matches(event, f));
      const kept = new Set(shown.map((event) => event.id));
      rows.forEach((tr, id) => { tr.hidden = !kept.has(id); });
      const noun = shown.length === 1 ? "event" : "events";
      const period = f.period && periods.get(f.period);
      const within = period ? ` (${period.label}, ${period.when})` : "";
      count.textContent = shown.length === events.length
        ? `All ${events.length} events, ${events[0].start.slice(0, 4)} to ${events[events.length - 1].end.slice(0, 4)}.`
        : shown.length ? `${shown.length} of ${events.length} events match${within}.` : `No event matches these filters (of ${events.length}).`;
      reset.disabled = shown.length === events.length && !f.words.length;
      summary.textContent = shown.length ? `The ${shown.length} ${noun} as a table` : "The table (no event matches)";
      if (current && !kept.has(current.id)) current = null;
      draw();
    }

    function domainOf(f) {
      if (f.period && periods.has(f.period)) {
        const period = periods.get(f.period);
        return [period.first, period.after];
      }
      // Whole years around what is shown, so that the axis reads in years.
      const first = d3.min(shown, (e) => e.first).getUTCFullYear();
      const last = d3.max(shown, (e) => e.after.getTime() - 1);
      return [new Date(Date.UTC(first, 0, 1)), new Date(Date.UTC(new Date(last).getUTCFullYear() + 1, 0, 1))];
    }

    /* Each lane's events in rows, so that no two marks overlap: the first row with room, in date order. */
    function layOut(x) {
      const lanes = [];
      const marks = [];
      let top = MARGIN.top;
      for (const bloc of data.blocs) {
        const mine = shown.filter((e) => e.bloc === bloc.id);
        if (!mine.length) continue;
        lanes.push({ label: bloc.label, y: top });
        const rowEnds = [];
        for (const event of mine) {
          // A span that runs past the period shown (a year begun in it) stops at its edge.
          const [start, end] = x.range();
          let left = Math.max(start, x(event.first));
          let right = Math.min(end, x(event.after));
          if (right - left < MARK) {
            const middle = Math.max(start + MARK / 2, Math.min(end - MARK / 2, (left + right) / 2));
            left = middle - MARK / 2;
            right = middle + MARK / 2;
          }
          let row = rowEnds.findIndex((end) => end + GAP <= left);
          if (row < 0) row = rowEnds.push(-Infinity) - 1;
          rowEnds[row] = right;
          const y = top + LANE_LABEL + row * ROW;
          marks.push({ event, x1: x.invert(left), x2: x.invert(right), y1: y, y2: y + MARK });
        }
        top += LANE_LABEL + rowEnds.length * ROW + LANE_GAP;
      }
      return { lanes, marks, height: top - LANE_GAP + MARGIN.bottom };
    }

    function periodLabels(x, domain) {
      return Array.from(periods.values())
        .filter((p) => p.after > domain[0] && p.first < domain[1])
        .map((p) => {
          const first = Math.max(x(p.first), x(domain[0]));
          const last = Math.min(x(p.after), x(domain[1]));
          const room = last - first - 4;
          const text = [p.label, p.short].find((t) => t.length * FONT * 0.58 <= room) || "";
          return { x1: x.invert(first), x2: x.invert(last), middle: x.invert((first + last) / 2), text };
        });
    }

    function draw() {
      const width = Math.floor(chart.clientWidth);
      drawnWidth = width;
      links = new Map();
      if (!shown.length || width <= 0) {
        chart.replaceChildren();
        return;
      }
      const f = filters();
      const domain = domainOf(f);
      const x = d3.scaleUtc().domain(domain).range([MARGIN.left, width - MARGIN.right]);
      const { lanes, marks, height } = layOut(x);
      const bands = periodLabels(x, domain);
      const colour = { domain: data.blocs.map((b) => b.id), range: data.blocs.map((b) => b.colour) };
      const svg = Plot.plot({
        width,
        height,
        marginTop: MARGIN.top,
        marginRight: MARGIN.right,
        marginBottom: MARGIN.bottom,
        marginLeft: MARGIN.left,
        style: { fontSize: `${FONT}px`, fontFamily: "inherit", background: "transparent", overflow: "visible" },
        ariaLabel: `Timeline of ${shown.length} ${shown.length === 1 ? "event" : "events"}, one lane per bloc`,
        x: { type: "utc", domain, range: [MARGIN.left, width - MARGIN.right] },
        y: { type: "identity", axis: null },
        color: colour,
        opacity: { type: "identity", axis: null },
        marks: [
          Plot.rect(bands.filter((_, i) => i % 2 === 1), {
            x1: "x1", x2: "x2", y1: MARGIN.top - 4, y2: height - MARGIN.bottom, fill: "currentColor", fillOpacity: 0.05, ariaHidden: true,
          }),
          Plot.gridX({ stroke: "currentColor", strokeOpacity: 0.12, ariaHidden: true }),
          Plot.text(bands, { x: "middle", y: MARGIN.top - 12, text: "text", fill: "currentColor", ariaHidden: true }),
          Plot.ruleY(lanes.slice(1), { y: (lane) => lane.y - LANE_GAP / 2, stroke: "currentColor", strokeOpacity: 0.25, ariaHidden: true }),
          Plot.text(lanes, {
            y: (lane) => lane.y + LANE_LABEL / 2 - 1, text: "label", frameAnchor: "left", textAnchor: "start", fontWeight: "bold",
            fill: "currentColor", ariaHidden: true,
          }),
          Plot.rect(marks, {
            x1: "x1", x2: "x2", y1: "y1", y2: "y2", rx: MARK / 2,
            fill: (m) => m.event.bloc, fillOpacity: (m) => (m.event.precision === "day" ? 1 : 0.3),
            stroke: (m) => m.event.bloc, strokeWidth: 1.5,
            href: (m) => m.event.href || undefined,
            ariaLabel: (m) => label(m.event),
            className: "pansec-chronology-events",
          }),
          Plot.axisX({ anchor: "bottom", ticks: Math.max(2, Math.floor(width / 80)), tickSize: 4, ariaLabel: "Time" }),
        ],
      });
      svg.classList.add("pansec-chronology-svg");
      const anchors = svg.querySelectorAll(".pansec-chronology-events a");
      anchors.forEach((a, i) => {
        const event = marks[i].event;
        a.dataset.id = event.id;
        a.setAttribute("tabindex", "-1");
        a.setAttribute("aria-label", label(event));
        links.set(event.id, a);
        a.addEventListener("focus", () => choose(event));
        a.addEventListener("pointerenter", () => show(event));
        // A first tap shows the event; a second (or a click) follows its link. The tap focuses the
        // mark before its click arrives, so what counts is the event shown when the finger went down.
        a.addEventListener("pointerdown", (down) => {
          pointer = down.pointerType || "mouse";
          shownBefore = current;
        });
        a.addEventListener("click", (click) => {
          if (pointer !== "mouse" && shownBefore !== event) {
            click.preventDefault();
            choose(event);
          }
        });
      });
      svg.addEventListener("keydown", onKey);
      chart.replaceChildren(svg);
      roving();
      if (current) mark(current);
    }

    function label(event) {
      const when = event.precisionWords ? `${event.when} (${event.precisionWords})` : event.when;
      return `${event.title}, ${when}. ${blocs.get(event.bloc).label}, ${event.kind}.`;
    }

    /* One stop of the Tab key on the timeline: the current event's mark, else the first. */
    function roving() {
      const stop = (current && links.get(current.id)) || links.get(shown[0] && shown[0].id);
      links.forEach((a) => a.setAttribute("tabindex", a === stop ? "0" : "-1"));
    }

    function onKey(key) {
      const a = key.target.closest && key.target.closest("a");
      if (!a || !links.has(a.dataset.id)) return;
      const here = shown.findIndex((e) => e.id === a.dataset.id);
      const next = {
        ArrowRight: here + 1, ArrowDown: here + 1, ArrowLeft: here - 1, ArrowUp: here - 1, Home: 0, End: shown.length - 1,
      }[key.key];
      if (key.key === "Enter") {
        const event = shown[here];
        if (event && event.href) {
          key.preventDefault();
          window.location.assign(new URL(event.href, window.location.href).href);
        }
        return;
      }
      if (next === undefined) return;
      key.preventDefault();
      const event = shown[Math.max(0, Math.min(shown.length - 1, next))];
      links.get(event.id).focus();
    }

    function choose(event) {
      current = event;
      roving();
      show(event);
    }

    function mark(event) {
      links.forEach((a, id) => a.classList.toggle("is-current", id === event.id));
    }

    function show(event) {
      mark(event);
      const bloc = blocs.get(event.bloc);
      const when = element("p", { class: "pansec-chronology-when" }, event.when);
      if (event.precisionWords) when.append(" ", element("span", { class: "pansec-chronology-precision" }, `(${event.precisionWords})`));
      when.append(` \u00b7 ${bloc.label} \u00b7 ${event.kind}`);
      const parts = [
        element("p", { class: "pansec-chronology-title" }, event.title),
        when,
        element("p", {}, event.summary),
        element("p", { class: "pansec-chronology-sources" }, event.sources),
      ];
      if (event.href) {
        const lead = event.why === "context" ? "Added for context; how such events were chosen: " : "Discussed in ";
        parts.push(element("p", {}, lead, element("a", { href: event.href }, event.where)));
      }
      details.style.setProperty("--bloc", bloc.colour);
      details.replaceChildren(...parts);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", (submit) => submit.preventDefault());
    form.addEventListener("reset", () => window.setTimeout(update, 0));
    if (typeof ResizeObserver !== "undefined") {
      let pending = 0;
      new ResizeObserver(() => {
        window.cancelAnimationFrame(pending);
        pending = window.requestAnimationFrame(() => {
          if (Math.abs(Math.floor(chart.clientWidth) - drawnWidth) >= 1) draw();
        });
      }).observe(chart);
    }
    update();
    root.dataset.ready = "true";
  }

  function start() {
    document.querySelectorAll(".pansec-chronology").forEach((root) => {
      try {
        setUp(root);
      } catch (error) {
        // The table with every event stays: a reader loses the timeline, not the chronology.
        console.error("pansec chronology:", error);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
