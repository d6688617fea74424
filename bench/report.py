"""BENCHMARKS.md from one run's OUT/results.json (bench/bench.py report OUT FILE)."""
import json
import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                  if l.startswith("model name")), platform.processor())
    mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return f"{model}, {os.cpu_count()} cores, {mem_kb / 1048576:.1f} GiB RAM, Linux " \
           f"{platform.release()}"


def commit():
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head + (" (work tree with uncommitted changes of other sessions)" if dirty else "")


def num(value, digits=0):
    return f"{value:,.{digits}f}"


def pick(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def intake_rows(rows):
    lines = ["| connections | inbox rows before | deliveries/s (200, stored) | p50 ms | p99 ms "
             "| rows stored | non-2xx / errors | mlc CPU ms per delivery (own + kernel) | "
             "wrk CPU ms per delivery | mlc peak RSS MB | load | command |", "| --- " * 12 + "|"]
    for r in pick(rows, kind="intake"):
        lines.append(
            f"| {r['clients']} | {num(r['inbox_before'])} | {num(r['rps'])} | {r['p50_ms']:.2f} "
            f"| {r['p99_ms']:.2f} | {num(r['rows_stored'])} | {int(r['non2xx'])} / "
            f"{int(r['errors'])}{' (signatures wrapped)' if r['wrapped'] else ''} | "
            f"{r['mlc_cpu_ms_per_delivery']:.3f} ({r.get('mlc_user_ms_per_delivery', 0):.3f} + "
            f"{r.get('mlc_kernel_ms_per_delivery', 0):.3f}) | "
            f"{r.get('wrk_cpu_ms_per_delivery', 0):.3f} | {r['peak_rss_mb']:.1f} | {r['load']} | "
            f"`{r['command']}` |")
    for r in pick(rows, kind="intake-other"):
        lines.append(
            f"| {r['clients']} ({r['receiver']}) | - | {num(r['rps'])} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | - | {int(r['non2xx'])} / {int(r['errors'])} | - | - | - | "
            f"{r['load']} | `{r['command']}` |")
    return lines


def gbench_rows(rows):
    lines = ["| program | benchmark | counters | real time | load | command |",
             "| --- | --- | --- | --- | --- | --- |"]
    skip = {"kind", "program", "name", "load", "command", "error", "at", "real_time", "cpu_time"}
    for r in pick(rows, kind="gbench"):
        counters = ", ".join(f"{k} {v:,.3g}" if abs(v) < 100 else f"{k} {v:,.0f}"
                             for k, v in r.items() if k not in skip and isinstance(v, float))
        if r.get("error"):
            counters = "ERROR: " + r["error"]
        lines.append(f"| {r['program']} | {r['name']} | {counters} | "
                     f"{r.get('real_time', 0):,.1f} {r.get('time_unit', '')} | {r['load']} | "
                     f"`{r['command']}` |")
    return lines


def sync_rows(rows):
    lines = ["| ShipStation orders seeded | shipments | stopped | records handled (created) | "
             "real s | records/min real | mlc CPU s | mlc CPU ms/record | mlc peak RSS MB | "
             "emulators peak RSS MB | load | command |", "| --- " * 12 + "|"]
    for r in pick(rows, kind="sync-real"):
        stopped = f"SIGINT after {r['limit_s']:.0f} s" if r["interrupted"] else "done"
        lines.append(
            f"| {num(r['volume'])} | {'on' if r.get('shipments', True) else 'off'} | {stopped} | "
            f"{num(r['handled'])} ({num(r['created'])}) | {r['seconds']:.1f} | "
            f"{num(r['records_per_min'])} | {r['cpu_s']:.2f} | {r['cpu_ms_per_record']:.3f} | "
            f"{r['peak_rss_mb']:.1f} | {r['emulators_peak_rss_mb']:.0f} | {r['load']} | "
            f"`{r['command']}` |")
    return lines


def workers_rows(rows):
    lines = ["| workers | deliveries/s accepted (all workers) | p99 ms (worst worker) | non-2xx | "
             "heartbeat flows | flow runs / min | load | command |", "| --- " * 8 + "|"]
    for r in pick(rows, kind="workers"):
        lines.append(f"| {r['workers']} | {num(r['deliveries_per_s'])} | {r['p99_ms']:.1f} | "
                     f"{int(r['non2xx'])} | {r['flows']} | {num(r['flow_runs_per_min'])} | "
                     f"{r['load']} | `{r['command']}` |")
    return lines


# mlc's default request budgets per connection (src/flows/connections/*_connection.hpp); the
# ShipStation one is the vendor's (40 a minute per key).
BUDGETS = {"ShipStation": 40.0, "Epicor": 600.0, "UPS": 300.0}


def ceiling_rows(rows):
    """Records a minute each vendor's budget allows at the calls per record measured here."""
    gb = {(r["program"], r["name"]): r for r in pick(rows, kind="gbench")}
    lines = ["| vendor | calls per record (measured) | where | budget / min | records / min at "
             "that budget |", "| --- | --- | --- | --- | --- |"]
    for (program, name), r in sorted(gb.items()):
        pairs = []
        if program == "shipstation_epicor" and "shipments:0" in name:
            pairs = [("ShipStation", r["ss_per_order"], "order"),
                     ("Epicor", r["epicor_per_order"], "new order")]
        if program == "epicor_ups":
            pairs = [("UPS", r["ups_calls_per_shipment"], "shipment"),
                     ("Epicor", r["epicor_calls_per_shipment"], "shipment")]
        for vendor, calls, what in pairs:
            rate = BUDGETS[vendor] / calls if calls else 0
            lines.append(f"| {vendor} | {calls:.3f} per {what} | `{name}` | "
                         f"{BUDGETS[vendor]:,.0f} | {rate:,.0f} |")
    return lines


def write_report(out, target):
    rows = json.loads((Path(out) / "results.json").read_text())
    # "COMMIT|BUILD TYPE (FLAGS)" of the programs run (bench/run.sh writes it when it builds).
    build_file = Path(out) / "build.txt"
    built = build_file.read_text().strip().split("|", 1) if build_file.exists() else None
    from summary import summary_rows  # bench/summary.py: the table
    text = [
        "# Benchmarks",
        "",
        f"Written by `bench/run.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        "every figure from that one run. Benchmarks, not tests: CI does not run them.",
        "",
        f"- Machine: {machine()}",
        f"- Commit: {built[0] if built else commit()}",
        f"- Load average (1, 5, 15 min) at the start of the run: {rows[0]['load'] if rows else '-'}"
        "; each row below has its own.",
        f"- Build: {built[1] if built else 'Release (-O3)'}, `ninja mlc mlc_bench_*`, "
        "the programs copied at the start of the run.",
        "",
        "## Issue 15's table",
        "",
    ] + summary_rows(rows) + [
        "",
        "## Webhook intake: `mlc run` and wrk in separate processes",
        "",
        "Signed WooCommerce order deliveries (`X-WC-Webhook-Signature`, 1.9 KB, every body "
        "distinct) to `/hooks/intake/woocommerce` of `mlc run` (SQLite file store, WAL, "
        "synchronous=FULL; 16 handler threads, the default). A 200 means the row is committed. "
        "The 1M rows are processed deliveries written by SQL into a copy of a state file `mlc run` "
        "made. `rows stored` is counted in the state file afterwards.",
        "",
    ] + intake_rows(rows) + [
        "",
        "## Sync in real time: `mlc sandbox` in its own process",
        "",
        "`mlc sync orders --once` (shipstation-to-epicor-orders) against `mlc sandbox --systems "
        "shipstation,epicor`: ShipStation's 40 calls a minute enforced by the emulator on the real "
        "clock; the Epicor connection at 1,000,000 calls a minute (mlc's own speed; the default is "
        "600). CPU and peak RSS are mlc's (wait4 rusage), never the emulators'. Records handled = "
        "created + updated + unchanged + parked (orders and shipments).",
        "",
    ] + sync_rows(rows) + ([
        "",
        "## Several workers on one PostgreSQL database (issue 16)",
        "",
        "`mlc run` workers on one PostgreSQL 15 database (a private cluster with the server's "
        "default durability: fsync on), each sent signed deliveries by its own wrk at the same "
        "time (bodies distinct across workers); a 2xx means the row is committed in the shared "
        "inbox. Each worker also schedules every heartbeat flow every second; a flow's lease "
        "lets one worker run it at a time, and the flow runs a minute are counted in the "
        "shared audit.",
        "",
    ] + workers_rows(rows) if pick(rows, kind="workers") else []) + [
        "",
        "## Calls per record and each vendor's budget",
        "",
        "Calls counted on the simulated clock (below); the budget is the vendor's (ShipStation) "
        "or mlc's default per connection (`rate_per_minute`: Epicor 600, UPS 300), so the last "
        "column is what that budget allows, computed from the measured calls.",
        "",
    ] + ceiling_rows(rows) + [
        "",
        "## Simulated clock: the flows over the emulators in one process (Google Benchmark)",
        "",
    ] + gbench_rows(rows) + [""]
    Path(target).write_text("\n".join(text))
    print(f"wrote {target}")
