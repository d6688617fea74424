#pragma once
// The console's one page: plain HTML and JavaScript over the JSON API (console.hpp), nothing
// loaded from elsewhere, every value written with textContent (never parsed as HTML: record
// keys and vendor error messages are outside input). It shows the login form until
// GET /api/session answers, keeps the session's CSRF token in memory for its writes, and disables
// the write buttons of a viewer.

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
 #login { max-width: 22em; }
 #login label { display: block; margin-top: .8em; }
 #login input { width: 100%; box-sizing: border-box; }
 #login button { margin-top: 1em; }
 #whoami { font-size: .8em; font-weight: normal; margin-left: 1em; }
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

<main id="console" hidden>
<h1>ml-connector <span id="status" class="muted">loading...</span>
 <span id="whoami" class="muted"></span> <button id="logout" type="button">Log out</button></h1>

<h2>Alerts</h2>
<table id="alerts"><thead><tr><th>Raised</th><th>Flow</th><th>Severity</th><th>What is wrong and how to fix it</th><th></th></tr></thead><tbody></tbody></table>

<h2>Flows</h2>
<table id="flows"><thead><tr><th>Flow</th><th>Recipe</th><th>Every</th><th>Last run</th><th>Created</th><th>Updated</th><th>Skipped</th><th>Parked</th><th>Open dead letters</th><th>Last error</th></tr></thead><tbody></tbody></table>

<h2>Dead letters (open)</h2>
<table id="letters"><thead><tr><th>Id</th><th>Flow</th><th>Record</th><th>Error and fix</th><th>Attempts</th><th>Last seen</th><th></th></tr></thead><tbody></tbody></table>

<h2>Audit trail</h2>
<form id="audit-form">
 <label for="audit-key">Record key</label>
 <input id="audit-key" placeholder="order key, SKU or Epicor order number">
 <label for="audit-flow">Flow</label>
 <input id="audit-flow" placeholder="optional">
 <button type="submit">Search</button>
</form>
<table id="audit"><thead><tr><th>At</th><th>Flow</th><th>Action</th><th>Outcome</th><th>Source</th><th>Target</th><th>Detail</th></tr></thead><tbody></tbody></table>
</main>

<script>
"use strict";
let session = null;  // {user, role, can_write, csrf_token} once logged in.
let timer = null;

class LoggedOut extends Error {}

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
  b.type = "button";
  if (!session.can_write) {
    b.disabled = true;
    b.title = "viewers cannot change anything";
  }
  b.addEventListener("click", action);
  td.appendChild(b);
}
async function post(url) {
  const answer = await fetch(url, { method: "POST", headers: { "X-MLC-CSRF": session.csrf_token } });
  if (answer.status === 401) return showLogin();
  const body = await answer.json();
  if (!answer.ok) alert(body.error || answer.statusText);
  await refresh();
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
    if (session !== mine) return;
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
    const letters = await get("/api/deadletters?status=open&limit=200", poll);
    if (session !== mine) return;
    fill("letters", letters.dead_letters, (row, l) => {
      cell(row, l.id); cell(row, l.flow); cell(row, l.source_system + " " + l.source_key);
      cell(row, l.error_message, "bad"); cell(row, l.attempts); cell(row, l.last_seen);
      button(row, "Replay", () => post("/api/deadletters/" + l.id + "/replay"));
    });
    document.getElementById("status").textContent = "updated " + overview.now;
  } catch (e) {
    if (session !== mine) return;
    if (e instanceof LoggedOut) return showLogin();
    document.getElementById("status").textContent = "cannot reach the daemon: " + e.message;
  }
}
function showLogin(setup) {
  session = null;
  if (timer) clearInterval(timer);
  timer = null;
  // Nothing of the last user's page stays behind for the next one (their buttons, their data).
  for (const body of document.querySelectorAll("#console tbody")) body.replaceChildren();
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
  timer = setInterval(() => refresh(true), 5000);
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
      cell(row, e.at); cell(row, e.flow); cell(row, e.action);
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
