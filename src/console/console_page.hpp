#pragma once
// The console's one page: plain HTML and JavaScript over the JSON API (console.hpp), nothing
// loaded from elsewhere, every value written with textContent (never parsed as HTML: record
// keys and vendor error messages are outside input).

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
 th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #dde3ea; vertical-align: top; }
 th { background: #f3f6f9; }
 .bad { color: #b3261e; } .ok { color: #1e7b34; } .muted { color: #6b7785; }
 button { font: inherit; padding: 2px 10px; cursor: pointer; }
 input { font: inherit; padding: 2px 6px; }
 #status { margin-left: 1em; }
</style>
</head>
<body>
<h1>ml-connector <span id="status" class="muted">loading...</span></h1>

<h2>Alerts</h2>
<table id="alerts"><thead><tr><th>Raised</th><th>Flow</th><th>Severity</th><th>What is wrong and how to fix it</th><th></th></tr></thead><tbody></tbody></table>

<h2>Flows</h2>
<table id="flows"><thead><tr><th>Flow</th><th>Recipe</th><th>Every</th><th>Last run</th><th>Created</th><th>Updated</th><th>Skipped</th><th>Parked</th><th>Open dead letters</th><th>Last error</th></tr></thead><tbody></tbody></table>

<h2>Dead letters (open)</h2>
<table id="letters"><thead><tr><th>Id</th><th>Flow</th><th>Record</th><th>Error and fix</th><th>Attempts</th><th>Last seen</th><th></th></tr></thead><tbody></tbody></table>

<h2>Audit trail</h2>
<form id="audit-form">
 <input id="audit-key" placeholder="order key, SKU or Epicor order number">
 <input id="audit-flow" placeholder="flow (optional)">
 <button type="submit">Search</button>
</form>
<table id="audit"><thead><tr><th>At</th><th>Flow</th><th>Action</th><th>Outcome</th><th>Source</th><th>Target</th><th>Detail</th></tr></thead><tbody></tbody></table>

<script>
"use strict";
const write = { method: "POST", headers: { "X-MLC-Console": "1" } };

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}
function fill(id, items, render) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, "none", "muted");
    td.colSpan = 10;
    return;
  }
  for (const item of items) render(body.insertRow(), item);
}
function button(row, label, action) {
  const td = cell(row, "");
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", action);
  td.appendChild(b);
}
async function post(url) {
  const answer = await fetch(url, write);
  const body = await answer.json();
  if (!answer.ok) alert(body.error || answer.statusText);
  await refresh();
}
async function get(url) {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(url + ": " + answer.status);
  return answer.json();
}
async function refresh() {
  try {
    const overview = await get("/api/overview");
    fill("alerts", overview.alerts, (row, a) => {
      cell(row, a.raised_at); cell(row, a.flow); cell(row, a.severity, "bad"); cell(row, a.message);
      button(row, "Acknowledge", () => post("/api/alerts/" + a.id + "/ack"));
    });
    fill("flows", overview.flows, (row, f) => {
      const run = f.last_run || {};
      cell(row, f.name); cell(row, f.recipe);
      cell(row, f.every_seconds ? f.every_seconds + " s" : "on events");
      cell(row, f.last_finished || (f.running ? "running" : "not yet"));
      cell(row, run.created); cell(row, run.updated); cell(row, run.skipped); cell(row, run.parked);
      cell(row, f.open_dead_letters, f.open_dead_letters > 0 ? "bad" : "ok");
      cell(row, f.last_error, "bad");
    });
    const letters = await get("/api/deadletters?status=open&limit=200");
    fill("letters", letters.dead_letters, (row, l) => {
      cell(row, l.id); cell(row, l.flow); cell(row, l.source_system + " " + l.source_key);
      cell(row, l.error_message, "bad"); cell(row, l.attempts); cell(row, l.last_seen);
      button(row, "Replay", () => post("/api/deadletters/" + l.id + "/replay"));
    });
    document.getElementById("status").textContent = "updated " + overview.now;
  } catch (e) {
    document.getElementById("status").textContent = "cannot reach the daemon: " + e.message;
  }
}
document.getElementById("audit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = document.getElementById("audit-key").value.trim();
  const flow = document.getElementById("audit-flow").value.trim();
  const query = new URLSearchParams({ limit: "200" });
  if (key) query.set("key", key);
  if (flow) query.set("flow", flow);
  const found = await get("/api/audit?" + query.toString());
  fill("audit", found.events, (row, e) => {
    cell(row, e.at); cell(row, e.flow); cell(row, e.action);
    cell(row, e.outcome, e.outcome === "ok" ? "ok" : "bad");
    cell(row, e.source_ref); cell(row, e.target_ref); cell(row, e.detail);
  });
});
refresh();
setInterval(refresh, 5000);
</script>
</body>
</html>
)HTML";

}  // namespace mlc::console
