"""Issue 15's table, filled in from one run's rows (bench/report.py)."""
import statistics


def pick(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def verdict(ok):
    return "no data" if ok is None else ("met" if ok else "**not met**")


def intake_cells(rows):
    empty = {r["clients"]: r for r in pick(rows, kind="intake", inbox_before=0)}
    full = {r["clients"]: r for r in pick(rows, kind="intake") if r["inbox_before"] > 0}
    show = lambda r: f"{r['rps']:,.0f}/s (p99 {r['p99_ms']:.0f} ms)"
    empty_text = ", ".join(f"c{c}: {show(r)}" for c, r in sorted(empty.items())) or "-"
    best = max((r["rps"] for r in empty.values()), default=None)
    probe = next((r for r in pick(rows, kind="fsync")), None)
    if probe:
        empty_text += (f"; this disk: one fsync'ed 4 KB append {probe['fsync_ms']:.2f} ms "
                       f"({probe['fsyncs_per_s']:,.0f}/s one after the other)")
    top = max(empty.values(), key=lambda r: r["rps"], default=None)
    if top and "wrk_cpu_ms_per_delivery" in top:
        # The 2 cores' time per delivery at the best rate, and what the kernel and the load
        # generator alone leave: the ceiling even if mlc's own code took no time at all.
        user, kernel = top["mlc_user_ms_per_delivery"], top["mlc_kernel_ms_per_delivery"]
        load = top["wrk_cpu_ms_per_delivery"]
        empty_text += (f"; CPU per delivery at c{top['clients']}: mlc {user:.3f} ms own code + "
                       f"{kernel:.3f} ms kernel on its behalf + wrk {load:.3f} ms = "
                       f"{user + kernel + load:.3f} ms of the 2 cores (at most "
                       f"{2000 / (user + kernel + load):,.0f}/s); kernel and wrk alone: at most "
                       f"{2000 / (kernel + load):,.0f}/s with no mlc code at all")
    full_text = ", ".join(
        f"c{c}: {show(r)} = {r['rps'] / empty[c]['rps']:.0%} of empty" for c, r in
        sorted(full.items()) if c in empty) or "-"
    flat = [r["rps"] / empty[c]["rps"] >= 0.9 for c, r in full.items() if c in empty]
    rows_before = max((r["inbox_before"] for r in full.values()), default=0)
    return [
        ("verified, durably stored deliveries/s, empty inbox (wrk -cN)", empty_text,
         ">= 10,000 (p99 < 50 ms at 5,000/s)", verdict(None if best is None else best >= 10000)),
        (f"the same with {rows_before:,} rows already in the inbox", full_text,
         "the same as with an empty one (counted met at >= 90 %)",
         verdict(all(flat) if flat else None)),
    ], empty


def n8n_cell(rows, empty):
    other = {r["clients"]: r for r in pick(rows, kind="intake-other", receiver="n8n")}
    # n8n's accepted deliveries a second: its 2xx answers only (mlc answered no non-2xx).
    ok = {c: (r["requests"] - r["non2xx"]) / r["seconds"] for c, r in other.items()}
    ratios = {c: empty[c]["rps"] / ok[c] for c in other if c in empty and ok[c] > 0}
    text = ", ".join(f"c{c}: {empty[c]['rps']:,.0f} / {ok[c]:,.0f} = {x:.1f}x"
                     + (f" (n8n also answered {other[c]['non2xx']:.0f} times non-2xx, last "
                        f"{other[c].get('last_non2xx_status', 0):.0f})"
                        if other[c]["non2xx"] else "")
                     for c, x in sorted(ratios.items())) or "n8n not run"
    return ("against n8n 2.8.4 (Webhook node, same wrk load, same run)", text, ">= 20x",
            verdict(min(ratios.values()) >= 20 if ratios else None))


def sim_cells(rows):
    gb = {r["name"]: r for r in pick(rows, kind="gbench", program="shipstation_epicor")}
    plain = next((r for n, r in gb.items() if "shipments:0" in n and "5000" in n), None)
    ships = max((r for n, r in gb.items() if "shipments:1" in n and "page:500" in n),
                key=lambda r: r.get("created", 0), default=None)
    calls = ("Epicor calls per new order with N lines", "-", "<= 2", verdict(None))
    if plain:
        calls = (calls[0], f"{plain['epicor_per_order']:.1f} (`{plain['name']}`, the seeded "
                 "orders' line counts; ShipStation calls per order "
                 f"{plain['ss_per_order']:.3f})", "<= 2", verdict(plain["epicor_per_order"] <= 2))
    rate = ("orders per minute in the simulated ShipStation backfill, shipments on", "-",
            ">= 97 % of the 20,000/min read ceiling", verdict(None))
    if ships:
        moved = ships.get("sim_moved_per_min", ships["sim_orders_per_min"])
        share = moved / ships["ceiling_per_min"]
        rate = (rate[0], f"{moved:,.0f} records moved/min = {share:.1%} of "
                f"{ships['ceiling_per_min']:,.0f}/min ({ships['sim_orders_per_min']:,.0f}/min "
                f"created; `{ships['name']}`, {ships['ss_calls']:.0f} ShipStation calls, at most "
                f"{ships['ss_peak_per_60s']:.0f} in any 60 s)", rate[2], verdict(share >= 0.97))
    return [calls, rate]


def cpu_memory_cells(rows, empty):
    real = [r for r in pick(rows, kind="sync-real") if r["volume"] < 1_000_000]
    cpu = ("mlc's own CPU per order, end to end against the emulators (separate process)", "-",
           "<= 0.5 ms", verdict(None))
    if real:
        r = real[-1]
        cpu = (cpu[0], f"{r['cpu_ms_per_record']:.3f} ms per record ({r['cpu_s']:.2f} s for "
               f"{r['handled']:,} records; real time {r['records_per_min']:,.0f} records/min)",
               cpu[2], verdict(r["cpu_ms_per_record"] <= 0.5))
    first = next((r for r in pick(rows, kind="intake") if r["idle_rss_mb"]), None)
    idle = first["idle_rss_mb"] if first else None
    big = [r for r in pick(rows, kind="sync-real") if r["volume"] >= 1_000_000]
    big_text = "1M backfill not run"
    if big:
        b = big[-1]
        how = (f"stopped by SIGINT after {b['limit_s']:.0f} s: only {b['handled']:,} orders "
               "moved, so NOT a 1M measurement") if b["interrupted"] else \
            f"{b['handled']:,} records, done in {b['seconds'] / 60:.0f} min"
        big_text = f"peak {b['peak_rss_mb']:.1f} MB ({how})"
    ok = None
    if idle is not None and big:
        ok = idle < 20 and big[-1]["peak_rss_mb"] < 64 and not big[-1]["interrupted"]
    parts = (f" = {first['idle_anon_mb']:.1f} anonymous + {first['idle_file_mb']:.1f} file-backed "
             f"(the binary and shared libraries' pages; PSS {first['idle_pss_mb']:.1f} MB)"
             if first and "idle_anon_mb" in first else "")
    memory = ("memory", f"{idle or 0:.1f} MB RSS idle{parts} (`mlc run`, no flow, 2 s after "
              f"/healthz); {big_text}", "< 20 MB idle; a measured 1M-order backfill < 64 MB", verdict(ok))
    return [cpu, memory]


def startup_cell(rows):
    empty = [r["startup_ms"] for r in pick(rows, kind="intake", inbox_before=0)]
    full = [r["startup_ms"] for r in pick(rows, kind="intake") if r["inbox_before"] > 0]
    n8n = [r["startup_ms"] for r in pick(rows, kind="startup-other")]
    text = (f"median {statistics.median(empty):.0f} ms (runs: "
            f"{', '.join(f'{x:.0f}' for x in empty)}); with the 1M-row state file "
            f"{', '.join(f'{x:.0f}' for x in full)} ms" if empty else "-")
    if n8n:
        text += f"; n8n {n8n[-1] / 1000:.2f} s"
    return ("start-up to /healthz", text, "keep (20-27 ms before)", "see figure")


def summary_rows(rows):
    intake, empty = intake_cells(rows)
    table = intake + [n8n_cell(rows, empty)] + sim_cells(rows) + cpu_memory_cells(rows, empty) + [
        startup_cell(rows)]
    lines = ["| figure | measured | goal | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in table]
    return lines
