#!/usr/bin/env python3
"""Turns the JSON lines of the peers (pillarbox_peer.py,
peer_postfix_dovecot.py) into the Markdown table for the README's performance
section, with the notes a reader needs to judge it: failures, the database
check, the machine, software versions and the load when each run started.

    python3 bench_table.py < results.jsonl
"""

import json
import os
import platform
import subprocess
import sys


def version(command, prefix=""):
    """The first word after `prefix` of the command's first output line."""
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    words = out.splitlines()[0].replace(prefix, "").split() if out else []
    return words[0] if words else "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def row(r):
    if "error" in r and "msgs_per_sec" not in r:
        return f"| {r['server']} | {r['sessions']} | – | not run: {r['error']} | – | – | – |"
    e2e = fmt(r.get("e2e_msgs_per_sec"))
    if r["server"] == "Pillarbox":
        e2e += " ¹"
    messages = str(r["messages"])
    if r["messages"] != r["requested"]:
        messages += f" of {r['requested']}"
    return (f"| {r['server']} | {r['sessions']} | {messages} | {fmt(r['msgs_per_sec'])} | {e2e} | "
            f"{fmt(r['p50_ms'], 1)} | {fmt(r['p99_ms'], 1)} |")


def notes(results):
    out = []
    ran = [r for r in results if "msgs_per_sec" in r]
    if any(r["server"] == "Pillarbox" for r in ran):
        out.append("¹ Pillarbox replies 250 only after the message is committed in PostgreSQL, so "
                   "accepted = stored. ")
    if any(r["server"] != "Pillarbox" for r in ran):
        out.append("Postfix's 250 means queued: its end-to-end figure runs until the last message "
                   "is in a Dovecot maildir.")
    if len(out) == 2:
        out = [out[0] + out[1]]
    for r in ran:
        problems = []
        if r.get("failures"):
            problems.append(f"{r['failures']} failed")
        if r.get("not_sent"):
            problems.append(f"{r['not_sent']} not sent (time limit)")
        if r["server"] == "Pillarbox":
            if r.get("db_ok"):
                problems.append(f"psql: {r['db_mailbox_messages']} mailbox entries, {r['db_bodies']} bodies — match")
            else:
                problems.append("psql check FAILED")
        elif r.get("delivered") is not None:
            problems.append(f"{r['delivered']} in maildirs")
        if r.get("errors"):
            problems.append("errors: " + "; ".join(r["errors"][:2]))
        load = r.get("loadavg_before")
        out.append(f"- {r['server']}, {r['sessions']} sessions: {', '.join(problems) or 'no failures'}; "
                   f"generator CPU {r.get('client_cpu_seconds')} s of {r['seconds']} s; "
                   f"load average before the run {load if load else '?'}")
    sizes = {r.get("avg_message_bytes") for r in ran}
    out.append(f"- Messages of ~{'/'.join(str(s) for s in sorted(x for x in sizes if x))} bytes, one "
               f"recipient each out of bench1..bench10@bench.test, PIPELINING "
               f"{'used' if all(r.get('pipelining') for r in ran) else 'not offered by every server'}, "
               f"each session keeps its connection; p50/p99: from the 354 reply to the 250 after the dot.")
    out.append(f"- Machine: {os.cpu_count()} × {cpu_model()}, {platform.system()} {platform.release()}; "
               f"Postfix {version(['postconf', '-d', 'mail_version'], 'mail_version =')}, "
               f"Dovecot {version(['dovecot', '--version'])}, "
               f"PostgreSQL {version(['psql', '--version'], 'psql (PostgreSQL)')}, all on the same machine "
               f"as the load generator.")
    return out


def main():
    results = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    print("| Server | Sessions | Messages | Accepted msgs/s | End-to-end msgs/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(row(r))
    print()
    for line in notes(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
