#!/usr/bin/env python3
"""Turns the JSON lines of the POP3 peers (pop3_pillarbox_peer.py,
pop3_peer_dovecot.py) into the Markdown table for the README's performance
section, with the notes a reader needs to judge it: failures and size
mismatches, the seeding check, the machine, software versions, the
generator's CPU time and the load when each run started.

    python3 pop3_bench_table.py < results.jsonl
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_table import cpu_model, fmt, version  # noqa: E402


def row(r):
    if "msgs_per_sec" not in r:
        return f"| {r['server']} | {r['clients']} | – | not run: {r.get('error', '?')} | – | – | – |"
    messages = str(r["messages"])
    if r.get("expected") is not None and r["messages"] != r["expected"]:
        messages += f" of {r['expected']}"
    if not r.get("ok"):
        messages += " ✗"
    return (f"| {r['server']} | {r['clients']} | {messages} | {fmt(r['msgs_per_sec'])} | "
            f"{fmt(r['mb_per_sec'], 1)} | {fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} |")


def notes(results):
    out = []
    ran = [r for r in results if "msgs_per_sec" in r]
    if any(not r.get("ok") for r in ran):
        out.append("✗ the run had failures (see below): its figures are not comparable.")
    for r in ran:
        problems = []
        if r.get("failures"):
            problems.append(f"{r['failures']} client(s) failed")
        if r.get("size_mismatches"):
            problems.append(f"{r['size_mismatches']} RETR size mismatches")
        if r.get("timed_out"):
            problems.append("stopped at the time limit")
        if not problems:
            problems.append("every RETR had the LIST size")
        if r.get("seed_check"):
            problems.append(r["seed_check"])
        if r.get("errors"):
            problems.append("errors: " + "; ".join(r["errors"][:2]))
        load = r.get("loadavg_before")
        out.append(f"- {r['server']}, {r['clients']} client(s): {', '.join(problems)}; "
                   f"~{r.get('avg_message_bytes')} bytes per message; login p50 {fmt(r.get('login_p50_ms'), 1)} ms, "
                   f"slowest QUIT {fmt(r.get('quit_max_ms'), 1)} ms, first to last RETR "
                   f"{fmt(r.get('retr_msgs_per_sec'))} msgs/s; "
                   f"generator CPU {r.get('client_cpu_seconds')} s of {r['seconds']} s; "
                   f"load average before the run {load if load else '?'}")
    schemes = sorted({r.get("password_scheme", "?") for r in ran})
    out.append("- Each client: USER/PASS, STAT, LIST, UIDL, RETR of every message, QUIT, on its own account "
               "(1 client: one account with every message; C clients: C accounts sharing them). msgs/s: "
               "RETRs over the time from the first connect to the last QUIT reply; MB/s: message octets "
               "(10^6) as LIST counts them; p50/p99: from sending RETR to the final \".\" line. "
               f"Passwords: {', '.join(schemes)}.")
    out.append(f"- Machine: {os.cpu_count()} × {cpu_model()}, {platform.system()} {platform.release()}; "
               f"Dovecot {version(['dovecot', '--version'])}, "
               f"PostgreSQL {version(['psql', '--version'], 'psql (PostgreSQL)')}, all on the same machine "
               f"as the load generator.")
    return out


def main():
    results = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    print("| Server | Clients | Messages | Retrieved msgs/s | MB/s | RETR p50 ms | RETR p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(row(r))
    print()
    for line in notes(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
