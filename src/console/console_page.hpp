#pragma once
// The console's one page: plain HTML and JavaScript over the JSON API (console.hpp), nothing
// loaded from elsewhere, every value written with textContent (never parsed as HTML: record
// keys and vendor error messages are outside input). It shows the login form until
// GET /api/session answers, keeps the session's CSRF token in memory for its writes, and disables
// the write buttons of a viewer. Sections: alerts; flows (state, last run and, expanded, the last
// runs, charts of records moved and parked per hour over 24 h and per 6 h over 7 days drawn as
// SVG, pause/resume/run now);
// errors by cause (a group per flow and cause, expanded to its letters and a sample record as the
// vendor sent it, replay or resolve one letter or the group; the div.fix of a group whose error
// names a mapping table maps the value in place and replays: POST /api/mappings); every open dead
// letter; the audit search; "Find a record" (GET /api/trail: a record's path across systems as a
// timeline). Alerts say what to do; only open ones can be acknowledged. Times read "3 min ago"
// in the browser's zone, the exact UTC on hover. Each table has a CSV link (built in the page
// from the rows shown). Results of writes show in #notice. Updates are live: GET /api/events
// (Server-Sent Events) says what changed and the page fetches again; while the stream is down it
// polls (every 5 s, or ?poll=MS) and says so in #live.

#include <string_view>

namespace mlc::console {

inline constexpr std::string_view kConsolePage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ml-connector console</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #1d2733; }
 h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
 table { border-collapse: collapse; width: 100%; }
 .table-box { overflow-x: auto; max-width: 100%; }
 p, h1, h2, label { overflow-wrap: anywhere; }
 #trail-key, #audit-key, #audit-flow { max-width: 100%; box-sizing: border-box; }
 @media (max-width: 600px) {
  body { margin: .8em; }
  h1 { font-size: 1.15em; }
  h1 button { margin-top: .3em; }
  #trail-form label, #audit-form label { display: block; margin-top: .4em; }
  #trail-key { width: 100%; }
 }
 th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #dde3ea; vertical-align: top; }
 th { background: #f3f6f9; }
 .bad { color: #b3261e; } .ok { color: #1e7b34; } .muted { color: #6b7785; }
 button { font: inherit; padding: 2px 10px; cursor: pointer; }
 input { font: inherit; padding: 2px 6px; }
 #status { margin-left: 1em; }
 #login { max-width: 22em; }
 #login label { display: block; margin-top: .8em; }
 #login input { width: 100%; box-sizing: border-box; }
 #login button { margin-top: 1em; }
 #whoami { font-size: .8em; font-weight: normal; margin-left: 1em; }
 td button { margin: 0 4px 2px 0; }
 details summary { cursor: pointer; }
 pre.record { background: #f3f6f9; padding: 6px; max-height: 16em; overflow: auto; white-space: pre-wrap; }
 #notice { min-height: 1.2em; }
 svg.chart rect.moved { fill: #1e7b34; } svg.chart rect.parked { fill: #b3261e; }
 svg.chart line { stroke: #c5ced8; }
 a.csv { font-size: .8em; font-weight: normal; margin-left: .8em; }
 #trail-form label { margin-right: .4em; }
 #trail-key { width: 22em; }
 table.timeline td:first-child { border-left: 3px solid #8aa4c0; position: relative; padding-left: 14px; white-space: nowrap; }
 table.timeline td:first-child::before { content: ""; position: absolute; left: -7px; top: 8px; width: 10px; height: 10px; border-radius: 50%; background: #1e7b34; }
 table.timeline tr.failed td:first-child::before { background: #b3261e; }
 :focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px; }
 [hidden] { display: none !important; }
</style>
</head>
<body>
<section id="login" hidden aria-labelledby="login-title">
<h1 id="login-title">ml-connector: log in</h1>
<form id="login-form">
 <label for="login-user">User name</label>
 <input id="login-user" name="user" autocomplete="username" required>
 <label for="login-password">Password</label>
 <input id="login-password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">Log in</button>
</form>
<p id="login-error" class="bad" role="alert"></p>
<p id="login-setup" class="muted"></p>
</section>

<svg id="svg-ns" hidden aria-hidden="true"></svg>
<main id="console" hidden>
<h1>ml-connector <span id="status" class="muted">loading...</span> <span id="live" class="muted" role="status"></span>
 <span id="whoami" class="muted"></span> <button id="logout" type="button">Log out</button></h1>

<h2>Alerts <a class="csv" href="#" data-table="alerts">CSV</a></h2>
<div class="table-box" role="region" tabindex="0" aria-label="Alerts table"><table id="alerts"><thead><tr><th>Raised</th><th>Flow</th><th>Severity</th><th>What is wrong and how to fix it</th><th>Status</th><th></th></tr></thead><tbody></tbody></table></div>

<p id="notice" role="status"></p>

<h2 id="trail-title">Find a record <a class="csv" href="#" data-table="trail">CSV</a></h2>
<form id="trail-form" role="search" aria-labelledby="trail-title">
 <label for="trail-key">Order number, orderKey, PO number, SKU, tracking number or settlement id</label>
 <input id="trail-key" required>
 <button type="submit">Find</button>
</form>
<p id="trail-summary" class="muted" role="status"></p>
<div class="table-box" role="region" tabindex="0" aria-label="Record trail table"><table id="trail" class="timeline"><thead><tr><th>When</th><th>Flow</th><th>Step</th><th>Outcome</th><th>From</th><th>To</th><th>What happened</th><th>Vendor's answer</th></tr></thead><tbody></tbody></table></div>

<h2>Flows <a class="csv" href="#" data-table="flows">CSV</a></h2>
<div class="table-box" role="region" tabindex="0" aria-label="Flows table"><table id="flows"><thead><tr><th>Flow</th><th>State</th><th>Recipe</th><th>Every</th><th>Last run</th><th>Created</th><th>Updated</th><th>Skipped</th><th>Parked</th><th>Open dead letters</th><th>Last error</th><th>Last 24 h</th><th>Last 7 days</th><th>Actions</th></tr></thead><tbody></tbody></table></div>

<h2>Connections and cursors <a class="csv" href="#" data-table="connections">CSV</a></h2>
<div class="table-box" role="region" tabindex="0" aria-label="Connections table"><table id="connections"><thead><tr><th>Flow</th><th>Connection</th><th>System</th><th>Token expires</th><th>Rate limit</th><th>Last ping</th><th>Cursor</th><th></th></tr></thead><tbody></tbody></table></div>

<h2>Errors by cause <a class="csv" href="#" data-table="groups">CSV</a></h2>
<div class="table-box" role="region" tabindex="0" aria-label="Errors by cause table"><table id="groups"><thead><tr><th>Flow</th><th>Records</th><th>What is wrong and how to fix it</th><th>First seen</th><th>Last seen</th><th>Actions</th></tr></thead><tbody></tbody></table></div>

<h2>Dead letters (open) <a class="csv" href="#" data-table="letters">CSV</a></h2>
<p id="letters-actions"></p>
<div class="table-box" role="region" tabindex="0" aria-label="Open dead letters table"><table id="letters"><thead><tr><th>Id</th><th>Flow</th><th>Record</th><th>Error and fix</th><th>Attempts</th><th>Last seen</th><th></th></tr></thead><tbody></tbody></table></div>

<h2>Audit trail <a class="csv" href="#" data-table="audit">CSV</a></h2>
<form id="audit-form">
 <label for="audit-key">Record key</label>
 <input id="audit-key" placeholder="order key, SKU or Epicor order number">
 <label for="audit-flow">Flow</label>
 <input id="audit-flow" placeholder="optional">
 <button type="submit">Search</button>
</form>
<div class="table-box" role="region" tabindex="0" aria-label="Audit trail table"><table id="audit"><thead><tr><th>At</th><th>Flow</th><th>Action</th><th>Outcome</th><th>Source</th><th>Target</th><th>Detail</th></tr></thead><tbody></tbody></table></div>
</main>

<script>
"use strict";
let session = null;  // {user, role, can_write, csrf_token} once logged in.
let timer = null;
let events = null;  // The live stream (GET /api/events) while it works; polling otherwise.
let soon = null;    // A refresh asked by an event, a moment later (events come in bursts).
// How often the page asks when the live stream is down (?poll=MS overrides; tests make it long).
const POLL_MS = Number(new URLSearchParams(location.search).get("poll")) || 5000;
let activity = null;   // GET /api/activity: records per flow and hour, asked every 15 s.
let activityAt = 0;
const ACTIVITY_EVERY_MS = 15000;
let week = null;  // GET /api/activity?hours=168, asked every minute, drawn as 6 h bars.
let weekAt = 0;
const WEEK_EVERY_MS = 60000;
// The SVG namespace, from the inline <svg> above (the page names no address).
const SVG_NS = document.getElementById("svg-ns").namespaceURI;

class LoggedOut extends Error {}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}
// A time as people read it, in the browser's zone ("3 min ago, 14:05"; older: the local date
// and time); the exact UTC on hover (title) and in a CSV export (data-csv).
function readable(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const s = Math.round((Date.now() - t) / 1000), a = Math.abs(s);
  const at = new Date(t);
  const span = a < 60 ? a + " s" : a < 3600 ? Math.round(a / 60) + " min" : a < 86400 ? Math.round(a / 3600) + " h" : "";
  if (!span) return at.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  const clock = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return (s >= 0 ? span + " ago" : "in " + span) + ", " + clock;
}
function utc(iso) { return String(iso).replace("T", " ").replace(/Z$/, " UTC"); }
function timeCell(row, iso, otherwise, cls) {
  if (!iso) return cell(row, otherwise, cls);
  const td = cell(row, readable(iso), cls);
  td.title = utc(iso);
  td.dataset.csv = iso;
  return td;
}
// CSV of a table's shown rows (RFC 4180: every field quoted when it holds a quote, comma or line
// break, quotes doubled; CRLF between records). A field that a spreadsheet would run as a formula
// (=, +, @, or - before a non-number) gets a leading ' : the rows hold vendor data.
function csvField(text) {
  let v = String(text).trim();
  if (/^[=+@\t\r]/.test(v) || /^-[^0-9.]/.test(v)) v = "'" + v;
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}
function cellText(td) {
  if (td.dataset.csv !== undefined) return td.dataset.csv;
  const summary = td.querySelector("summary");
  if (summary) return summary.textContent;
  const svg = td.querySelector("svg");
  if (svg) return svg.getAttribute("aria-label") || "";
  return td.textContent;
}
function tableCsv(table) {
  const heads = [...table.tHead.rows[0].cells].map((th) => th.textContent);
  const keep = heads.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);  // Not the button columns.
  const lines = [keep.map((i) => csvField(heads[i])).join(",")];
  for (const tr of table.tBodies[0].rows) {
    if (tr.cells.length < keep.length) continue;  // The "none" row.
    lines.push(keep.map((i) => csvField(cellText(tr.cells[i]))).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
function downloadCsv(id) {
  const blob = new Blob([tableCsv(document.getElementById(id))], { type: "text/csv;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = id + "-" + new Date().toISOString().slice(0, 19).replace(/:/g, "") + "Z.csv";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
for (const link of document.querySelectorAll("a.csv")) {
  link.setAttribute("aria-label", "Download " + link.dataset.table + " as CSV");
  link.addEventListener("click", (event) => { event.preventDefault(); downloadCsv(link.dataset.table); });
}
function fill(id, items, render) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, "none", "muted");
    td.colSpan = 20;
    return;
  }
  for (const item of items) render(body.insertRow(), item);
}
// A write button in `td` (a new cell of `row` when td is a row); `name` is its accessible name.
function writeButton(parent, label, action, name) {
  const b = document.createElement("button");
  b.textContent = label;
  b.type = "button";
  if (name) b.setAttribute("aria-label", name);
  if (!session.can_write) {
    b.disabled = true;
    b.title = "viewers cannot change anything";
  }
  b.addEventListener("click", action);
  parent.appendChild(b);
  return b;
}
function button(row, label, action) {
  writeButton(cell(row, ""), label, action);
}
function notice(text, bad) {
  const p = document.getElementById("notice");
  p.textContent = text;
  p.className = bad ? "bad" : "ok";
}
// POSTs `body` (JSON) with the CSRF token; says what happened in #notice, then redraws.
async function post(url, body, done) {
  const headers = { "X-MLC-CSRF": session.csrf_token };
  if (body) headers["Content-Type"] = "application/json";
  const answer = await fetch(url, { method: "POST", headers, body: body ? JSON.stringify(body) : undefined });
  if (answer.status === 401) return showLogin();
  const reply = await answer.json();
  if (!answer.ok) notice(reply.error || answer.statusText, true);
  else notice(done ? done(reply) : "done", false);
  await refresh();
}
const pings = new Map();  // Connection name -> the last ping's answer (this page only).
// "5 min", "2 h", "3 days": how far behind a cursor is.
function duration(seconds) {
  if (seconds < 90) return Math.max(0, seconds) + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h";
  return Math.round(seconds / 86400) + " days";
}
function pingText(r) {
  return r.checks.map((c) => c.name + " " + c.status + (c.status === "ok" && c.name !== "rate limit" && c.name !== "token" ? "" : ": " + c.detail)).join("; ");
}
async function ping(name) {
  notice("pinging " + name + "...", false);
  await post("/api/connections/" + encodeURIComponent(name) + "/ping", null, (r) => {
    pings.set(name, r);
    return "ping " + name + ": " + (r.ok ? "every check passed" : "FAILED") + " (" + pingText(r) + ")";
  });
}
// One connection of a flow: its token's expiry, rate, last ping from this page, the flow's cursors.
// The budget this worker has spent now (ConsoleDeps::rate_use), in words.
function rateUse(u) {
  if (!u) return "no request sent yet";
  let text = Math.round(u.used) + " of " + Math.round(u.burst) + " used now (refills " + Math.round(u.per_minute) + "/min)";
  if (u.wait_seconds > 0) text += ", the next request waits " + Math.ceil(u.wait_seconds) + " s";
  if (u.vendor_remaining !== null) text += ", the vendor says " + u.vendor_remaining + " left";
  return text;
}
function connectionRow(row, x) {
  cell(row, x.flow); cell(row, x.c.name + " (" + x.c.role + ")"); cell(row, x.c.system);
  timeCell(row, x.c.token_expires_at, "no stored token");
  cell(row, (x.c.rate_per_minute ? x.c.rate_per_minute + " requests/min" : "the connector's default") + "; " + rateUse(x.c.rate_use));
  const last = pings.get(x.c.name);
  cell(row, last ? (last.ok ? "ok: " : "FAILED: ") + pingText(last) : "not pinged", last ? (last.ok ? "ok" : "bad") : "muted");
  cell(row, x.cursors.length === 0 ? "none yet" : x.cursors.map((k) => k.stream + ": " +
    (k.behind_seconds === null ? k.value + " (moved " + readable(k.updated_at) + ")" : duration(k.behind_seconds) + " behind (" + k.value + ")")).join("; "));
  writeButton(cell(row, ""), "Ping", () => ping(x.c.name), "Ping " + x.c.name + " (" + x.flow + ")");
}
const openGroups = new Set();  // Groups shown expanded (kept across redraws).
const openFlows = new Set();   // Flows whose run history is shown (kept across redraws).
const flowRuns = new Map();    // GET /api/flows/{name}/runs of the open flows.
const reasons = new Map();     // What the user typed as a reason, per group (kept across redraws).
const mapTo = new Map();       // The target value typed in a group's mapping fix (kept across redraws).
function groupKey(g) { return g.flow + "\n" + g.cause; }
// The fix in place: when the cause names the mapping table and the value that did not resolve
// (g.unresolved, engine/dead_letter_cause.hpp), a form maps it and the daemon replays.
function mappingFix(fix, g) {
  if (!g.unresolved) return;  // The cause names no mapping table and value.
  const table = [null, g.unresolved.table], from = [null, g.unresolved.value];
  const label = document.createElement("label");
  label.textContent = "Map " + table[1] + " '" + from[1] + "' to ";
  const to = document.createElement("input");
  to.setAttribute("aria-label", "Map " + from[1] + " to");
  to.placeholder = "the value the target knows";
  to.value = mapTo.get(groupKey(g)) || "";
  to.disabled = !session.can_write;
  to.addEventListener("input", () => mapTo.set(groupKey(g), to.value));
  label.appendChild(to);
  fix.appendChild(label);
  writeButton(fix, "Map and replay", () => {
    const value = to.value.trim();
    if (!value) return notice("type what '" + from[1] + "' maps to first", true);
    mapTo.delete(groupKey(g));
    post("/api/mappings", { flow: g.flow, table: table[1], from: from[1], to: value },
      (r) => r.mapping + ": " + r.applied);
  }, "Map " + from[1] + " and replay");
}
function reasonOf(g) {
  const reason = (reasons.get(groupKey(g)) || "").trim();
  if (!reason) notice("say why in the Reason field first (it goes to the audit trail)", true);
  return reason;
}
// Sums of `per` consecutive values: 168 hours -> 28 bars of 6 h.
function binned(values, per) {
  const out = [];
  for (let i = 0; i < values.length; i += per) out.push(values.slice(i, i + per).reduce((x, y) => x + y, 0));
  return out;
}
// Bars of records moved (green) and parked (red, on top) per `per` hours, oldest left.
function chart(parent, hourly, per) {
  const a = per > 1 ? { moved: binned(hourly.moved, per), parked: binned(hourly.parked, per), truncated: hourly.truncated } : hourly;
  const w = 5, h = 30, n = a.moved.length, hours = n * per;
  const span = hours >= 48 ? hours / 24 + " days" : hours + " h";
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("width", String(n * w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("role", "img");
  const moved = a.moved.reduce((x, y) => x + y, 0), parked = a.parked.reduce((x, y) => x + y, 0);
  const top = Math.max(1, ...a.moved.map((m, i) => m + a.parked[i]));
  const label = moved + " records moved, " + parked + " parked in the last " + span +
    " (busiest " + (per > 1 ? per + " h: " : "hour ") + top + ")" + (a.truncated ? ", at least" : "");
  svg.setAttribute("aria-label", label);
  const title = document.createElementNS(SVG_NS, "title");
  title.textContent = label;
  svg.appendChild(title);
  const base = document.createElementNS(SVG_NS, "line");
  for (const [k, v] of [["x1", 0], ["x2", n * w], ["y1", h - 0.5], ["y2", h - 0.5]]) base.setAttribute(k, String(v));
  svg.appendChild(base);
  a.moved.forEach((m, i) => {
    let y = h;
    for (const [cls, count] of [["moved", m], ["parked", a.parked[i]]]) {
      if (count === 0) continue;
      const bar = document.createElementNS(SVG_NS, "rect");
      const height = Math.max(1, Math.round((count / top) * (h - 2)));
      y -= height;
      bar.setAttribute("class", cls);
      for (const [k, v] of [["x", i * w], ["y", y], ["width", w - 1], ["height", height]]) bar.setAttribute(k, String(v));
      svg.appendChild(bar);
    }
  });
  parent.appendChild(svg);
}
// The flow's name, expanding to its last runs (asked when opened and on each refresh).
function flowName(row, f) {
  const td = cell(row, "");
  const details = document.createElement("details");
  details.className = "runs";
  details.open = openFlows.has(f.name);
  const summary = document.createElement("summary");
  summary.textContent = f.name;
  details.appendChild(summary);
  const runs = flowRuns.get(f.name);
  if (runs) {
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const h of ["Finished", "Outcome", "Created", "Updated", "Skipped", "Parked", "Failed", "Error"]) head.appendChild(document.createElement("th")).textContent = h;
    const body = table.createTBody();
    for (const r of runs) {
      const tr = body.insertRow();
      timeCell(tr, r.finished); cell(tr, r.outcome, r.outcome === "ok" ? "ok" : "bad");
      cell(tr, r.created); cell(tr, r.updated); cell(tr, r.skipped); cell(tr, r.parked); cell(tr, r.failed);
      cell(tr, r.error, "bad");
    }
    if (runs.length === 0) cell(body.insertRow(), "no run yet", "muted");
    details.appendChild(table);
  }
  details.addEventListener("toggle", async () => {
    if (!details.open) return openFlows.delete(f.name);
    openFlows.add(f.name);
    if (!flowRuns.has(f.name)) {
      flowRuns.set(f.name, (await get("/api/flows/" + encodeURIComponent(f.name) + "/runs")).runs);
      await refresh();
    }
  });
  td.appendChild(details);
}
function flowRow(row, f) {
  const run = f.last_run || {};
  flowName(row, f);
  cell(row, f.state, f.state === "failing" ? "bad" : f.state === "paused" ? "muted" : "ok");
  cell(row, f.recipe);
  cell(row, f.every_seconds ? f.every_seconds + " s" : "on events");
  timeCell(row, f.last_finished, f.running ? "running" : "not yet");
  cell(row, run.created); cell(row, run.updated); cell(row, run.skipped); cell(row, run.parked);
  cell(row, f.open_dead_letters, f.open_dead_letters > 0 ? "bad" : "ok");
  cell(row, f.last_error, "bad");
  const drawn = cell(row, "");
  const a = activity && activity.flows.find((x) => x.name === f.name);
  if (a) chart(drawn, a, 1);
  const drawnWeek = cell(row, "");
  const wk = week && week.flows.find((x) => x.name === f.name);
  if (wk) chart(drawnWeek, wk, 6);
  const td = cell(row, "");
  const path = "/api/flows/" + encodeURIComponent(f.name);
  if (f.paused) {
    writeButton(td, "Resume", () => post(path + "/resume", null, () => f.name + " resumed"), "Resume " + f.name);
  } else {
    writeButton(td, "Pause", () => post(path + "/pause", null, () => f.name + " paused"), "Pause " + f.name);
  }
  const runNow = writeButton(td, "Run now", () => post(path + "/run", null, () => f.name + " runs now"), "Run " + f.name + " now");
  if (f.paused) runNow.disabled = true;
}
// One group: a summary row; its letters and the record as the vendor sent it when expanded.
function groupRow(row, g, letters) {
  cell(row, g.flow); cell(row, g.count, "bad");
  const what = cell(row, "");
  const details = document.createElement("details");
  details.open = openGroups.has(groupKey(g));
  details.addEventListener("toggle", () => {
    if (details.open) openGroups.add(groupKey(g)); else openGroups.delete(groupKey(g));
  });
  const summary = document.createElement("summary");
  summary.textContent = g.code + ": " + g.message;
  summary.className = "bad";
  details.appendChild(summary);
  const sample = document.createElement("p");
  sample.textContent = "Sample: " + g.sample.source_system + " " + g.sample.source_key + " (dead letter " + g.sample.id + "), as the vendor sent it:";
  const pre = document.createElement("pre");
  pre.className = "record";
  try { pre.textContent = JSON.stringify(JSON.parse(g.sample.record), null, 2); } catch { pre.textContent = g.sample.record; }
  // The in-place fix (map the unknown SKU, customer or GL account, then replay) goes here.
  const fix = document.createElement("div");
  fix.className = "fix";
  fix.dataset.flow = g.flow;
  fix.dataset.cause = g.cause;
  mappingFix(fix, g);
  const reason = document.createElement("input");
  reason.setAttribute("aria-label", "Reason for resolving " + g.flow + " " + g.cause);
  reason.placeholder = "Reason (to resolve without replay)";
  reason.value = reasons.get(groupKey(g)) || "";
  reason.disabled = !session.can_write;
  reason.addEventListener("input", () => reasons.set(groupKey(g), reason.value));
  const table = document.createElement("table");
  table.className = "group-letters";
  const head = table.createTHead().insertRow();
  for (const h of ["Id", "Record", "Error", "Attempts", "Last seen", ""]) head.appendChild(document.createElement("th")).textContent = h;
  const body = table.createTBody();
  for (const l of letters.filter((l) => g.letter_ids.includes(l.id))) {
    const r = body.insertRow();
    cell(r, l.id); cell(r, l.source_system + " " + l.source_key); cell(r, l.error_message, "bad");
    cell(r, l.attempts); timeCell(r, l.last_seen);
    const actions = cell(r, "");
    writeButton(actions, "Replay", () => post("/api/deadletters/" + l.id + "/replay", null, () => "dead letter " + l.id + " replayed"), "Replay dead letter " + l.id);
    writeButton(actions, "Resolve", () => {
      const why = reasonOf(g);
      if (why) post("/api/deadletters/" + l.id + "/resolve", { reason: why }, () => "dead letter " + l.id + " resolved");
    }, "Resolve dead letter " + l.id);
  }
  details.append(sample, pre, fix, reason, table);
  what.appendChild(details);
  timeCell(row, g.first_seen); timeCell(row, g.last_seen);
  const td = cell(row, "");
  const which = { flow: g.flow, cause: g.cause };
  writeButton(td, "Replay group", () => post("/api/deadletters/groups/replay", which,
    (r) => "replayed " + r.replayed + ", failed again " + r.failed + " (" + g.flow + ")"), "Replay group " + g.flow + " " + g.cause);
  writeButton(td, "Resolve group", () => {
    const why = reasonOf(g);
    if (why) post("/api/deadletters/groups/resolve", { ...which, reason: why }, (r) => "resolved " + r.resolved + " (" + g.flow + ")");
  }, "Resolve group " + g.flow + " " + g.cause);
}
// An alert: what is wrong and what to do; open ones can be acknowledged, the others say when
// a person acknowledged them or the daemon saw the problem end.
const ALERTS_SHOWN = 50;
function alertRow(row, a) {
  timeCell(row, a.raised_at); cell(row, a.flow); cell(row, a.severity, a.status === "open" ? "bad" : "muted");
  cell(row, a.message);
  const status = a.status === "resolved" ? timeCell(row, a.resolved_at, "resolved") :
    a.status === "acknowledged" ? timeCell(row, a.acknowledged_at, "acknowledged") : cell(row, "open", "bad");
  if (a.status !== "open") {
    status.textContent = a.status + " " + status.textContent;
    status.dataset.csv = a.status + " " + (status.dataset.csv || "");
  }
  const td = cell(row, "");
  if (a.status === "open") {
    writeButton(td, "Acknowledge", () => post("/api/alerts/" + a.id + "/ack", null, () => "alert " + a.id + " acknowledged"),
      "Acknowledge alert " + a.id + " (" + a.flow + ")");
  }
}
// The record trail: each step of the record's path across systems, oldest first.
function trailRow(row, s) {
  const failed = s.kind === "dead letter" || !["ok", "confirmed", "pending"].includes(s.outcome);
  if (failed) row.className = "failed";
  timeCell(row, s.at); cell(row, s.flow);
  cell(row, s.kind === "audit" ? s.action : s.kind + (s.status ? " (" + s.status + ")" : ""));
  cell(row, s.outcome, failed ? "bad" : "ok");
  cell(row, s.source_ref); cell(row, s.target_ref); cell(row, s.detail); cell(row, s.answer, "bad");
}
async function get(url, poll) {
  // The timed refresh says so: it does not keep an unattended session alive (idle expiry).
  const answer = await fetch(url, poll ? { headers: { "X-MLC-Poll": "1" } } : {});
  if (answer.status === 401) throw new LoggedOut();
  if (!answer.ok) throw new Error(url + ": " + answer.status);
  return answer.json();
}
async function refresh(poll) {
  const mine = session;  // A refresh that outlives its session (logout, another login) draws nothing.
  try {
    const overview = await get("/api/overview", poll);
    const alerts = await get("/api/alerts", poll);
    for (const name of openFlows) {
      flowRuns.set(name, (await get("/api/flows/" + encodeURIComponent(name) + "/runs", poll)).runs);
    }
    if (Date.now() - activityAt > ACTIVITY_EVERY_MS) {
      activity = await get("/api/activity?hours=24", poll);
      activityAt = Date.now();
    }
    if (Date.now() - weekAt > WEEK_EVERY_MS) {
      week = await get("/api/activity?hours=168", poll);
      weekAt = Date.now();
    }
    if (session !== mine) return;
    fill("alerts", alerts.alerts.slice(0, ALERTS_SHOWN), alertRow);
    fill("flows", overview.flows, flowRow);
    const connections = await get("/api/connections", poll);
    if (session !== mine) return;
    fill("connections", connections.flows.flatMap((f) => f.connections.map((c) => ({ flow: f.flow, c, cursors: f.cursors }))), connectionRow);
    const groups = await get("/api/deadletters/groups", poll);
    const letters = await get("/api/deadletters?status=open&limit=1000", poll);
    if (session !== mine) return;
    fill("groups", groups.groups, (row, g) => groupRow(row, g, letters.dead_letters));
    fill("letters", letters.dead_letters, (row, l) => {
      cell(row, l.id); cell(row, l.flow); cell(row, l.source_system + " " + l.source_key);
      cell(row, l.error_message, "bad"); cell(row, l.attempts); timeCell(row, l.last_seen);
      button(row, "Replay", () => post("/api/deadletters/" + l.id + "/replay"));
    });
    const all = document.getElementById("letters-actions");
    all.replaceChildren();
    if (letters.dead_letters.length > 0) {
      writeButton(all, "Replay all open letters", () => post("/api/deadletters/replay-all", {},
        (r) => "replayed " + r.replayed + ", failed again " + r.failed + (r.more_pending ? "; more are left: replay all again" : "")));
    }
    const status = document.getElementById("status");
    status.textContent = "updated " + readable(overview.now);
    status.title = utc(overview.now);
  } catch (e) {
    if (session !== mine) return;
    if (e instanceof LoggedOut) return showLogin();
    document.getElementById("status").textContent = "cannot reach the daemon: " + e.message;
  }
}
// Live updates: each "change" event refreshes the page; while the stream is down the page
// polls every POLL_MS (the browser reconnects the stream by itself and "ready" stops the poll).
function live(on) {
  const state = document.getElementById("live");
  state.textContent = on ? "live" : "updates every " + Math.round(POLL_MS / 1000) + " s";
  state.dataset.live = on ? "1" : "0";
  if (on && timer) { clearInterval(timer); timer = null; }
  if (!on && !timer && session) timer = setInterval(() => refresh(true), POLL_MS);
}
function listen() {
  if (!window.EventSource) return live(false);
  events = new EventSource("/api/events");
  events.addEventListener("ready", () => { live(true); refresh(true); });
  events.addEventListener("change", () => {
    if (!soon) soon = setTimeout(() => { soon = null; refresh(true); }, 150);
  });
  events.onerror = () => live(false);
}
function stopListening() {
  if (events) events.close();
  events = null;
  if (soon) clearTimeout(soon);
  soon = null;
}
function showLogin(setup) {
  session = null;
  stopListening();
  if (timer) clearInterval(timer);
  timer = null;
  // Nothing of the last user's page stays behind for the next one (their buttons, their data).
  for (const body of document.querySelectorAll("#console tbody")) body.replaceChildren();
  document.getElementById("letters-actions").replaceChildren();
  openGroups.clear();
  openFlows.clear();
  flowRuns.clear();
  reasons.clear();
  pings.clear();
  activity = null;
  activityAt = 0;
  week = null;
  weekAt = 0;
  notice("", false);
  document.getElementById("status").textContent = "loading...";
  document.getElementById("console").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-setup").textContent = setup || "";
  document.getElementById("login-user").focus();
}
function showConsole(who) {
  session = who;
  document.getElementById("login").hidden = true;
  document.getElementById("console").hidden = false;
  document.getElementById("whoami").textContent = who.user + " (" + who.role + ")";
  refresh();
  live(false);  // Polls until the stream says "ready".
  listen();
}
async function start() {
  const answer = await fetch("/api/session");
  const body = await answer.json();
  if (answer.ok) return showConsole(body);
  showLogin(body.setup);
}
document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  const password = document.getElementById("login-password");
  const answer = await fetch("/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: document.getElementById("login-user").value.trim(),
                           password: password.value }),
  });
  password.value = "";
  const body = await answer.json();
  if (!answer.ok) {
    error.textContent = body.error || answer.statusText;
    document.getElementById("login-setup").textContent = body.setup || "";
    return;
  }
  showConsole(body);
});
document.getElementById("logout").addEventListener("click", async () => {
  await fetch("/api/logout", { method: "POST", headers: { "X-MLC-CSRF": session.csrf_token } });
  showLogin();
});
document.getElementById("trail-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = document.getElementById("trail-key").value.trim();
  const summary = document.getElementById("trail-summary");
  if (!key) return;
  try {
    const found = await get("/api/trail?key=" + encodeURIComponent(key));
    fill("trail", found.steps, trailRow);
    summary.textContent = found.steps.length === 0 ? "nothing found for " + key :
      found.steps.length + " steps of " + found.records.join(", ") + (found.truncated ? " (the newest only)" : "");
  } catch (e) {
    if (e instanceof LoggedOut) return showLogin();
    summary.textContent = "cannot search: " + e.message;
  }
});
document.getElementById("audit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = document.getElementById("audit-key").value.trim();
  const flow = document.getElementById("audit-flow").value.trim();
  const query = new URLSearchParams({ limit: "200" });
  if (key) query.set("key", key);
  if (flow) query.set("flow", flow);
  try {
    const found = await get("/api/audit?" + query.toString());
    fill("audit", found.events, (row, e) => {
      timeCell(row, e.at); cell(row, e.flow); cell(row, e.action);
      cell(row, e.outcome, e.outcome === "ok" ? "ok" : "bad");
      cell(row, e.source_ref); cell(row, e.target_ref); cell(row, e.detail);
    });
  } catch (e) {
    if (e instanceof LoggedOut) showLogin();
  }
});
start();
</script>
</body>
</html>
)HTML";

}  // namespace mlc::console
