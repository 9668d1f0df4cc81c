// Parley status board: the list from GET /relationships, kept live by the SSE stream; the detail from
// GET /relationships/{a}/{b} (or ?asOf=), its timeline, and the relationship's own stream.
"use strict";

const STATUSES = ["NO_INVITATION", "INVITATION_OPEN", "NO_RESPONSE", "CONDITIONS_SET", "ACCEPTED", "DECLINED",
  "WITHDRAWN", "MEETING_SCHEDULED", "MEETING_HELD"];
const $ = (id) => document.getElementById(id);
const rows = new Map();           // id -> summary (with version when it came from the stream)
let selected = null;              // "PRK-USA"
let asOf = null;                  // "2025-10-25" when showing a past state
let detailStream = null;
let shown = null;                 // { t, at } of the detail on screen, for the provenance loaded on demand

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) node.append(child);
  return node;
}
const label = (status) => status.replaceAll("_", " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());
const badge = (status) => el("span", { class: "badge", "data-status": status, text: status.replaceAll("_", " ") });
const day = (instant) => instant ? instant.slice(0, 10) : "—";
const days = (from, to) => Math.max(0, Math.floor((to - new Date(from)) / 86400000));
const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;

function words(r) {
  const inv = r.invitation;
  switch (r.status) {
    case "NO_INVITATION": return "No invitation on record.";
    case "INVITATION_OPEN": return `${inv.from} invited ${inv.to} to meet; ${inv.to} has not answered yet.`;
    case "NO_RESPONSE": return `${inv.to} has not responded to ${inv.from}'s invitation.`;
    case "CONDITIONS_SET": return `${inv.to} answered ${inv.from}'s invitation with conditions; ${inv.from} is to reply.`;
    case "ACCEPTED": return `${inv.to} accepted ${inv.from}'s invitation.`;
    case "DECLINED": return `${inv.to} declined ${inv.from}'s invitation.`;
    case "WITHDRAWN": return "The invitation was withdrawn.";
    case "MEETING_SCHEDULED": return "A meeting is scheduled.";
    case "MEETING_HELD": return "The meeting took place.";
    default: return label(r.status);
  }
}

// ---- the list ----
function visible(r) {
  const party = $("filter-party").value.trim().toUpperCase();
  const status = $("filter-status").value;
  return (!party || r.parties.includes(party)) && (!status || r.status === status);
}

function renderRows(flashId) {
  const body = $("rows");
  body.replaceChildren();
  const shown = [...rows.values()].filter(visible).sort((a, b) => a.id.localeCompare(b.id));
  for (const r of shown) {
    const link = el("a", { href: `#/${r.id}`, text: r.parties.join(" – ") });
    const tr = el("tr", { "data-id": r.id, "data-status": r.status, "aria-selected": r.id === selected ? "true" : "false",
      class: r.id === flashId ? "flash" : null },
      el("th", { scope: "row" }, link), el("td", {}, badge(r.status)),
      el("td", { text: String(r.eventCount) }), el("td", { text: day(r.lastEventAt) }));
    tr.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.hash = `#/${r.id}`; });
    body.append(tr);
  }
  $("empty").hidden = shown.length > 0;
  $("count").textContent = `${shown.length} of ${rows.size} shown`;
}

async function loadList() {
  const res = await fetch("/relationships?limit=1000", { headers: { Accept: "application/json" } });
  if (!res.ok) return;
  for (const r of await res.json()) {
    const known = rows.get(r.id);
    if (!known || !(known.version > 0)) rows.set(r.id, r); // a streamed summary is at least as new
  }
  renderRows();
}

function connectList() {
  const stream = new EventSource("/relationships/stream");
  stream.onopen = () => { setLive("live", "Live"); loadList(); }; // listening first, then reading: nothing missed
  stream.onerror = () => setLive("offline", "Reconnecting…");
  stream.addEventListener("summary", (e) => {
    const r = JSON.parse(e.data);
    const known = rows.get(r.id);
    if (known && known.version >= r.version) return;
    rows.set(r.id, r);
    renderRows(r.id);
  });
}

function setLive(state, text) { $("live").dataset.state = state; $("live").textContent = text; }

// ---- the detail ----
function parse(hash) {
  const m = /^#\/([A-Z]{3})-([A-Z]{3})(?:\?asOf=(\d{4}-\d{2}-\d{2}))?$/.exec(hash);
  return m ? { id: `${m[1]}-${m[2]}`, a: m[1], b: m[2], asOf: m[3] || null } : null;
}

async function route() {
  const target = parse(location.hash);
  if (!target) return;
  const changed = target.id !== selected;
  selected = target.id; asOf = target.asOf;
  renderRows();
  if (detailStream) { detailStream.close(); detailStream = null; }
  $("asof-date").value = asOf || "";
  await showDetail(target);
  if (!asOf) {
    detailStream = new EventSource(`/relationships/${target.a}/${target.b}/stream`);
    detailStream.addEventListener("relationship", (e) => {
      renderDetail(JSON.parse(e.data), null); loadTimeline(target, null);
      if ($("why").open) loadWhy(target, null);
    });
  }
  if (changed) $("detail").focus();
}

async function showDetail(t) {
  const at = asOf ? `${asOf}T23:59:59Z` : null;
  const res = await fetch(`/relationships/${t.a}/${t.b}` + (at ? `?asOf=${encodeURIComponent(at)}` : ""));
  if (!res.ok) { $("detail-title").textContent = `${t.a} – ${t.b}: not found`; $("detail-body").hidden = true; return; }
  renderDetail(await res.json(), at);
  const timeline = loadTimeline(t, at);
  shown = { t, at };
  if ($("why").open) loadWhy(t, at); else { $("why-body").replaceChildren(); whyLoading = null; }
  loadTrend(t, at);
  await timeline;
}

function renderDetail(r, at) {
  const reference = at ? new Date(at) : new Date();
  $("detail-title").textContent = r.parties.join(" – ");
  $("detail-body").hidden = false;
  $("asof-note").hidden = !at;
  $("asof-note").textContent = at ? `Showing the state as of ${asOf}, from the statements that had occurred by then.` : "";
  $("detail-badge").replaceWith(Object.assign(badge(r.status), { id: "detail-badge" }));
  $("detail-words").textContent = words(r);
  const inv = r.invitation;
  $("detail-invitation").textContent = inv
    ? `${inv.from} → ${inv.to}, issued ${day(inv.issuedAt)}` + (inv.incentives.length ? `, with ${inv.incentives.join("; ")}` : "")
      + (["INVITATION_OPEN", "NO_RESPONSE", "CONDITIONS_SET"].includes(r.status) ? " (open)" : "")
    : "None";
  $("detail-awaiting").textContent = r.awaitingResponseFrom
    ? (r.silentSince
      ? `${r.awaitingResponseFrom} silent for ${plural(days(r.silentSince, reference), "day")} (since ${day(r.silentSince)})`
      : `${r.awaitingResponseFrom} is to respond`)
    : "Nobody";
  $("detail-meeting").textContent = r.meeting
    ? [r.meeting.at ? day(r.meeting.at) : "date not set", r.meeting.location].filter(Boolean).join(", ") : "None";
  const last = r.lastEvent;
  $("detail-last").textContent = last ? `${day(last.occurredAt)} ${last.type.replaceAll("_", " ")} by ${last.source}`
    + (last.summary ? `: ${last.summary}` : "") : "—";
  const box = $("positions");
  box.replaceChildren();
  for (const party of r.parties) {
    for (const [kind, byParty] of [["Conditions", r.conditions], ["Incentives", r.incentives]]) {
      const items = (byParty && byParty[party]) || [];
      const list = el("ul");
      for (const p of items) {
        list.append(el("li", {}, p.text, el("span", { class: "meta",
          text: `first stated ${day(p.firstStatedAt)}, last ${day(p.lastStatedAt)}, stated ${p.timesStated}×` })));
      }
      if (!items.length) list.append(el("li", { class: "empty", text: "None stated" }));
      box.append(el("article", { "aria-label": `${kind} of ${party}` }, el("h4", { text: `${kind} of ${party}` }), list));
    }
  }
  if (!at && rows.has(r.id) && rows.get(r.id).version < r.version) {
    rows.set(r.id, { id: r.id, parties: r.parties, status: r.status, eventCount: r.eventCount,
      lastEventAt: r.lastEventAt, version: r.version });
    renderRows(r.id);
  }
}

async function loadTimeline(t, at) {
  const res = await fetch(`/relationships/${t.a}/${t.b}/timeline`);
  if (!res.ok) return;
  const list = $("timeline");
  list.replaceChildren();
  for (const s of (await res.json()).entries) {
    if (at && s.occurredAt > at && s.effect !== "RETRACTION") continue;
    const text = `${s.type.replaceAll("_", " ")} by ${s.source}` + (s.summary ? ` — ${s.summary}` : "");
    const body = s.retracted ? el("del", { text }) : document.createTextNode(text);
    list.append(el("li", { "data-event-id": s.eventId, "data-effect": s.effect },
      el("time", { class: "when", datetime: s.occurredAt, text: day(s.occurredAt) }), " ", body,
      s.retracted ? el("span", { class: "effect", text: "retracted" }) : ""));
  }
}

// ---- why: each field's statements and sources (GET .../provenance), loaded when asked for ----
const FIELD_NAMES = { status: "Status", invitation: "Invitation", awaiting: "Awaiting", meeting: "Meeting",
  lastEvent: "Last statement" };

function cited(statements, count) {
  const list = el("ol", { class: "cited" });
  for (const s of statements) {
    list.append(el("li", { "data-event-id": s.eventId },
      el("time", { class: "when", datetime: s.occurredAt, text: day(s.occurredAt) }), " ",
      `${s.type.replaceAll("_", " ")} by ${s.source}` + (s.speaker ? ` (${s.speaker})` : ""), " ",
      s.sourceUrl ? el("a", { href: s.sourceUrl, rel: "noopener noreferrer", target: "_blank", text: "source" })
        : el("span", { class: "meta-inline", text: "no source URL" })));
  }
  if (count > statements.length) list.append(el("li", { class: "empty", text: `… ${count} statements in all` }));
  if (!count) list.append(el("li", { class: "empty", text: "No statement: the initial value" }));
  return list;
}

function whyItem(id, title, why) {
  return el("details", { id, class: "why-field", "data-count": String(why.statementCount) },
    el("summary", { text: `${title} — ${plural(why.statementCount, "statement")}` }),
    why.rule ? el("p", { class: "rule", text: `Rule: ${why.rule}` }) : "",
    cited(why.statements, why.statementCount));
}

let whyLoading = null;               // the provenance request in flight: one at a time, the last asked wins

function loadWhy(t, at) {
  const request = fetch(`/relationships/${t.a}/${t.b}/provenance` + (at ? `?asOf=${encodeURIComponent(at)}` : ""))
    .then((res) => (res.ok ? res.json() : null))
    .then((p) => { if (p && request === whyLoading) renderWhy(p); });
  whyLoading = request;
  return request;
}

function renderWhy(p) {
  const body = $("why-body");
  // what the reader had open stays open when the state moves
  const open = new Set([...body.querySelectorAll("details[open]")].map((d) => d.id));
  body.replaceChildren();
  for (const [field, title] of Object.entries(FIELD_NAMES)) body.append(whyItem(`why-${field}`, title, p.fields[field]));
  for (const [kind, byParty] of [["Condition", p.conditions], ["Incentive", p.incentives]]) {
    for (const [party, positions] of Object.entries(byParty)) {
      positions.forEach((pos, i) => body.append(whyItem(`why-${kind.toLowerCase()}-${party}-${i}`,
        `${kind} of ${party}: ${pos.text}`, pos)));
    }
  }
  if (p.retractedCount) {
    const list = el("ol", { class: "cited" });
    for (const r of p.retracted) {
      list.append(el("li", { "data-event-id": r.statement.eventId }, el("del", {
        text: `${day(r.statement.occurredAt)} ${r.statement.type.replaceAll("_", " ")} by ${r.statement.source}` }),
        r.by ? ` — corrected ${day(r.by.occurredAt)}` : ""));
    }
    body.append(el("details", { id: "why-retracted", class: "why-field" },
      el("summary", { text: `Retracted — ${plural(p.retractedCount, "statement")}` }), list));
  }
  for (const id of open) if ($(id)) $(id).open = true;
}

function openWhy(field) {
  $("why").open = true;
  const open = () => { const item = $(`why-${field}`); if (item) { item.open = true; item.scrollIntoView({ block: "nearest" }); item.querySelector("summary").focus(); } };
  if ($(`why-${field}`)) open(); else if (shown) (whyLoading || loadWhy(shown.t, shown.at)).then(open);
}

// ---- trend: coded statements per month, cooperative and conflictual (PLOVER's quad sides), by hand in SVG ----
const COOPERATIVE = new Set(["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"]);
const SVG = "http://www.w3.org/2000/svg";
const TREND_LIMIT = 20000;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function loadTrend(t, at) {
  const res = await fetch(`/relationships/${t.a}/${t.b}/statements.jsonl?limit=${TREND_LIMIT}`);
  if (!res.ok) return;
  const months = new Map();       // "2025-10" -> { cooperative, conflictual, goldstein }
  for (const line of (await res.text()).split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (at && `${r.date}T${r.time}` > at) continue;
    const m = months.get(r.date.slice(0, 7)) || { cooperative: 0, conflictual: 0, goldstein: 0 };
    m[COOPERATIVE.has(r.event[0]) ? "cooperative" : "conflictual"]++;
    m.goldstein += r.goldstein;
    months.set(r.date.slice(0, 7), m);
  }
  renderTrend(months, await silences(t, monthRange(months), at));
}

/**
 * The awaited party's silence in days at the end of each month (or at the date shown, or now, if earlier):
 * the state as of then, folded by the service for every month in one request (month-ends), so the board has no
 * fold of its own. 0 when nobody is awaited.
 */
async function silences(t, range, at) {
  const result = new Map();
  if (!range.length) return result;
  const [y, m] = range[range.length - 1].split("-").map(Number);
  const limit = at ? new Date(at) : new Date();
  const lastEnd = new Date(Date.UTC(y, m, 1));    // the first instant of the month after the range
  const until = lastEnd < limit ? lastEnd : limit;
  const res = await fetch(`/relationships/${t.a}/${t.b}/month-ends?from=${range[0]}`
    + `&until=${encodeURIComponent(until.toISOString())}`);
  if (!res.ok) return result;
  const wanted = new Set(range);
  for (const point of (await res.json()).months) {
    if (!wanted.has(point.month)) continue;
    result.set(point.month, point.awaitingResponseFrom && point.silentSince
      ? { party: point.awaitingResponseFrom, days: days(point.silentSince, new Date(point.asOf)) }
      : { party: null, days: 0 });
  }
  return result;
}

/** Every month from the first to the last with a coded statement (at most the last 36). */
function monthRange(months) {
  const keys = [...months.keys()].sort();
  if (!keys.length) return [];
  const range = [];
  let [y, m] = keys[0].split("-").map(Number);
  const last = keys[keys.length - 1];
  for (;;) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    range.push(key);
    if (key >= last) break;
    if (++m > 12) { m = 1; y++; }
  }
  return range.slice(-36);
}

function renderTrend(months, silence = new Map()) {
  const chart = $("trend-chart");
  chart.replaceChildren();
  const range = monthRange(months);
  if (!range.length) { $("trend-caption").textContent = "No coded statement yet."; return; }
  const W = 640, H = 200, top = 22, bottom = 28, left = 28, slot = (W - left) / range.length;
  const max = Math.max(1, ...range.map((k) => { const m = months.get(k); return m ? m.cooperative + m.conflictual : 0; }));
  const y = (n) => (H - bottom - top) * n / max;
  // The silence line has its own scale, in days, read on the right.
  const maxDays = Math.max(1, ...[...silence.values()].map((s) => s.days));
  const ySilence = (d) => H - bottom - (H - bottom - top) * d / maxDays;
  const points = [];
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "trend-svg",
    "aria-label": "Coded statements per month, cooperative and conflictual" });
  root.append(svg("line", { x1: left, x2: W, y1: H - bottom, y2: H - bottom, class: "axis" }));
  root.append(svg("text", { x: 2, y: top + 4, class: "tick" }, String(max)));
  root.append(svg("text", { x: 2, y: H - bottom, class: "tick" }, "0"));
  let previous = null;
  range.forEach((key, i) => {
    const m = months.get(key) || { cooperative: 0, conflictual: 0, goldstein: 0 };
    const x = left + i * slot + slot * 0.15, w = slot * 0.7;
    const g = svg("g", { "data-month": key });
    const coop = y(m.cooperative), conf = y(m.conflictual);
    g.append(svg("rect", { x, width: w, y: H - bottom - coop, height: coop, class: "bar cooperative",
      "data-kind": "cooperative", "data-count": m.cooperative }));
    g.append(svg("rect", { x, width: w, y: H - bottom - coop - conf, height: conf, class: "bar conflictual",
      "data-kind": "conflictual", "data-count": m.conflictual }));
    const total = m.cooperative + m.conflictual;
    // Direction, as CrisisWatch marks a month: the mean Goldstein score against the last month with statements.
    if (total) {
      const mean = m.goldstein / total;
      const direction = previous === null || Math.abs(mean - previous) < 0.5 ? "unchanged" : mean > previous ? "improved" : "deteriorated";
      g.setAttribute("data-direction", direction);
      g.append(svg("text", { x: x + w / 2, y: H - bottom - coop - conf - 5, class: `marker ${direction}`,
        "text-anchor": "middle" }, direction === "improved" ? "▲" : direction === "deteriorated" ? "▼" : "●"));
      previous = mean;
    }
    const quiet = silence.get(key);
    if (quiet) {
      g.setAttribute("data-silence-days", quiet.days);
      if (quiet.party) g.setAttribute("data-awaited", quiet.party);
      points.push(`${x + w / 2},${ySilence(quiet.days)}`);
      g.append(svg("circle", { cx: x + w / 2, cy: ySilence(quiet.days), r: 2.5, class: "silence-point" }));
    }
    if (i % Math.ceil(range.length / 12) === 0) {
      g.append(svg("text", { x: x + w / 2, y: H - 8, class: "tick", "text-anchor": "middle" }, key));
    }
    g.append(svg("title", {}, `${key}: ${m.cooperative} cooperative, ${m.conflictual} conflictual`
      + (total ? `, mean Goldstein ${(m.goldstein / total).toFixed(1)}` : "")
      + (quiet && quiet.party ? `; ${quiet.party} silent ${plural(quiet.days, "day")} at the month's end` : "")));
    root.append(g);
  });
  if (points.length) {
    root.append(svg("polyline", { points: points.join(" "), class: "silence", fill: "none" }));
    root.append(svg("text", { x: W - 2, y: top - 8, class: "tick silence-scale", "text-anchor": "end" },
      `${plural(maxDays, "day")} silent`));
  }
  chart.append(root);
  const sum = (k) => [...months.values()].reduce((n, m) => n + m[k], 0);
  $("trend-caption").textContent = `Coded statements per month (CAMEO/PLOVER): ${sum("cooperative")} cooperative `
    + `(green, below), ${sum("conflictual")} conflictual (red, above); ▲ ▼ ● the month's mean Goldstein score `
    + "against the last month before it; the blue line: how many days the awaited party had been silent at "
    + "each month's end (scale on the right).";
}

// ---- wiring ----
function init() {
  for (const s of STATUSES) $("filter-status").append(el("option", { value: s, text: label(s) }));
  $("filter-party").addEventListener("input", () => renderRows());
  $("filter-status").addEventListener("change", () => renderRows());
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("asof").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("asof-date").value;
    if (selected) location.hash = `#/${selected}` + (value ? `?asOf=${value}` : "");
  });
  $("asof-live").addEventListener("click", () => { if (selected) location.hash = `#/${selected}`; });
  $("why").addEventListener("toggle", () => {
    if ($("why").open && shown && !$("why-body").childElementCount && !whyLoading) loadWhy(shown.t, shown.at);
  });
  for (const holder of document.querySelectorAll("[data-why]")) {
    const field = holder.dataset.why;
    const button = el("button", { type: "button", class: "why-link", "aria-controls": "why",
      "aria-label": `Why: the statements behind ${FIELD_NAMES[field].toLowerCase()}`, text: "why?" });
    button.addEventListener("click", () => openWhy(field));
    holder.append(" ", button);
  }
  window.addEventListener("hashchange", route);
  connectList();
  route();
}
document.addEventListener("DOMContentLoaded", init);
