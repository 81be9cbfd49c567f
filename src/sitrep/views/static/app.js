// sitrep dashboard. Plain browser JavaScript, no build step, no network beyond this server.
// Every piece of data from articles is hostile: the DOM is built with createElement and
// textContent only (never innerHTML), and links are followed only for http(s) URLs.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TYPE_COLOURS = {
  ASSAULT: "#7b241c", COERCE: "#a93226", SANCTION: "#cb4335", MOBILIZE: "#e67e22",
  PROTEST: "#f39c12", THREATEN: "#d35400", REJECT: "#b9770e", ACCUSE: "#f1c40f",
  REQUEST: "#95a5a6", RETREAT: "#76d7c4", CONCEDE: "#48c9b0", AID: "#1abc9c",
  COOPERATE: "#2e86c1", SUPPORT: "#5dade2", CONSULT: "#7fb3d5", AGREE: "#2874a6",
};
// `period`: the days the timeline spans (the publication dates of the selection, or its
// since/until), which the escalation chart shows too.
const state = { offset: 0, limit: 50, total: 0, place: null, alerts: [], period: null };

// --- small DOM helpers (text only) -------------------------------------------------------
function el(tag, cls, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
function svg(tag, attrs, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.append(node);
  return node;
}
function tooltip(node, text) { svg("title", {}, node).textContent = text; }
function clear(node) { while (node.firstChild) node.firstChild.remove(); }
function status(text) { document.getElementById("status").textContent = text; }

async function api(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
  }
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function filters() {
  const form = new FormData(document.getElementById("filters"));
  const out = {};
  for (const [k, v] of form.entries()) if (v) out[k] = k === "country" ? v.toUpperCase() : v;
  return out;
}

// --- article viewer: the record's span highlighted ----------------------------------------
async function openArticle(id, start, end) {
  const article = await api("/api/articles/" + encodeURIComponent(id));
  const panel = document.getElementById("article");
  document.getElementById("article-title").textContent = article.title || article.id;
  document.getElementById("article-meta").textContent =
    [article.outlet, article.published, "article " + article.id].filter(Boolean).join(" · ");
  const link = document.getElementById("article-url");
  link.textContent = article.url || "";
  link.removeAttribute("href");
  if (article.url && /^https?:\/\//i.test(article.url)) link.setAttribute("href", article.url);
  const text = document.getElementById("article-text");
  clear(text);
  const body = article.text || "";
  if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= body.length) {
    const mark = el("mark", null, body.slice(start, end));
    text.append(body.slice(0, start), mark, body.slice(end));
    panel.hidden = false;
    mark.scrollIntoView({ block: "center" });
  } else {
    text.append(body);
    panel.hidden = false;
  }
  history.replaceState(null, "", `#article=${encodeURIComponent(id)}&start=${start}&end=${end}`);
}
function closeArticle() {
  document.getElementById("article").hidden = true;
  history.replaceState(null, "", window.location.pathname);
}

// --- timeline: events per day stacked by type ---------------------------------------------
function days(first, last) {
  const out = [];
  const d = new Date(first + "T00:00:00Z");
  const end = new Date(last + "T00:00:00Z");
  while (d <= end && out.length < 3700) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
// Days before and after the period: events the news of the selection dates outside it
// (a plan for next autumn, a date misread), counted in a note instead of stretching the axis.
function outsideNote(rows, period) {
  const before = rows.filter((r) => r.day < period.first);
  const after = rows.filter((r) => r.day > period.last);
  const events = (rs) => {
    const n = rs.reduce((s, r) => s + r.events, 0);
    return `${n} event${n === 1 ? "" : "s"}`;
  };
  const parts = [];
  if (before.length) parts.push(`${events(before)} dated before ${period.first} (earliest ${before[0].day})`);
  if (after.length) parts.push(`${events(after)} dated after ${period.last} (latest ${after[after.length - 1].day})`);
  return parts.length ? `Not drawn, outside the period: ${parts.join("; ")}.` : "";
}
async function drawTimeline() {
  const data = await api("/api/timeseries", { ...filters(), by: "type" });
  const chart = document.getElementById("timeline");
  clear(chart);
  const legend = document.getElementById("legend");
  clear(legend);
  const note = document.getElementById("timeline-note");
  const rows = data.items;
  const period = data.period && data.period.first && data.period.last ? data.period : null;
  state.period = period;
  note.textContent = period ? outsideNote(rows, period) : "";
  if (!rows.length || !period) { svg("text", { x: 10, y: 20, class: "axis" }, chart).textContent = "no dated events"; return; }
  const span = days(period.first, period.last);
  chart.dataset.first = span[0];
  chart.dataset.last = span[span.length - 1];
  const byDay = new Map(span.map((d) => [d, []]));
  for (const r of rows) if (byDay.has(r.day)) byDay.get(r.day).push(r);
  const max = Math.max(1, ...[...byDay.values()].map((rs) => rs.reduce((s, r) => s + r.events, 0)));
  const W = chart.clientWidth || 900, H = chart.clientHeight || 220, L = 30, B = 20;
  chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const bw = (W - L - 5) / span.length;
  for (let t = 0; t <= max; t += Math.max(1, Math.ceil(max / 4))) {
    const y = H - B - (t / max) * (H - B - 10);
    svg("line", { x1: L, x2: W, y1: y, y2: y, class: "gridline" }, chart);
    svg("text", { x: L - 4, y: y + 3, "text-anchor": "end", class: "axis" }, chart).textContent = t;
  }
  span.forEach((day, i) => {
    let y = H - B;
    for (const r of byDay.get(day).sort((a, b) => a.key.localeCompare(b.key))) {
      const h = (r.events / max) * (H - B - 10);
      const bar = svg("rect", {
        x: L + i * bw + 0.5, y: y - h, width: Math.max(1, bw - 1), height: h,
        fill: TYPE_COLOURS[r.key] || "#888", class: "bar", "data-day": day,
      }, chart);
      tooltip(bar, `${day}: ${r.events} ${r.key} (intensity ${r.intensity})`);
      bar.addEventListener("click", () => { setDay(day); });
      y -= h;
    }
  });
  const ticks = Math.min(span.length, 8);
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k * (span.length - 1)) / Math.max(1, ticks - 1));
    // The period's first and last day are labelled inside the chart, not cut at its edges.
    const edge = ticks > 1 && k === 0 ? "start" : ticks > 1 && k === ticks - 1 ? "end" : "middle";
    const x = { start: L + i * bw, middle: L + i * bw + bw / 2, end: L + (i + 1) * bw }[edge];
    svg("text", { x, y: H - 5, "text-anchor": edge, class: "axis" }, chart).textContent = span[i];
  }
  for (const type of [...new Set(rows.map((r) => r.key))].sort()) {
    const sw = el("span", "swatch");
    sw.style.background = TYPE_COLOURS[type] || "#888";
    legend.append(el("span", null, sw, type));
  }
}
function setDay(day) {
  const form = document.getElementById("filters");
  form.elements.since.value = day;
  form.elements.until.value = day;
  refresh();
}

// --- map: bundled Natural Earth boundaries, equirectangular, fitted to the places ----------
let world = null;
async function drawMap() {
  if (!world) {
    const topo = await (await fetch("/static/vendor/world-atlas/countries-50m.json")).json();
    world = topojson.feature(topo, topo.objects.countries).features;
  }
  const data = await api("/api/places", { ...filters(), limit: 1000 });
  const map = document.getElementById("map");
  clear(map);
  const places = data.items;
  let [w, s, e, n] = [-180, -60, 180, 80];
  if (places.length) {
    const lons = places.map((p) => p.lon), lats = places.map((p) => p.lat);
    w = Math.min(...lons); e = Math.max(...lons); s = Math.min(...lats); n = Math.max(...lats);
    const pad = Math.max(4, (e - w) * 0.25, (n - s) * 0.25);
    w -= pad; e += pad; s -= pad; n += pad;
  }
  const W = map.clientWidth || 600, H = map.clientHeight || 360;
  const k = Math.cos(((s + n) / 2) * Math.PI / 180);  // keep shapes right at this latitude
  const scale = Math.min(W / ((e - w) * k), H / (n - s));
  const cx = (w + e) / 2, cy = (s + n) / 2;
  const project = (lon, lat) => [W / 2 + (lon - cx) * k * scale, H / 2 - (lat - cy) * scale];
  map.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const ring = (coords) => coords.map((c, i) => {
    const [x, y] = project(c[0], c[1]);
    return `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
  }).join("") + "Z";
  for (const f of world) {
    const g = f.geometry;
    if (!g) continue;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    const path = svg("path", { d: polys.map((p) => p.map(ring).join("")).join(""), class: "country" }, map);
    tooltip(path, f.properties && f.properties.name ? f.properties.name : "");
  }
  const max = Math.max(1, ...places.map((p) => p.events));
  for (const p of places) {
    const [x, y] = project(p.lon, p.lat);
    const c = svg("circle", { cx: x, cy: y, r: 4 + 14 * Math.sqrt(p.events / max), class: "place" }, map);
    if (samePlace(state.place, p)) c.classList.add("selected");
    tooltip(c, `${p.name} (${p.country || "?"}): ${p.events} events — ${p.types.join(", ")}`);
    c.addEventListener("click", () => { state.place = p; state.offset = 0; drawEvents(); drawMap(); });
  }
  document.getElementById("place-filter").textContent =
    state.place ? `Events table shows: ${state.place.name} (click a place again to change)` : "";
}

function samePlace(a, b) {
  return Boolean(a && b) && a.name === b.name && a.lat === b.lat && a.lon === b.lon;
}

// --- escalation chart and alerts -------------------------------------------------------------
async function loadPairs() {
  const data = await api("/api/pairs", { limit: 40 });
  const select = document.getElementById("pair");
  const chosen = select.value;
  clear(select);
  for (const p of data.items) {
    const option = el("option", null, `${p.source_country} → ${p.target_country} (${p.score})`);
    option.value = `${p.source_country}>${p.target_country}`;
    select.append(option);
  }
  if (chosen && data.items.some((p) => `${p.source_country}>${p.target_country}` === chosen)) {
    select.value = chosen;
  }
}
function dayNumber(day) { return Date.parse(day + "T00:00:00Z") / 86400000; }
async function drawEscalation() {
  const chart = document.getElementById("escalation");
  clear(chart);
  const value = document.getElementById("pair").value;
  if (!value) return;
  const [source, target] = value.split(">");
  // The timeline's period: the server cuts the series (its baseline still reads the days
  // before) and the alerts to it, and the x-axis spans it, aligned with the timeline.
  const period = state.period;
  const data = await api("/api/escalation",
    { source, target, since: period && period.first, until: period && period.last });
  const pts = data.series;
  if (!pts.length) {
    svg("text", { x: 10, y: 20, class: "axis" }, chart).textContent = "no events of this pair in the period";
    return;
  }
  const W = chart.clientWidth || 600, H = chart.clientHeight || 200, L = 34, B = 18;
  chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const first = period ? period.first : pts[0].day, last = period ? period.last : pts[pts.length - 1].day;
  chart.dataset.first = first;
  chart.dataset.last = last;
  const vals = pts.flatMap((p) => [p.score, p.baseline]);
  const lo = Math.min(0, ...vals), hi = Math.max(1, ...vals);
  const days0 = dayNumber(first), width = dayNumber(last) - days0;
  const xDay = (day) => L + (width <= 0 ? (W - L) / 2 : ((dayNumber(day) - days0) * (W - L - 8)) / width);
  const x = (i) => xDay(pts[i].day);
  const y = (v) => H - B - ((v - lo) / (hi - lo)) * (H - B - 10);
  svg("line", { x1: L, x2: W, y1: y(0), y2: y(0), class: "gridline" }, chart);
  svg("text", { x: L - 4, y: y(hi) + 4, "text-anchor": "end", class: "axis" }, chart).textContent = hi.toFixed(0);
  svg("text", { x: L - 4, y: y(lo) + 4, "text-anchor": "end", class: "axis" }, chart).textContent = lo.toFixed(0);
  const line = (key) => pts.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
  svg("polyline", { points: line("baseline"), class: "baseline-line" }, chart);
  svg("polyline", { points: line("score"), class: "score-line" }, chart);
  pts.forEach((p, i) => {
    if (!p.events) return;
    const dot = svg("circle", { cx: x(i), cy: y(p.score), r: 2.5, fill: "#c0392b" }, chart);
    tooltip(dot, `${p.day}: score ${p.score}, baseline ${p.baseline}, z ${p.z}`);
  });
  const index = new Map(pts.map((p, i) => [p.day, i]));
  for (const a of data.alerts) {
    const i = index.get(a.day);
    if (i === undefined) continue;
    const px = x(i), py = 6;
    const m = svg("path", { d: `M${px - 6},${py} L${px + 6},${py} L${px},${py + 10}Z`, class: "alert-marker" }, chart);
    tooltip(m, `${a.title}: ${a.why}`);
    m.addEventListener("click", () => showEvidence(a));
  }
  svg("text", { x: L, y: H - 3, class: "axis day" }, chart).textContent = first;
  svg("text", { x: W - 4, y: H - 3, "text-anchor": "end", class: "axis day" }, chart).textContent = last;
}
function showEvidence(alert) {
  const e = alert.evidence[0];
  if (e) openArticle(e.article_id, e.sentence_start, e.sentence_end);
}
async function drawAlerts() {
  const data = await api("/api/alerts", { limit: 100 });
  const list = document.getElementById("alerts");
  clear(list);
  if (!data.items.length) list.append(el("li", "muted", "no alerts"));
  for (const a of data.items) {
    const li = el("li", null, el("strong", null, `${a.day} `), a.title,
      el("span", "badge alert", a.kind === "escalation" ? `P ${a.probability}, ${a.outlets.length} sources` : `${a.events} events`),
      el("div", "why", a.why));
    for (const e of a.evidence.slice(0, 3)) {
      const ev = el("div", "evidence", `${e.type} (${e.factuality}) — ${e.outlet || "?"}, ${e.published || "?"}`);
      ev.addEventListener("click", () => openArticle(e.article_id, e.sentence_start, e.sentence_end));
      li.append(ev);
    }
    list.append(li);
  }
}

// --- stories, quotes, events -----------------------------------------------------------------
async function drawStories() {
  const data = await api("/api/stories", { since: filters().since, until: filters().until, limit: 200 });
  const body = document.querySelector("#stories tbody");
  clear(body);
  const select = document.querySelector("#filters select[name=story]");
  const chosen = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const s of data.items) {
    const row = el("tr", null, el("td", null, s.title || s.story_id),
      el("td", null, `${s.first_seen || "?"} – ${s.last_seen || "?"}`), el("td", null, s.articles),
      el("td", null, (s.outlets || []).join(", ")), el("td", null, s.events),
      el("td", null, s.reports), el("td", null, s.independent_sources));
    row.addEventListener("click", () => { select.value = s.story_id; refresh(); });
    body.append(row);
    const option = el("option", null, (s.title || s.story_id).slice(0, 60));
    option.value = s.story_id;
    select.append(option);
  }
  select.value = chosen;
}
let quoteRows = [];
async function loadQuotes() {
  const f = filters();
  const data = await api("/api/quotes", { actor: f.actor, country: f.country, since: f.since,
    until: f.until, story: f.story, limit: 1000 });
  quoteRows = data.items;
  drawQuotes();
}
function drawQuotes() {
  const body = document.querySelector("#quotes tbody");
  clear(body);
  const needle = document.getElementById("quote-search").value.toLowerCase();
  const stateOnly = document.getElementById("quote-state").checked;
  const hedgedOnly = document.getElementById("quote-hedged").checked;
  for (const q of quoteRows) {
    const hay = [q.speaker, q.outlet, q.content, ...q.via.map((v) => v.name)].join(" ").toLowerCase();
    if (needle && !hay.includes(needle)) continue;
    if (stateOnly && !q.state_media) continue;
    if (hedgedOnly && !q.hedged) continue;
    const via = el("td");
    q.via.forEach((v, i) => {
      via.append(i ? " → " : "", v.name || "?");
      if (v.state_media) via.append(el("span", "badge state", "state media"));
    });
    const speaker = el("td", null, q.speaker || "unattributed");
    if (q.hedged) speaker.append(el("span", "badge hedged", "hedged"));
    const row = el("tr", null, el("td", null, q.published || ""), speaker, via,
      el("td", null, `“${q.content}”`), el("td", null, q.outlet || ""));
    row.addEventListener("click", () => openArticle(q.article_id, q.content_start, q.content_end));
    body.append(row);
  }
}
async function drawEvents() {
  const params = { ...filters(), limit: state.limit, offset: state.offset,
    order: document.getElementById("events-order").value };
  if (document.getElementById("mentions").checked) params.mentions = "true";
  // A place's events come from the server, every page of them (a place row only carries
  // its count and latest ids): the same filters plus the place's name and coordinates.
  if (state.place) Object.assign(params, { place: state.place.name, lat: state.place.lat, lon: state.place.lon });
  const data = await api("/api/events", params);
  const items = data.items;
  state.total = data.total;
  const body = document.querySelector("#events tbody");
  clear(body);
  for (const e of items) {
    const day = el("td", null, e.day || e.date || "");
    if (e.timing === "background") day.append(el("span", "badge background", "background"));
    if (isNew(e.first_stored)) day.append(el("span", "badge new", "new"));
    const row = el("tr", null, day,
      el("td", null, e.type, e.mode ? ` (${e.mode})` : ""), el("td", null, e.factuality),
      el("td", null, e.source || ""), el("td", null, e.target || ""), el("td", null, e.place || ""),
      el("td", null, e.trigger || ""),
      el("td", null, e.reports === undefined ? "" : `${e.reports} / ${e.independent_sources}`),
      el("td", null, e.outlet || ""));
    row.title = e.sentence || "";
    if (isNew(e.first_stored)) row.classList.add("new");
    row.addEventListener("click", () => openArticle(e.article_id, e.sentence_start, e.sentence_end));
    body.append(row);
  }
  document.getElementById("events-count").textContent =
    `${data.total} ${params.mentions ? "mentions" : "events"}` +
    (params.timing === "all" ? " (with background)" : "") +
    (state.place ? ` at ${state.place.name}` : "");
  document.getElementById("page").textContent =
    `${data.total ? state.offset + 1 : 0}–${Math.min(state.offset + state.limit, data.total)}`;
}

async function refresh() {
  state.offset = 0;
  status("loading…");
  try {
    await Promise.all([drawTimeline(), drawMap(), drawEvents(), loadQuotes(), drawStories()]);
    await drawEscalation();  // over the period the timeline found
    status("");
  } catch (err) {
    status("error: " + err.message);
  }
}

function showStats(stats) {
  document.getElementById("range").textContent =
    `${stats.counts.articles} articles · ${stats.counts.canonical_events} events · ` +
    `published ${stats.first_published || "?"} to ${stats.last_published || "?"}`;
  const typeSelect = document.querySelector("#filters select[name=type]");
  const listed = new Set([...typeSelect.options].map((o) => o.value));
  for (const t of stats.types) {
    if (listed.has(t)) continue;
    const o = el("option", null, t);
    o.value = t;
    typeSelect.append(o);
  }
}

// --- live: new data without a reload, and what is new since the last visit ----------------
// The dashboard polls /api/stats (a cheap, cached answer) and redraws its views in place
// when the store's version moves with its counts or newest ingest, keeping the filters,
// the page and the scroll position.
// "New" is measured on the store's clock: `seenUntil` is the newest ingest time
// (/api/stats last_ingested) the analyst has marked as seen, kept in this browser.
const SEEN_KEY = "sitrep.seenUntil";
const EPOCH = "1970-01-01T00:00:00";
const live = {
  version: null, content: null, latest: null, seenUntil: null, checking: false, failed: false,
};

// Ingest times are ISO strings of one format from one clock: they compare as text.
function isNew(stored) {
  return Boolean(stored) && live.seenUntil !== null && stored > live.seenUntil;
}
function loadSeen(stats) {
  let kept = null;
  try { kept = window.localStorage.getItem(SEEN_KEY); } catch (err) { kept = null; }
  // A first visit starts from what the store holds now: marking all of it "new" says nothing.
  live.seenUntil = kept !== null ? kept : (stats.last_ingested || EPOCH);
  if (kept === null) saveSeen();
}
function saveSeen() {
  try { window.localStorage.setItem(SEEN_KEY, live.seenUntil); } catch (err) { /* private mode */ }
}
async function drawNewCount() {
  const box = document.getElementById("new-since");
  const latest = live.latest;
  if (!latest || !(latest > live.seenUntil)) { box.hidden = true; return; }
  const found = await api("/api/new", { since: live.seenUntil });
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  document.getElementById("new-count").textContent =
    `${plural(found.events, "new event")} (${plural(found.articles, "article")}) since your last visit`;
  box.hidden = false;
}
async function markSeen() {
  if (live.latest) live.seenUntil = live.latest;
  saveSeen();
  document.getElementById("new-since").hidden = true;
  await drawEvents();
}
// Redraw every view with the current filters, page and chosen pair (not refresh(), which
// starts the events table over at its first page).
async function update() {
  const [x, y] = [window.scrollX, window.scrollY];
  await Promise.all([drawTimeline(), drawMap(), drawEvents(), loadQuotes(), drawStories(),
    drawAlerts(), loadPairs()]);
  await drawEscalation();
  await drawNewCount();
  window.scrollTo(x, y);
}
function contentOf(stats) { return JSON.stringify([stats.counts, stats.last_ingested]); }
async function checkForNews() {
  if (document.hidden || live.checking) return;  // a hidden tab asks nothing
  live.checking = true;
  try {
    const stats = await api("/api/stats");
    if (live.failed) status("");
    live.failed = false;
    if (stats.version !== live.version) {
      live.version = stats.version;
      // A watcher writes its sources' state at every poll, news or not: redraw only when
      // what the views show may differ (rows counted, newest ingest).
      if (contentOf(stats) !== live.content) {
        live.content = contentOf(stats);
        live.latest = stats.last_ingested;
        showStats(stats);
        await update();
      }
      document.body.dataset.version = live.version;
    }
  } catch (err) {
    live.failed = true;
    status("could not check for new data (trying again): " + err.message);  // 503: busy
  } finally {
    live.checking = false;
  }
}
function startLive(stats) {
  live.version = stats.version;
  live.content = contentOf(stats);
  live.latest = stats.last_ingested;
  loadSeen(stats);
  document.getElementById("mark-seen").addEventListener("click", () => {
    markSeen().catch((err) => status("error: " + err.message));
  });
  // Marked seen in another tab of this dashboard: this one follows.
  window.addEventListener("storage", (ev) => {
    if (ev.key !== SEEN_KEY || ev.newValue === null) return;
    live.seenUntil = ev.newValue;
    Promise.all([drawEvents(), drawNewCount()]).catch((err) => status("error: " + err.message));
  });
  const every = Number(stats.poll_seconds);
  if (!(every > 0)) return;
  window.setInterval(checkForNews, every * 1000);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) checkForNews(); });
}

async function start() {
  const stats = await api("/api/stats");
  showStats(stats);
  startLive(stats);
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); state.place = null; refresh(); });
  form.addEventListener("reset", () => { state.place = null; setTimeout(refresh, 0); });
  document.getElementById("mentions").addEventListener("change", () => { state.offset = 0; drawEvents(); });
  document.getElementById("events-order").addEventListener("change", () => { state.offset = 0; drawEvents(); });
  document.getElementById("show-background").addEventListener("change", () => refresh());
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - state.limit); drawEvents();
  });
  document.getElementById("next").addEventListener("click", () => {
    if (state.offset + state.limit < state.total) { state.offset += state.limit; drawEvents(); }
  });
  for (const id of ["quote-search", "quote-state", "quote-hedged"]) {
    document.getElementById(id).addEventListener("input", drawQuotes);
  }
  document.getElementById("close-article").addEventListener("click", closeArticle);
  document.getElementById("pair").addEventListener("change", drawEscalation);
  await loadPairs();
  await Promise.all([refresh(), drawAlerts(), drawNewCount()]);
  const hash = new URLSearchParams(window.location.hash.slice(1));
  if (hash.get("article")) {
    openArticle(hash.get("article"), Number(hash.get("start")), Number(hash.get("end")));
  }
  document.body.dataset.version = live.version;  // for tests: the store state drawn
  document.body.dataset.ready = "true";  // for tests and screenshots: everything drawn
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((err) => status("error: " + err.message));
});
