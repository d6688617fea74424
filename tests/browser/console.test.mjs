// The web console in a real browser (playwright-core driving Debian's chromium, no download)
// against `mlc demo`: the built daemon on the sandboxes, with console users made by the CLI.
//
//   node console.test.mjs MLC_BINARY OUTPUT_DIR
//
// Exit 0 when every check passed, 77 (ctest: skipped) when /usr/bin/chromium is absent, 1 with
// the failed check otherwise. Screenshots go to OUTPUT_DIR: 1-login-no-user.png,
// 2-login-refused.png, 3-console-operator.png (charts, a flow's run history),
// 3b-flow-paused.png, 4-logged-out.png, 5-console-viewer.png, 6-errors-by-cause.png,
// 7-sku-mapped.png, 8-alert-acknowledged.png, 9-record-trail.png, 10-live-paused-elsewhere.png,
// 11-phone.png (390x844), 11b-phone-flows-scrolled.png, 12-connection-pinged.png.
// The page is opened with ?poll=600000: it polls only every 10 min when its event stream is down,
// so whatever shows up sooner came by the stream (Server-Sent Events).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const CHROMIUM = process.env.MLC_CHROMIUM || "/usr/bin/chromium";
const PASSWORD = "correct horse battery staple";
const WAIT_MS = 120_000;  // Bound on waiting for the real daemon (start, first dead letter).
const POLL_MS = 600_000;  // The page's fallback poll: longer than any wait here.
const UNKNOWN_SKU = "WB-2041-DISC";  // The demo's deliberate unknown SKU (cli/demo/demo_catalog.hpp).

const [mlc, outDir] = process.argv.slice(2);
if (!mlc || !outDir) {
  console.error("usage: node console.test.mjs MLC_BINARY OUTPUT_DIR");
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is absent; scripts/install-deps.sh installs Debian's chromium`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  console.error("playwright-core is missing: run scripts/install-deps.sh (npm ci in tests/browser)");
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Polls `probe` (a real child process: no test clock to drive) until it answers truthy.
async function waitFor(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function addUser(dataDir, name, role) {
  const run = spawnSync(
    mlc,
    ["--data-dir", dataDir, "-c", path.join(dataDir, "mlc.yaml"), "console", "user", "add", name,
     "--role", role],
    { input: PASSWORD + "\n", encoding: "utf8" });
  assert.equal(run.status, 0, `mlc console user add ${name}: ${run.stderr}`);
  assert.ok(!run.stdout.includes(PASSWORD) && !run.stderr.includes(PASSWORD));
}

// ---- Without the browser: every console API refuses a caller without a session.
async function checkLoggedOut(base) {
  const calls = [
    ["GET", "/api/session"], ["GET", "/api/overview"], ["GET", "/api/deadletters"],
    ["GET", "/api/audit?key=x"], ["GET", "/api/alerts"], ["POST", "/api/deadletters/1/replay"],
    ["POST", "/api/alerts/1/ack"], ["POST", "/api/logout"], ["GET", "/api/unknown"],
    ["GET", "/api/deadletters/groups"], ["POST", "/api/deadletters/groups/replay"],
    ["POST", "/api/deadletters/groups/resolve"], ["POST", "/api/deadletters/1/resolve"],
    ["POST", "/api/flows/x/pause"], ["POST", "/api/flows/x/resume"], ["POST", "/api/flows/x/run"],
    ["GET", "/api/trail?key=x"], ["GET", "/api/events"],
    ["GET", "/api/connections"], ["POST", "/api/connections/x/ping"],
  ];
  for (const [method, url] of calls) {
    const answer = await fetch(base + url, { method });
    assert.equal(answer.status, 401, `${method} ${url} logged out`);
  }
  assert.equal((await fetch(base + "/healthz")).status, 200);
  assert.equal((await fetch(base + "/metrics")).status, 200);
}

async function apiLogin(base, user) {
  const answer = await fetch(base + "/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ user, password: PASSWORD }),
  });
  assert.equal(answer.status, 200, "login as " + user);
  const cookie = answer.headers.get("set-cookie").split(";")[0];
  return { cookie, csrf: (await answer.json()).csrf_token };
}

// ---- Without the browser: a forged cross-site POST is refused, with or without the token.
async function checkForgery(base) {
  const { cookie, csrf } = await apiLogin(base, "olga");
  const replay = base + "/api/deadletters/1/replay";
  const foreign = await fetch(replay, {
    method: "POST",
    headers: { Cookie: cookie, "X-MLC-CSRF": csrf, Origin: "https://evil.example" },
  });
  assert.equal(foreign.status, 403, "foreign Origin");
  const tokenless = await fetch(replay, { method: "POST", headers: { Cookie: cookie, Origin: base } });
  assert.equal(tokenless.status, 403, "no CSRF token");
  const crossLogin = await fetch(base + "/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
    body: JSON.stringify({ user: "olga", password: PASSWORD }),
  });
  assert.equal(crossLogin.status, 403, "login from another site");
}

// Live updates: the page listens to GET /api/events (and would poll only every 10 min), so a
// flow paused and resumed by another client (the API, as another operator's browser would) shows
// on the page without a reload.
async function liveUpdate(page, base) {
  await page.locator("#live").getByText("live", { exact: true }).waitFor();
  const { cookie, csrf } = await apiLogin(base, "olga");
  const first = page.locator("#flows > tbody > tr").first();
  const name = (await first.locator("td summary").first().textContent()).trim();
  const act = (verb) => fetch(base + "/api/flows/" + encodeURIComponent(name) + "/" + verb, {
    method: "POST", headers: { Cookie: cookie, "X-MLC-CSRF": csrf, Origin: base } });
  await page.evaluate(() => { window.mlcNotReloaded = true; });
  assert.equal((await act("pause")).status, 200, "paused through the API");
  await first.locator(":scope > td").nth(1).getByText("paused", { exact: true }).waitFor();
  await page.screenshot({ path: path.join(outDir, "10-live-paused-elsewhere.png"), fullPage: true });
  assert.equal((await act("resume")).status, 200, "resumed through the API");
  await page.getByRole("button", { name: "Pause " + name, exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.mlcNotReloaded), true, "the page was not reloaded");
}

// A phone (390x844): the page body never scrolls sideways; each table scrolls inside its own
// labelled box, and a button at the far right of the flows table is reachable and works.
async function phone(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("#flows > tbody > tr").first().locator("td").nth(1).waitFor();
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
  assert.ok(overflow.page <= overflow.view && overflow.body <= overflow.view,
            "no horizontal scroll of the page: " + JSON.stringify(overflow));
  const box = page.getByRole("region", { name: "Flows table" });
  assert.ok(await box.evaluate((b) => b.scrollWidth > b.clientWidth && getComputedStyle(b).overflowX === "auto"),
            "the flows table scrolls inside its box");
  await page.screenshot({ path: path.join(outDir, "11-phone.png"), fullPage: true });
  const first = page.locator("#flows > tbody > tr").first();
  const name = (await first.locator("td summary").first().textContent()).trim();
  const run = page.getByRole("button", { name: "Run " + name + " now" });
  await run.scrollIntoViewIfNeeded();
  const at = await run.boundingBox();
  assert.ok(at && at.x >= 0 && at.x + at.width <= 390, "Run now within the screen: " + JSON.stringify(at));
  await run.click();
  await page.locator("#notice").getByText(name + " runs now").waitFor();
  await page.screenshot({ path: path.join(outDir, "11b-phone-flows-scrolled.png") });
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Connections: each flow's connections with the stored token's expiry, the rate and the budget spent, the flow's
// cursors with how far behind they are; "Ping" runs `mlc ping`'s checks against the sandbox from
// the page, shows them in the row and is audited with the user.
async function pingConnection(page) {
  const rows = page.locator("#connections > tbody > tr");
  await rows.first().locator("td").nth(1).waitFor();
  await waitFor("a flow's cursor in the connections table", async () => {
    const cursors = await rows.evaluateAll((rs) => rs.map((r) => r.cells[6].textContent));
    return cursors.some((t) => / behind \(|\(moved /.test(t));
  });
  // The demo's flows have sent requests: the budget each connection has spent shows beside its rate.
  await waitFor("a connection's budget spent in the connections table", async () => {
    const rates = await rows.evaluateAll((rs) => rs.map((r) => r.cells[4].textContent));
    return rates.some((t) => /; \d+ of \d+ used now \(refills \d+\/min\)/.test(t));
  });
  const first = rows.first();
  const flow = await first.locator("td").first().textContent();
  const name = (await first.locator("td").nth(1).textContent()).split(" (")[0];
  await page.getByRole("button", { name: "Ping " + name + " (" + flow + ")" }).click();
  const said = await page.locator("#notice").getByText("ping " + name + ":").textContent();
  assert.match(said, /every check passed/, "the demo's connection answers: " + said);
  await first.locator("td").nth(5).getByText(/^ok: .*reach ok/).waitFor();
  const audit = await page.evaluate(() => fetch("/api/audit?flow=console&key=olga").then((r) => r.json()));
  assert.ok(audit.events.some((e) => e.detail.startsWith("olga pinged connection " + name + " (")),
            "the ping is audited with the user");
  await page.screenshot({ path: path.join(outDir, "12-connection-pinged.png"), fullPage: true });
}

async function login(page, user, password) {
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

// The first flow is paused from the page (its state says so, the daemon's overview too), then
// resumed.
async function pauseAndResume(page) {
  const first = page.locator("#flows > tbody > tr").first();
  const name = (await first.locator("td summary").first().textContent()).trim();
  await page.getByRole("button", { name: "Pause " + name, exact: true }).click();
  await page.getByRole("button", { name: "Resume " + name, exact: true }).waitFor();
  await page.locator("#notice").getByText(name + " paused").waitFor();
  const paused = await page.evaluate(() => fetch("/api/overview").then((r) => r.json()));
  const row = paused.flows.find((f) => f.name === name);
  assert.equal(row.state, "paused", "the overview says the flow is paused");
  assert.equal(await first.locator(":scope > td").nth(1).textContent(), "paused");
  assert.ok(await page.getByRole("button", { name: "Run " + name + " now" }).isDisabled());
  await page.screenshot({ path: path.join(outDir, "3b-flow-paused.png"), fullPage: true });
  await page.getByRole("button", { name: "Resume " + name, exact: true }).click();
  await page.getByRole("button", { name: "Pause " + name, exact: true }).waitFor();
  const resumed = await page.evaluate(() => fetch("/api/overview").then((r) => r.json()));
  assert.equal(resumed.flows.find((f) => f.name === name).paused, false, "resumed");
}

// The demo's unknown SKU is one group: its fix and the record as ShipStation sent it; replaying
// it (still unmapped) fails again and says so; mapping the SKU from the group lands its orders.
async function unknownSkuGroup(page) {
  const group = page.locator("#groups > tbody > tr", { hasText: UNKNOWN_SKU }).first();
  await group.waitFor();
  await group.locator("summary").click();
  await group.locator("pre.record").getByText(UNKNOWN_SKU).first().waitFor();
  assert.ok(await group.getByText("mappings.parts").first().isVisible(), "the group names the fix");
  await page.screenshot({ path: path.join(outDir, "6-errors-by-cause.png"), fullPage: true });
  const before = await page.evaluate(() => fetch("/api/deadletters/groups").then((r) => r.json()));
  const mine = before.groups.find((g) => g.message.includes("WB-2041-DISC"));
  assert.ok(mine, "the API lists the unknown SKU's group");

  await group.getByRole("button", { name: "Replay group" }).click();
  // Still unmapped: it fails again (or, if the flow is running this moment, waits: 409).
  await page.locator("#notice").getByText(/failed again|running/).waitFor();
  await group.getByRole("button", { name: "Resolve group" }).click();
  await page.locator("#notice").getByText("say why").waitFor();  // No reason: nothing sent.
  // The fix in place: map the unknown SKU to a part Epicor has; the daemon reloads and replays
  // the orders that waited for it, and they land (the group is gone).
  await group.getByLabel("Map " + UNKNOWN_SKU + " to").fill("WB-1002");
  await group.getByRole("button", { name: "Map " + UNKNOWN_SKU + " and replay" }).click();
  await page.locator("#notice").getByText(/mappings\.parts: WB-2041-DISC -> WB-1002: reloaded/).waitFor();
  await page.locator("#groups > tbody > tr", { hasText: UNKNOWN_SKU }).waitFor({ state: "detached" });
  // Each order of the group landed in Epicor: replayed by the fix, or written by the flow's own
  // next read of it (which heals its letter: "resolved") if that came first.
  for (const id of mine.letter_ids) {
    const letter = await waitFor("letter " + id + " replayed or healed", async () => {
      for (const status of ["replayed", "resolved"]) {
        const got = await page.evaluate(
          (s) => fetch("/api/deadletters?limit=1000&status=" + s).then((r) => r.json()), status);
        const found = got.dead_letters.find((l) => l.id === id);
        if (found) return found;
      }
      return null;
    });
    const trail = await page.evaluate(
      (k) => fetch("/api/trail?key=" + encodeURIComponent(k)).then((r) => r.json()), letter.source_key);
    assert.ok(trail.steps.some((s) => s.kind === "binding" && s.flow === mine.flow && s.outcome === "confirmed"),
              "order " + letter.source_key + " landed in Epicor once its SKU was mapped");
  }
  const audit = await page.evaluate(
    () => fetch("/api/audit?flow=console&key=olga").then((r) => r.json()));
  assert.ok(audit.events.some((e) => e.detail.includes("olga mapped shipstation")),
            "the mapping is audited with the user");
  await page.screenshot({ path: path.join(outDir, "7-sku-mapped.png"), fullPage: true });
}

// The demo's alerts (alerts.dead_letters_max: 0, checked every 10 s) raise one for the flow
// holding the unknown SKU's orders: it says what to do, is acknowledged from the keyboard, and
// then says so instead of offering the button again. Times read "... ago"; hover shows the UTC.
async function acknowledgeAlert(page) {
  const ack = page.locator("#alerts").getByRole("button", { name: /^Acknowledge alert/ }).first();
  await ack.waitFor();
  const name = await ack.getAttribute("aria-label");
  const id = Number(/alert (\d+)/.exec(name)[1]);
  const row = page.locator("#alerts > tbody > tr").filter({ has: page.getByRole("button", { name }) });
  assert.match(await row.locator("td").nth(3).textContent(), /mlc deadletters list/, "what to do");
  const raised = row.locator("td").first();
  assert.match(await raised.textContent(), /(\d+ (s|min) ago|in \d+ s)/, "a readable time");
  assert.match(await raised.getAttribute("title"), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d.* UTC$/, "UTC on hover");
  await ack.focus();
  await page.keyboard.press("Enter");
  await page.locator("#notice").getByText(`alert ${id} acknowledged`).waitFor();
  await page.getByRole("button", { name }).waitFor({ state: "detached" });
  const alerts = await page.evaluate(() => fetch("/api/alerts").then((r) => r.json()));
  const mine = alerts.alerts.find((a) => a.id === id);
  assert.ok(mine.status === "acknowledged" || mine.status === "resolved", "acknowledged: " + mine.status);
  await page.screenshot({ path: path.join(outDir, "8-alert-acknowledged.png"), fullPage: true });
}

// RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; ++i; }
    else field += c;
  }
  return rows;
}

// "Find a record": a tracking number the demo's ShipStation shipment wrote back to Epicor leads
// to the Epicor order it went on and the ShipStation order that made it; the trail downloads as
// CSV with the same rows.
async function recordTrail(page) {
  const shipped = await waitFor("a ShipStation shipment's tracking in Epicor", async () => {
    const audit = await page.evaluate(() =>
      fetch("/api/audit?flow=shipstation-to-epicor-orders&limit=1000").then((r) => r.json()));
    for (const e of audit.events) {
      // "ShipStation shipment 700008 (tracking 1Z786071940750, order ...) -> epicor:SalesOrder:5010:..."
      const tracking = /\(tracking (\S+),/.exec(e.detail);
      const order = /^epicor:SalesOrder:(\d+):CustShip:/.exec(e.target_ref);
      if (tracking && order && e.outcome === "ok") return { tracking: tracking[1], order: order[1] };
    }
    return null;
  });
  await page.getByLabel(/tracking number/).fill(shipped.tracking);
  await page.getByLabel(/tracking number/).press("Enter");
  const steps = page.locator("#trail > tbody > tr");
  await steps.filter({ hasText: shipped.tracking }).first().waitFor();
  const cells = await steps.evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const times = await steps.evaluateAll((rows) => rows.map((r) => r.cells[0].dataset.csv));
  assert.deepEqual([...times].sort(), times, "the trail is in time order");
  const made = cells.findIndex((c) => c[5] === "epicor:SalesOrder:" + shipped.order);
  assert.ok(made >= 0, `the trail reaches Epicor order ${shipped.order}: ${JSON.stringify(cells)}`);
  assert.match(cells[made][4], /^shipstation:/, "made from a ShipStation order");
  const tracked = cells.findIndex((c) => c[6].includes(shipped.tracking));
  assert.ok(made < tracked, "the order comes before its tracking");
  await page.screenshot({ path: path.join(outDir, "9-record-trail.png"), fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download trail as CSV" }).click(),
  ]);
  const csv = parseCsv(fs.readFileSync(await download.path(), "utf8"));
  assert.deepEqual(csv[0], ["When", "Flow", "Step", "Outcome", "From", "To", "What happened", "Vendor's answer"]);
  assert.equal(csv.length, cells.length + 1, "a CSV record per step shown");
  assert.deepEqual(csv.slice(1).map((r) => r[6]), cells.map((c) => c[6].trim()), "the details, quoted");
  assert.equal(csv[1 + made][5], "epicor:SalesOrder:" + shipped.order);
  assert.match(csv[1][0], /^\d{4}-\d\d-\d\dT/, "the CSV keeps the exact UTC time");
}

async function browse(base, dataDir) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);  // 2 cores shared with builds: the demo can be slow.
    await page.goto(base + "/?poll=" + POLL_MS);
    // No user yet: the login page says how to create one.
    await page.locator("#login-setup").getByText("mlc console user add").waitFor();
    await page.screenshot({ path: path.join(outDir, "1-login-no-user.png"), fullPage: true });
    addUser(dataDir, "olga", "operator");
    addUser(dataDir, "vera", "viewer");

    await login(page, "olga", "not the password");
    await page.locator("#login-error").getByText("wrong user name or password").waitFor();
    assert.equal(await page.locator("#login-setup").textContent(), "", "no stale no-user hint");
    assert.ok(await page.locator("#console").isHidden());
    await page.screenshot({ path: path.join(outDir, "2-login-refused.png"), fullPage: true });

    await login(page, "olga", PASSWORD);
    await page.locator("#whoami").getByText("olga (operator)").waitFor();
    // The flows page: a row per flow of the demo (a "none" row has one cell only).
    await page.locator("#flows > tbody > tr").first().locator("td").nth(1).waitFor();
    // The demo parks an order with an unknown SKU: an operator may replay it.
    const replay = page.locator("#letters").getByRole("button", { name: "Replay" }).first();
    await replay.waitFor({ timeout: WAIT_MS });
    assert.ok(await replay.isEnabled(), "an operator's Replay button is enabled");
    // Each flow's chart of the last 24 h; the demo's orders show as records moved.
    await page.locator("#flows svg.chart").first().waitFor();
    await waitFor("records moved in a flow's charts (24 h and 7 days)", async () => {
      const labels = await page.locator("#flows svg.chart").evaluateAll(
        (svgs) => svgs.map((svg) => svg.getAttribute("aria-label")));
      return labels.some((label) => /^[1-9]\d* records moved, \d+ parked in the last 24 h/.test(label)) &&
        labels.some((label) => /^[1-9]\d* records moved, \d+ parked in the last 7 days \(busiest 6 h/.test(label));
    });
    const weekBars = await page.locator("#flows > tbody > tr").first().locator(":scope > td").nth(12)
      .locator("svg.chart").getAttribute("width");
    assert.equal(weekBars, String(28 * 5), "7 days as 28 bars of 6 h");
    // A flow's run history: the first flow has run (the demo runs every flow at once).
    const firstFlow = page.locator("#flows > tbody > tr").first();
    await firstFlow.locator("summary").click();
    await firstFlow.locator("details.runs tbody tr td").first().waitFor();
    await waitFor("the first flow's first run in its history", async () =>
      (await firstFlow.locator("details.runs tbody tr td").first().textContent()) !== "no run yet");
    await page.screenshot({ path: path.join(outDir, "3-console-operator.png"), fullPage: true });
    await pauseAndResume(page);
    await liveUpdate(page, base);
    await pingConnection(page);
    await acknowledgeAlert(page);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("User name").waitFor();
    assert.equal((await page.evaluate(() => fetch("/api/overview").then((r) => r.status))), 401);
    await page.screenshot({ path: path.join(outDir, "4-logged-out.png"), fullPage: true });

    await login(page, "vera", PASSWORD);
    await page.locator("#whoami").getByText("vera (viewer)").waitFor();
    const viewerReplay = page.locator("#letters").getByRole("button", { name: "Replay" }).first();
    await viewerReplay.waitFor({ timeout: WAIT_MS });
    assert.ok(await viewerReplay.isDisabled(), "a viewer's Replay button is disabled");
    // And the API refuses a viewer even when the page is bypassed.
    // (The role is checked before the id: any id answers 403, whatever the demo healed since.)
    const status = await page.evaluate(async () => {
      const who = await (await fetch("/api/session")).json();
      const answer = await fetch("/api/deadletters/1/replay",
                                 { method: "POST", headers: { "X-MLC-CSRF": who.csrf_token } });
      return answer.status;
    });
    assert.equal(status, 403, "a viewer's replay through the API");
    const viewerGroup = page.locator("#groups").getByRole("button", { name: "Replay group" }).first();
    await viewerGroup.waitFor();
    assert.ok(await viewerGroup.isDisabled(), "a viewer's Replay group button is disabled");
    assert.ok(await page.getByRole("button", { name: "Replay all open letters" }).isDisabled(),
              "a viewer's Replay all button is disabled");
    assert.ok(await page.locator("#flows").getByRole("button", { name: "Pause" }).first().isDisabled(),
              "a viewer's Pause button is disabled");
    assert.ok(await page.locator("#connections").getByRole("button", { name: /^Ping / }).first().isDisabled(),
              "a viewer's Ping button is disabled");
    await page.screenshot({ path: path.join(outDir, "5-console-viewer.png"), fullPage: true });
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("User name").waitFor();

    await login(page, "olga", PASSWORD);
    await page.locator("#whoami").getByText("olga (operator)").waitFor();
    await unknownSkuGroup(page);
    await recordTrail(page);
    await phone(page);
  } finally {
    await browser.close();
  }
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlc-browser-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(outDir, "demo.log"), "w");
  // --no-demo-user: no console user yet, as a new installation starts.
  const demo = spawn(mlc, ["--data-dir", dataDir, "demo", "--no-demo-user", "--port", String(port),
                           "--orders", "5"],
                     { stdio: ["ignore", log, log] });
  let exited = null;
  demo.on("exit", (code) => { exited = code; });
  try {
    await waitFor("the demo's daemon", async () =>
      exited !== null || (await fetch(base + "/healthz")).ok);
    if (exited !== null) throw new Error(`mlc demo exited with ${exited} (see demo.log)`);
    await checkLoggedOut(base);
    await browse(base, dataDir);
    await checkForgery(base);
    console.log(`PASS: console login, roles, logout, 401s and CSRF refusals; screenshots in ${outDir}`);
  } finally {
    demo.kill("SIGTERM");
    await new Promise((r) => (exited !== null ? r() : demo.on("exit", r)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error("FAIL:", error.stack || error.message);
  process.exit(1);
});
