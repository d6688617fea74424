#!/usr/bin/env python3
"""The steps of bench/run.sh and bench/n8n.sh (issue 15): every figure of BENCHMARKS.md.

Subcommands (run.sh calls them in order; each appends its rows to OUT/results.json):
  signatures FILE N         N WooCommerce signatures, one per numbered body (bench/intake.lua)
  intake MLC OUT            `mlc run` + wrk: 1, 16, 64 connections, empty inbox and 1M rows
  intake-url URL OUT NAME   the same wrk load against any URL (n8n.sh)
  workers MLC OUT [N] [F]   N `mlc run` on one PostgreSQL database (under with-postgres.sh)
  sync-real MLC OUT VOLUME LIMIT_S [SHIPMENTS]   `mlc sandbox` in its own process + `mlc sync`
  gbench BINARY OUT NAME [FILTER]   a Google Benchmark program, its counters kept
  record OUT KIND KEY=VALUE...      a figure a shell script measured (n8n.sh)
  report OUT FILE           BENCHMARKS.md from OUT/results.json
Benchmarks, not tests: real time, real fsyncs, shared CPUs. Every row keeps its command and the
load average (/proc/loadavg) when it was taken.
"""
import base64
import hashlib
import hmac
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SECRET = "bench-woo-webhook-secret-0123456789abcdef"
FLOW = "intake"
SIGNATURES = int(os.environ.get("MLC_BENCH_SIGNATURES", "400000"))
DURATION = os.environ.get("MLC_BENCH_DURATION", "10s")
PREFILL = int(os.environ.get("MLC_BENCH_PREFILL", "1000000"))
CLIENTS = [int(c) for c in os.environ.get("MLC_BENCH_CLIENTS", "1,16,64").split(",")]
HERE = Path(__file__).resolve().parent


def body_for(n):
    # Keep in step with body_for() in bench/intake.lua.
    return ('{"id":%d,"status":"processing","currency":"USD","total":"42.00","padding":"%s"}'
            % (100000000 + n, "x" * 1800)).encode()


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def record(out, row):
    """Appends one figure to OUT/results.json (a list of rows)."""
    path = Path(out) / "results.json"
    rows = json.loads(path.read_text()) if path.exists() else []
    row.setdefault("load", loadavg())
    row.setdefault("at", time.strftime("%H:%M:%S", time.gmtime()))
    rows.append(row)
    path.write_text(json.dumps(rows, indent=1))
    print("  " + json.dumps(row), flush=True)


def cmd_signatures(path, n):
    key = SECRET.encode()
    with open(path, "w") as out:
        for i in range(int(n)):
            digest = hmac.new(key, body_for(i), hashlib.sha256).digest()
            out.write(base64.b64encode(digest).decode() + "\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status
    except Exception:  # Not listening yet.
        return None


def proc_kb(pid, key, name="status"):
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def proc_cpu_split_s(pid):
    """(user, kernel) CPU seconds of PID so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def proc_cpu_s(pid):
    return sum(proc_cpu_split_s(pid))


def children_cpu_s():
    """User + kernel CPU seconds of every child waited for so far (wrk, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mlc_data_dir(mlc, path):
    """A data dir with a master key, a vault and the intake flow's WooCommerce secret."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run([mlc, "--data-dir", str(path), "init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([mlc, "--data-dir", str(path), "secret", "set", f"webhook.{FLOW}.woocommerce"],
                   input=SECRET.encode(), check=True, stdout=subprocess.DEVNULL)


def intake_config(path, store, port, store_line=None, flows="{}"):
    """`mlc run` on STORE (a state file; or STORE_LINE, e.g. a PostgreSQL url) with FLOWS."""
    path.write_text(f"""version: 1
store:
  {store_line or f"path: {store}"}
server:
  address: 127.0.0.1
  port: {port}
log:
  format: text
  level: warn
connections: {{}}
flows: {flows}
""")


class Daemon:
    """`mlc run` on CONFIG; start-up is the time from spawn to the first 200 on /healthz."""

    def __init__(self, mlc, data, config, port):
        self.port = port
        self.log = open(config.with_suffix(".log"), "w")
        begin = time.monotonic()
        self.proc = subprocess.Popen([mlc, "-c", str(config), "--data-dir", str(data), "run"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        while get(f"http://127.0.0.1:{port}/healthz", 0.2) != 200:
            if self.proc.poll() is not None or time.monotonic() - begin > 120:
                raise RuntimeError(f"mlc run did not answer /healthz (see {self.log.name})")
            time.sleep(0.001)
        self.startup_ms = (time.monotonic() - begin) * 1000.0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.log.close()


def prefill(store, rows):
    """ROWS processed WooCommerce deliveries written by plain SQL into an existing state file."""
    db = sqlite3.connect(store)
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO inbox (flow, source, delivery_id, body_hash, topic, headers_json, body, "
        "received_at_us, attempts, lease_until_us, lease_owner, done) SELECT ?, 'woocommerce', "
        "'old-' || i, printf('%064d', i), 'order.updated', '{}', printf('%01900d', i), "
        "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER) - 3600000000, 1, NULL, "
        "'', 1 FROM n", (rows, FLOW))
    db.commit()
    db.close()


def inbox_rows(store):
    db = sqlite3.connect(store)
    count = db.execute("SELECT count(*) FROM inbox WHERE flow = ?", (FLOW,)).fetchone()[0]
    db.close()
    return count


def wrk(url, clients, signatures, tag):
    threads = 1 if clients < 2 else 2
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", DURATION, "--latency",
               "-s", str(HERE / "intake.lua"), url, "--", str(signatures), tag, str(threads)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    line = next(l for l in done.stdout.splitlines() if l.startswith("MLCBENCH"))
    figures = dict(pair.split("=") for pair in line.split()[1:])
    figures = {k: float(v) for k, v in figures.items()}
    shown = command[:8] + ["-s", "bench/intake.lua", "URL", "--", "SIGNATURES", tag, str(threads)]
    figures["command"] = " ".join(shown)
    return figures


def intake_once(mlc, work, data, store, clients, signatures, before):
    port = free_port()
    config = work / f"intake-{clients}-{before}.yaml"
    intake_config(config, store, port)
    daemon = Daemon(mlc, data, config, port)
    try:
        idle = {}
        if clients == CLIENTS[0]:
            time.sleep(2)
            pid = daemon.proc.pid
            idle = dict(idle_rss_mb=proc_kb(pid, "VmRSS") / 1024.0,
                        idle_anon_mb=proc_kb(pid, "RssAnon") / 1024.0,
                        idle_file_mb=proc_kb(pid, "RssFile") / 1024.0,
                        idle_pss_mb=proc_kb(pid, "Pss", "smaps_rollup") / 1024.0)
        load = loadavg()
        user, kernel = proc_cpu_split_s(daemon.proc.pid)
        wrk_cpu = children_cpu_s()
        figures = wrk(f"http://127.0.0.1:{port}/hooks/{FLOW}/woocommerce", clients, signatures,
                      f"c{clients}-r{before}")
        per = 1000.0 / max(1.0, figures["requests"])
        user_after, kernel_after = proc_cpu_split_s(daemon.proc.pid)
        # Where the 2 cores went per delivery: mlc's own code, the kernel on mlc's behalf
        # (sockets, fsync), and the load generator beside it.
        figures["mlc_user_ms_per_delivery"] = (user_after - user) * per
        figures["mlc_kernel_ms_per_delivery"] = (kernel_after - kernel) * per
        figures["wrk_cpu_ms_per_delivery"] = (children_cpu_s() - wrk_cpu) * per
        figures["mlc_cpu_ms_per_delivery"] = (figures["mlc_user_ms_per_delivery"] +
                                              figures["mlc_kernel_ms_per_delivery"])
        figures["peak_rss_mb"] = proc_kb(daemon.proc.pid, "VmHWM") / 1024.0
    finally:
        daemon.stop()
    figures.update(kind="intake", clients=clients, inbox_before=before, load=load,
                   startup_ms=daemon.startup_ms, idle_rss_mb=idle.pop("idle_rss_mb", 0.0), **idle,
                   rows_stored=inbox_rows(store) - before)
    return figures


def fsync_probe(work, seconds=3.0):
    """The disk's durable-append rate: 4 KB appended and fsync'ed, one after the other."""
    path = work / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    begin, count = time.monotonic(), 0
    while time.monotonic() - begin < seconds:
        os.write(fd, b"x" * 4096)
        os.fsync(fd)
        count += 1
    elapsed = time.monotonic() - begin
    os.close(fd)
    path.unlink()
    return dict(kind="fsync", fsync_ms=elapsed * 1000.0 / count, fsyncs_per_s=count / elapsed,
                command="bench.py: os.write 4 KB + os.fsync in a loop for 3 s, in the state "
                "file's folder")


def cmd_intake(mlc, out):
    out = Path(out)
    work = out / "intake"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    record(out, fsync_probe(work))
    data = work / "data"
    mlc_data_dir(mlc, data)
    signatures = out / "signatures.txt"
    if not signatures.exists():
        cmd_signatures(signatures, SIGNATURES)
    # The template: a state file made by mlc itself (its migrations), then ROWS added by SQL.
    template = work / "template.db"
    port = free_port()
    intake_config(work / "template.yaml", template, port)
    Daemon(mlc, data, work / "template.yaml", port).stop()
    began = time.monotonic()
    prefill(template, PREFILL)
    print(f"  pre-filled {PREFILL} inbox rows in {time.monotonic() - began:.1f} s", flush=True)
    for before in (0, PREFILL):
        for clients in CLIENTS:
            store = work / "state.db"
            for stale in work.glob("state.db*"):
                stale.unlink()
            if before:
                shutil.copyfile(template, store)
                # Written to disk before mlc starts: otherwise its first checkpoint's fsync
                # flushes the 2 GB copy and the figure measures the copy, not mlc.
                fd = os.open(store, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
            record(out, intake_once(mlc, work, data, store, clients, signatures, before))
    for stale in list(work.glob("state.db*")) + list(work.glob("template.db*")):
        stale.unlink()


def workers_config(path, url, port, flows):
    """`mlc run` on a PostgreSQL store with FLOWS heartbeat flows, each due every second."""
    heartbeats = ", ".join(f"hb{i}: {{recipe: heartbeat, schedule: {{every: 1s}}}}"
                           for i in range(flows))
    intake_config(path, None, port, store_line=f'url: "{url}"', flows="{" + heartbeats + "}")


def pg_count(url, sql):
    done = subprocess.run(["psql", "-qAt", url, "-c", sql], check=True, capture_output=True,
                          text=True)
    return int(done.stdout.strip() or 0)


def cmd_workers(mlc, out, workers="3", flows="20"):
    """WORKERS `mlc run` on one PostgreSQL database (MLC_TEST_POSTGRES_URL: run under
    MLC_PG_DURABLE=1 scripts/with-postgres.sh): signed deliveries by one wrk per worker at once
    (16 connections each, counted as stored rows in the shared inbox), and FLOWS heartbeat flows
    due every second that the workers share through their leases (flow runs a minute, from the
    audit)."""
    url = os.environ.get("MLC_TEST_POSTGRES_URL")
    if not url:
        sys.exit("bench.py workers: run it under MLC_PG_DURABLE=1 scripts/with-postgres.sh")
    out, workers, flows = Path(out), int(workers), int(flows)
    work = out / "workers"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "data"
    mlc_data_dir(mlc, data)
    signatures = out / "signatures.txt"
    if not signatures.exists():
        cmd_signatures(signatures, SIGNATURES)
    daemons = []
    try:
        for i in range(workers):
            port = free_port()
            workers_config(work / f"worker{i}.yaml", url, port, flows)
            daemons.append(Daemon(mlc, data, work / f"worker{i}.yaml", port))
        time.sleep(5)  # Every worker past its first runs.
        load = loadavg()
        runs_before = pg_count(url, "SELECT count(*) FROM audit WHERE flow LIKE 'hb%'")
        begin = time.monotonic()
        loads = [subprocess.Popen(
            ["wrk", "-t", "1", "-c", "16", "-d", DURATION, "--latency", "-s",
             str(HERE / "intake.lua"), f"http://127.0.0.1:{d.port}/hooks/{FLOW}/woocommerce",
             "--", str(signatures), f"w{i}", str(workers), str(i)], stdout=subprocess.PIPE,
            text=True)
            for i, d in enumerate(daemons)]
        answers = [p.communicate()[0] for p in loads]
        seconds = time.monotonic() - begin
        runs = pg_count(url, "SELECT count(*) FROM audit WHERE flow LIKE 'hb%'") - \
            runs_before
    finally:
        for daemon in daemons:
            daemon.stop()
    figures = [dict(pair.split("=") for pair in next(
        l for l in a.splitlines() if l.startswith("MLCBENCH")).split()[1:]) for a in answers]
    accepted = sum(float(f["requests"]) - float(f["non2xx"]) for f in figures)
    record(out, dict(kind="workers", workers=workers, flows=flows, seconds=seconds, load=load,
                     deliveries_per_s=accepted / seconds,
                     rows_stored=pg_count(url, "SELECT count(*) FROM inbox"),
                     non2xx=sum(float(f["non2xx"]) for f in figures),
                     p99_ms=max(float(f["p99_ms"]) for f in figures),
                     flow_runs_per_min=runs * 60.0 / seconds,
                     command=f"MLC_PG_DURABLE=1 scripts/with-postgres.sh bench/bench.py workers "
                             f"MLC OUT {workers} {flows} (one wrk -t1 -c16 -d {DURATION} per "
                             f"worker at once)"))


def cmd_intake_url(url, out, name):
    """The same wrk load against another receiver (n8n.sh); nothing is checked but the status."""
    out = Path(out)
    signatures = out / "signatures.txt"
    if not signatures.exists():
        cmd_signatures(signatures, SIGNATURES)
    for clients in CLIENTS:
        figures = wrk(url, clients, signatures, f"{name}-c{clients}")
        figures.update(kind="intake-other", receiver=name, clients=clients)
        record(out, figures)


def sandbox_config(path, ports, store, shipments):
    ss, ep = ports["shipstation"], ports["epicor"]
    path.write_text(f"""version: 1
store:
  path: {store}
server:
  address: 127.0.0.1
  port: 0
log:
  format: text
  level: error
connections:
  shipstation:
    system: shipstation
    base_url: {ss["base_url"]}
    options:
      rate_per_minute: 40   # ShipStation V1's ceiling, enforced by the emulator too
    secrets: {{api_key: ss_key, api_secret: ss_secret}}
  epicor:
    system: epicor
    base_url: {ep["base_url"]}
    options:
      company: {ep["company"]}
      rate_per_minute: 1000000   # no Epicor ceiling: mlc's own rate (the default is 600)
    secrets: {{api_key: ep_key, username: ep_user, password: ep_pass}}
flows:
  orders:
    recipe: shipstation-to-epicor-orders
    connections: {{source: shipstation, target: epicor}}
    schedule: {{every: 1h}}
    options:
      customer: C00001
      start: "2000-01-01T00:00:00Z"
      shipments: {"true" if shipments else "false"}
      pages_per_run: 10000
    mappings:
      parts: {{"SKU-*": "P*"}}
""")


def start_sandbox(mlc, work, volume):
    ports_file = work / "ports.json"
    log = open(work / "sandbox.log", "w")
    proc = subprocess.Popen([mlc, "sandbox", "--systems", "shipstation,epicor", "--volume",
                             str(volume), "--ports-file", str(ports_file)], stdout=log,
                            stderr=subprocess.STDOUT)
    while not ports_file.exists() or not ports_file.read_text().strip():
        if proc.poll() is not None:
            raise RuntimeError("mlc sandbox stopped: see " + str(work / "sandbox.log"))
        time.sleep(0.05)
    time.sleep(0.2)
    return proc, json.loads(ports_file.read_text())


def sync_data_dir(mlc, data, ports):
    mlc_data_dir(mlc, data)
    ss, ep = ports["shipstation"], ports["epicor"]
    for name, value in (("ss_key", ss["api_key"]), ("ss_secret", ss["api_secret"]),
                        ("ep_key", ep["api_key"]), ("ep_user", ep["username"]),
                        ("ep_pass", ep["password"])):
        subprocess.run([mlc, "--data-dir", str(data), "secret", "set", name], input=value.encode(),
                       check=True, stdout=subprocess.DEVNULL)


def counts(text):
    """`flow orders: created 284, updated 0, skipped 14, parked 70, failed 0, pages 2`."""
    for line in text.splitlines():
        if line.startswith("flow orders:"):
            pairs = [p.strip().split(" ") for p in line.split(":", 1)[1].split(",")]
            return {k: int(v) for k, v in pairs if v.isdigit()}, line
    return {}, text.strip()[-300:]


def cmd_sync_real(mlc, out, volume, limit_s, shipments="1"):
    """One `mlc sync orders --once` over a seeded ShipStation of VOLUME orders; stopped by SIGINT
    after LIMIT_S seconds (0: none). CPU and peak RSS are mlc's own (wait4), not the emulators'."""
    out, volume, limit_s, shipments = Path(out), int(volume), float(limit_s), shipments == "1"
    work = out / f"sync-{volume}-{int(shipments)}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sandbox, ports = start_sandbox(mlc, work, volume)
    try:
        sync_data_dir(mlc, work / "data", ports)
        sandbox_config(work / "mlc.yaml", ports, work / "state.db", shipments)
        load = loadavg()
        command = [mlc, "-c", str(work / "mlc.yaml"), "--data-dir", str(work / "data"), "sync",
                   "orders", "--once", "--quiet"]
        stdout = open(work / "sync.out", "w+")
        begin = time.monotonic()
        proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.STDOUT)
        interrupted = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if limit_s and not interrupted and time.monotonic() - begin > limit_s:
                proc.send_signal(signal.SIGINT)  # Finishes the page in flight, then stops.
                interrupted = True
            time.sleep(0.05)
        seconds = time.monotonic() - begin
        proc.returncode = os.waitstatus_to_exitcode(status)
        emulators_mb = proc_kb(sandbox.pid, "VmHWM") / 1024.0
    finally:
        sandbox.send_signal(signal.SIGTERM)
        sandbox.wait(timeout=60)
    stdout.seek(0)
    found, line = counts(stdout.read())
    if not found:
        raise RuntimeError(f"mlc sync printed no summary (exit {proc.returncode}): {line}")
    handled = sum(found.get(k, 0) for k in ("created", "updated", "skipped", "parked", "failed"))
    record(out, dict(kind="sync-real", volume=volume, limit_s=limit_s, interrupted=interrupted,
                     shipments=shipments,
                     seconds=seconds, load=load, summary=line, exit=proc.returncode,
                     created=found.get("created", 0), handled=handled,
                     emulators_peak_rss_mb=emulators_mb,
                     command="mlc sandbox --systems shipstation,epicor --volume %d & mlc sync "
                     "orders --once --quiet (shipments: %s)" % (volume, str(shipments).lower()), **rusage_of(usage, handled, seconds)))


def rusage_of(usage, handled, seconds):
    cpu = usage.ru_utime + usage.ru_stime
    return dict(cpu_s=cpu, cpu_ms_per_record=cpu * 1000.0 / max(1, handled),
                peak_rss_mb=usage.ru_maxrss / 1024.0,
                records_per_min=handled * 60.0 / max(seconds, 1e-9))


def cmd_gbench(binary, out, name, bench_filter=""):
    """A Google Benchmark program: each benchmark's counters, real time and command."""
    out = Path(out)
    result = out / f"{name}.json"
    command = [binary, "--benchmark_format=json", f"--benchmark_out={result}"]
    if bench_filter:
        command.append(f"--benchmark_filter={bench_filter}")
    load = loadavg()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    for bench in json.loads(result.read_text())["benchmarks"]:
        row = {k: v for k, v in bench.items() if isinstance(v, (int, float)) and k not in (
            "family_index", "per_family_instance_index", "repetitions", "repetition_index",
            "threads", "iterations")}
        row.update(kind="gbench", program=name, name=bench["name"], load=load,
                   error=bench.get("error_message", ""), time_unit=bench.get("time_unit", ""),
                   command=f"{Path(binary).name} --benchmark_filter='{bench_filter or '.'}'")
        record(out, row)


def cmd_record(out, kind, *pairs):
    """A figure measured by a shell script (n8n.sh): KEY=NUMBER or KEY=TEXT pairs."""
    row = {"kind": kind}
    for pair in pairs:
        key, value = pair.split("=", 1)
        try:
            row[key] = float(value)
        except ValueError:
            row[key] = value
    record(Path(out), row)


def main(argv):
    commands = {"signatures": cmd_signatures, "intake": cmd_intake, "intake-url": cmd_intake_url,
                "workers": cmd_workers,
                "sync-real": cmd_sync_real, "gbench": cmd_gbench, "record": cmd_record}
    if len(argv) < 2 or argv[1] not in commands and argv[1] != "report":
        sys.exit(__doc__)
    if argv[1] == "report":
        from report import write_report  # bench/report.py: BENCHMARKS.md from results.json
        return write_report(*argv[2:])
    return commands[argv[1]](*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
