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
    detailStream.addEventListener("relationship", (e) => { renderDetail(JSON.parse(e.data), null); loadTimeline(target, null); });
  }
  if (changed) $("detail").focus();
}

async function showDetail(t) {
  const at = asOf ? `${asOf}T23:59:59Z` : null;
  const res = await fetch(`/relationships/${t.a}/${t.b}` + (at ? `?asOf=${encodeURIComponent(at)}` : ""));
  if (!res.ok) { $("detail-title").textContent = `${t.a} – ${t.b}: not found`; $("detail-body").hidden = true; return; }
  renderDetail(await res.json(), at);
  await loadTimeline(t, at);
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
  window.addEventListener("hashchange", route);
  connectList();
  route();
}
document.addEventListener("DOMContentLoaded", init);
