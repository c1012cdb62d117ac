#!/usr/bin/env python3
"""Turns the JSON lines of the sending peers (send_peer_pillarbox.py,
send_peer_postfix.py) into the Markdown table for the README's performance
section, with the notes a reader needs to judge it: what the sink got
(duplicates, gaps), the queue check, where the CPU went, the machine,
software versions and the load when each run started.

    python3 send_bench_table.py < results.jsonl
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_table import cpu_model, fmt, version  # noqa: E402


def ok(r):
    return (not r.get("errors") and r.get("queue_ok") and r["messages"] == r["requested"]
            and r.get("sink_unique") == r["messages"] and not r.get("sink_duplicates"))


def row(r):
    if "msgs_per_sec" not in r:
        return f"| {r['server']} | {r['sessions']} | – | not run: {r.get('error', '?')} | – | – | – | – |"
    messages = str(r["messages"])
    if r["messages"] != r["requested"]:
        messages += f" of {r['requested']}"
    sink = f"{r.get('sink_unique', 0)}"
    if r.get("sink_duplicates"):
        sink += f" (+{r['sink_duplicates']} dup.)"
    if not ok(r):
        sink += " ✗"
    return (f"| {r['server']} | {r['sessions']} | {messages} | {fmt(r['msgs_per_sec'])} | "
            f"{fmt(r.get('e2e_msgs_per_sec'))} | {fmt(r.get('drain_seconds'), 2)} | {sink} | "
            f"{fmt(r.get('server_cpu', {}).get('total'), 1)} |")


def cpu_text(r):
    groups = r.get("server_cpu", {}).get("by_process", {})
    top = [f"{name} {seconds:.1f}" for name, seconds in list(groups.items())[:5] if seconds >= 0.05]
    return ", ".join(top) or "?"


def check_text(r):
    if r["server"] == "Pillarbox":
        queue = r.get("queue")
        return f"queue_recipients {queue}" if queue is not None else "queue check failed"
    return (f"Postfix logged {r.get('postfix_sent')} status=sent, {r.get('postfix_deferred')} deferred, "
            f"{r.get('postfix_queued')} left in its queue")


def notes(results):
    out = []
    ran = [r for r in results if "msgs_per_sec" in r]
    if any(not ok(r) for r in ran):
        out.append("✗ the run had failures (see below): its figures are not comparable.")
    for r in ran:
        problems = []
        if r.get("failures"):
            problems.append(f"{r['failures']} refused at injection")
        if r.get("not_sent"):
            problems.append(f"{r['not_sent']} not sent (time limit)")
        problems.append(f"sink: {r.get('sink_unique')} distinct Message-IDs of this run, "
                        f"{r.get('sink_duplicates')} duplicates, {r.get('sink_missing')} missing, "
                        f"over {r.get('sink_sessions')} connections")
        problems.append(check_text(r))
        if r.get("errors"):
            problems.append("errors: " + "; ".join(r["errors"][:2]))
        load = r.get("loadavg_before")
        out.append(f"- {r['server']}, {r['sessions']} sessions: {'; '.join(problems)}. First message at the "
                   f"sink {fmt(r.get('first_at_sink_seconds'), 2)} s after the first connect, last "
                   f"{fmt(r.get('drain_seconds'), 2)} s after the last 250. Server CPU {cpu_text(r)} s; "
                   f"generator CPU {r.get('client_cpu_seconds')} s and smtp-sink CPU {r.get('sink_cpu_seconds')} s "
                   f"of {fmt(r.get('e2e_seconds'), 2)} s; load average before the run {load if load else '?'}.")
    sizes = sorted({r.get("avg_message_bytes") for r in ran if r.get("avg_message_bytes")})
    out.append(f"- Messages of ~{'/'.join(str(s) for s in sizes)} bytes, one recipient each out of "
               f"user1..user10@remote.example, injected over SMTP by smtp_load.py (PIPELINING, each session "
               f"keeps its connection). Injected msgs/s: accepted messages over the time from the first connect "
               f"to the last 250. Relayed msgs/s: distinct messages at the sink over the time from the first "
               f"connect to the last message's final dot at the sink. Drain: that last dot's time after the "
               f"last 250. Server CPU: user + system seconds of all the server's processes during the run "
               f"(Pillarbox: pillarboxd, smtpd, senderd and its PostgreSQL).")
    out.append("- Both at their default concurrency: Pillarbox's senderd at most 20 connections "
               "(sender.max_connections), 4 to one destination (sender.max_per_destination; one relay route "
               "is one destination); Postfix 5 to start with (initial_destination_concurrency), growing to 20 "
               "(default_destination_concurrency_limit), with its connection cache. No TLS on the relay hop.")
    out.append(f"- Machine: {os.cpu_count()} × {cpu_model()}, {platform.system()} {platform.release()}; "
               f"Postfix {version(['postconf', '-d', 'mail_version'], 'mail_version =')} (and its smtp-sink), "
               f"PostgreSQL {version(['psql', '--version'], 'psql (PostgreSQL)')}, all on the same machine "
               f"as the load generator.")
    return out


def main():
    results = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    print("| Server | Sessions | Messages | Injected msgs/s | Relayed msgs/s (end to end) | Drain s "
          "| At the sink | Server CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(row(r))
    print()
    for line in notes(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
