#!/usr/bin/env python3
"""Turns the JSON lines of the IMAP peers (imap_pillarbox_peer.py,
imap_peer_dovecot.py) into the Markdown tables for the README's performance
section: operations per second and latency per command family under load,
and the memory of idle authenticated connections, with the notes a reader
needs to judge them (failures, seeding checks, the generator's CPU time, the
load before each run, the machine and software versions).

    python3 imap_bench_table.py < results.jsonl
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_table import cpu_model, fmt, version  # noqa: E402

FAMILIES = ("select", "fetch_flags", "fetch_headers", "fetch_body", "store", "append", "expunge")
SHORT = {"select": "SELECT", "fetch_flags": "FETCH FLAGS", "fetch_headers": "FETCH hdrs",
         "fetch_body": "FETCH body", "store": "STORE", "append": "APPEND", "expunge": "EXPUNGE"}


def load_table(results):
    out = ["| Server | Clients | Ops | Ops/s | p50 ms | p99 ms | " +
           " | ".join(f"{SHORT[f]} /s, p50/p99 ms" for f in FAMILIES) + " |",
           "|---|---:|---:|---:|---:|---:|" + "---:|" * len(FAMILIES)]
    for r in results:
        if "ops_per_sec" not in r:
            out.append(f"| {r['server']} | {r.get('args', '?')} | – | not run: {r.get('error', '?')} | – | – |" +
                       " – |" * len(FAMILIES))
            continue
        ops = str(r["ops"]) + ("" if r.get("ok") else " ✗")
        cells = []
        for f in FAMILIES:
            fam = r["families"][f]
            cells.append(f"{fmt(fam['per_sec'])}, {fmt(fam['p50_ms'], 1)}/{fmt(fam['p99_ms'], 1)}")
        out.append(f"| {r['server']} | {r['clients']} | {ops} | {fmt(r['ops_per_sec'])} | "
                   f"{fmt(r['p50_ms'], 1)} | {fmt(r['p99_ms'], 1)} | " + " | ".join(cells) + " |")
    return out


def load_notes(results):
    out = []
    ran = [r for r in results if "ops_per_sec" in r]
    if any(not r.get("ok") for r in ran):
        out.append("✗ the run had failures (see below): its figures are not comparable.")
    for r in ran:
        problems = []
        if r.get("failures"):
            problems.append(f"{r['failures']} client(s) failed ({r.get('wrong_answers', 0)} on a wrong answer)")
        if r.get("timed_out"):
            problems.append("stopped at the time limit")
        if not problems:
            problems.append("no NO/BAD/BYE, every answer checked")
        if r.get("seed_check"):
            problems.append(r["seed_check"])
        if r.get("errors"):
            problems.append("errors: " + "; ".join(r["errors"][:2]))
        out.append(f"- {r['server']}, {r['clients']} client(s): {', '.join(problems)}; {r['cycles']} cycles; "
                   f"login p50 {fmt(r.get('login_p50_ms'), 1)} ms (slowest {fmt(r.get('login_max_ms'), 1)} ms); "
                   f"without the logins {fmt(r.get('loop_ops_per_sec'))} ops/s; "
                   f"generator CPU {r.get('client_cpu_seconds')} s of {r['seconds']} s; "
                   f"load average before the run {r.get('loadavg_before', '?')}")
    if ran:
        schemes = sorted({r.get("password_scheme", "?") for r in ran})
        out.append(f"- Each client: LOGIN on its own account holding {ran[0].get('seeded_per_account')} messages of "
                   "~5 KB, then cycles of SELECT INBOX; UID FETCH 1:* (FLAGS); UID FETCH of 3 random UIDs "
                   "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From Subject Date)]); UID FETCH of 1 (RFC822.SIZE "
                   "BODY.PEEK[]); UID STORE +FLAGS/-FLAGS (\\Seen); APPEND of a "
                   f"{ran[0].get('append_message_bytes')}-byte message; UID STORE +FLAGS (\\Deleted) on it; "
                   "UID EXPUNGE of it. Ops/s: commands of the cycles over the time from the first connect to "
                   "the last LOGOUT reply (logins inside it); per family the same time; p50/p99: command sent "
                   f"to its tagged reply. Passwords: {', '.join(schemes)}.")
    return out


def mib(kib):
    return f"{kib / 1024:.0f}"


def idle_table(results):
    out = ["| Server | Idle connections | Processes | Total Pss MiB | Total RSS MiB | Pss KiB per connection | "
           "By process (Pss / RSS MiB) |",
           "|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        if "readings" not in r:
            out.append(f"| {r['server']} | – | – | not run: {r.get('error', '?')} | – | – | – |")
            continue
        for reading in r["readings"]:
            mem = reading["memory"]
            groups = ", ".join(f"{name} ×{g['processes']}: {mib(g['pss_kib'])} / {mib(g['rss_kib'])}"
                               if g["processes"] > 1 else f"{name}: {mib(g['pss_kib'])} / {mib(g['rss_kib'])}"
                               for name, g in mem["groups"].items())
            count = str(reading["connections"])
            if reading.get("requested") and reading["connections"] < reading["requested"]:
                count += f" of {reading['requested']} ✗"
            out.append(f"| {r['server']} | {count} | {mem['total']['processes']} | {mib(mem['total']['pss_kib'])} | "
                       f"{mib(mem['total']['rss_kib'])} | {fmt(reading.get('pss_kib_per_connection'))} | {groups} |")
    return out


def idle_notes(results):
    out = []
    for r in results:
        if "readings" not in r:
            continue
        problems = []
        if r.get("failures"):
            problems.append(f"{r['failures']} connection(s) failed")
        problems.append(f"{r['held']} held, {r['noop_ok']} answered NOOP at the end")
        if r.get("errors"):
            problems.append("errors: " + "; ".join(r["errors"][:2]))
        steps = ", ".join(f"{x['connections']} in {x.get('open_seconds')} s" for x in r["readings"][1:])
        out.append(f"- {r['server']}: {', '.join(problems)}; opened {steps}; login p50 "
                   f"{fmt(r.get('login_p50_ms'), 1)} ms, p99 {fmt(r.get('login_p99_ms'), 1)} ms at "
                   f"32 in flight; generator CPU {r.get('client_cpu_seconds')} s; fd limit {r.get('fd_limit')}; "
                   f"load average before the run {r.get('loadavg_before', '?')}")
    if out:
        r = next(x for x in results if "readings" in x)
        out.append(f"- Each connection: LOGIN to one of bench1..bench{r['accounts']} in turn (INBOXes of "
                   f"{r.get('seed_messages', 0) // max(r['accounts'], 1)} messages), SELECT INBOX, then nothing. "
                   "Memory: every process of the server (Pillarbox: pillarboxd and its children, the embedded "
                   "PostgreSQL; Dovecot: the master and its children), read 3 s after the last connection of a "
                   "step; Pss from /proc/PID/smaps_rollup (shared pages split among the processes sharing them, "
                   "so the sum is the memory really used), RSS from /proc/PID/status VmRSS (shared pages counted "
                   "in every process). Pss KiB per connection: (total Pss − total Pss with no connection) / "
                   "connections.")
    return out


def main():
    results = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    load = [r for r in results if r.get("mode") == "load"]
    idle = [r for r in results if r.get("mode") == "idle"]
    if load:
        print("\n".join(load_table(load)))
        print()
        print("\n".join(load_notes(load)))
        print()
    if idle:
        print("\n".join(idle_table(idle)))
        print()
        print("\n".join(idle_notes(idle)))
        print()
    print(f"- Machine: {os.cpu_count()} × {cpu_model()}, {platform.system()} {platform.release()}; "
          f"Dovecot {version(['dovecot', '--version'])}, "
          f"PostgreSQL {version(['psql', '--version'], 'psql (PostgreSQL)')}, all on the same machine "
          f"as the load generator.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
