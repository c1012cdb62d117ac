#!/usr/bin/env python3
"""The Pillarbox side of the sending benchmark: a pillarboxd on a fresh
temporary data directory (embedded PostgreSQL, children smtpd and senderd),
one outgoing route `sink` relaying everything to a private smtp-sink without
TLS (`pillarbox route add sink --relay 127.0.0.1:PORT --tls none`), then
smtp_load.py against smtpd with remote recipients (user1..user10@remote.example,
relayed because loopback is trusted). smtpd queues each message in PostgreSQL
before its 250; senderd claims it and sends it to the sink. The clock runs
from the generator's first connect until the last message reaches the sink;
then the sink's dump is checked for duplicates and gaps and the queue with psql
(every recipient must be `delivered`). senderd's limits are the defaults
(sender.max_connections 20, sender.max_per_destination 4: one relay route is
one destination). Prints one JSON line, stops everything, removes the
directory. Root is not needed (as root the children, PostgreSQL and the sink
drop privileges).

    tests/bench/send_peer_pillarbox.py --messages 2000 --sessions 10
    tests/bench/send_peer_pillarbox.py --serve           # manual poking
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import pillarbox_peer  # noqa: E402

PROGRAMS = ("pillarboxd", "smtpd", "senderd", "pillarbox")
SQL_QUEUE = "SELECT status, count(*) FROM queue_recipients GROUP BY 1 ORDER BY 1"


def log_offset(server):
    return len(server.log_text().encode())


def wait_reloaded(server, since, daemon):
    """Waits until `daemon` logs that it reloaded its directory after byte
    offset `since` of the master's log (the CLI's change notifies it)."""
    line = re.compile(rb"%s\[\d+\]: directory reloaded" % daemon.encode())

    def reloaded():
        with open(server.log_path, "rb") as f:
            f.seek(since)
            return line.search(f.read())
    benchlib.wait_for(reloaded, 30, f"{daemon} to reload its directory", interval=0.1)


def add_route(server, sink_port):
    since = log_offset(server)
    server.cli("route", "add", "sink", "--relay", f"127.0.0.1:{sink_port}", "--tls", "none")
    # Mail queued before senderd knows the route would wait for the retry
    # interval (10 minutes): the clock must not start before that.
    wait_reloaded(server, since, "senderd")
    rcpt = f"{benchlib.SEND_USER_PREFIX}1@{benchlib.SEND_DOMAIN}"
    benchlib.wait_for(lambda: benchlib.smtp_accepts(server.port, rcpt), 30, f"smtpd to relay to {rcpt}",
                      interval=0.2)


def queue_states(server):
    """{status: recipients} of the whole queue (the database is this run's)."""
    states = {}
    for line in server.psql_text(SQL_QUEUE).splitlines():
        if "|" in line:
            status, count = line.split("|", 1)
            states[status] = int(count)
    return states


def queue_check(server, result, expected):
    """Waits (briefly: senderd records an outcome when its connection ends)
    until `expected` recipients are delivered, then adds the queue's states."""
    try:
        benchlib.wait_for(lambda: queue_states(server).get("delivered", 0) >= expected, 30,
                          "the queue to record the deliveries", interval=0.2)
    except RuntimeError:
        pass
    try:
        states = queue_states(server)
    except RuntimeError as e:
        result["errors"].append(f"queue check failed: {e}")
        result["queue_ok"] = False
        return
    result["queue"] = states
    result["queue_ok"] = states.get("delivered", 0) == expected and sum(states.values()) == expected
    if not result["queue_ok"]:
        result["errors"].append(f"queue_recipients: {states} for {expected} accepted recipients")


def pid_roots(server):
    """pillarboxd (with smtpd, senderd) and its PostgreSQL, whichever way the
    postmaster hangs off the master."""
    roots = [server.proc.pid]
    pg = benchlib.read_pid(os.path.join(server.root, "pg", "postmaster.pid"))
    if pg and pg not in benchlib.descendants(server.proc.pid):
        roots.append(pg)
    return roots


def senderd_log_summary(server):
    """How many connections senderd opened and outcomes it logged (from the
    master's log, where the children's lines end up)."""
    text = server.log_text()
    return {
        "delivered_lines": len(re.findall(r"senderd\[\d+\]: queue \S+: to=<[^>]*> .* delivered: ", text)),
        "deferred_lines": len(re.findall(r"senderd\[\d+\]: queue \S+: to=<[^>]*> .* deferred: ", text)),
        "warnings": [line for line in text.splitlines() if "senderd[" in line and
                     re.search(r"\b(warning|error)\b", line, re.I)][:5],
    }


def main():
    p = benchlib.send_common_options("Pillarbox smtpd + senderd sending benchmark peer")
    p.add_argument("--build-dir", default=os.path.join(pillarbox_peer.ROOT, "build", "release"))
    args = p.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    pillarbox_peer.check_installed(build_dir, PROGRAMS)
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-send-pbx-", dir="/tmp")
    os.chmod(root, 0o755)  # as root, the children and PostgreSQL run as `pillarbox`
    sink = benchlib.SmtpSink(root)
    server = pillarbox_peer.Pillarbox(build_dir, root, benchlib.free_port(), children=("smtpd", "senderd"))
    status = 1
    try:
        sink.start()
        server.start()
        add_route(server, sink.port)
        if args.serve:
            benchlib.serve_until_interrupted(server.port, f", relaying to smtp-sink on 127.0.0.1:{sink.port}, "
                                                          f"psql -h {root}/run -U pillarbox pillarbox")
            return 0
        roots = pid_roots(server)
        cpu0, sink0 = benchlib.process_cpu(roots), benchlib.process_cpu([sink.proc.pid])
        result = benchlib.run_send_load(server.port, args, "Pillarbox")
        sink.wait(result["messages"], args.delivery_timeout, args.stall_seconds)
        cpu1, sink1 = benchlib.process_cpu(roots), benchlib.process_cpu([sink.proc.pid])
        ok = benchlib.sink_check(result, sink)
        queue_check(server, result, result["messages"] * args.rcpts_per_message)
        result.update({"server_cpu": benchlib.cpu_used(cpu0, cpu1),
                       "sink_cpu_seconds": benchlib.cpu_used(sink0, sink1)["total"],
                       "sink_sessions": sink.sessions_when_idle(),
                       "senderd_log": senderd_log_summary(server)})
        print(json.dumps(result), flush=True)
        status = 0 if ok and result["queue_ok"] and result["messages"] == args.messages else 1
    except KeyboardInterrupt:
        print("send_peer_pillarbox: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"send_peer_pillarbox: {e}", file=sys.stderr)
        log = server.log_text()
        if log:
            print("--- pillarboxd.log (last lines)\n" + "\n".join(log.splitlines()[-30:]), file=sys.stderr)
    finally:
        server.stop()
        sink.stop()
        if args.keep:
            print(f"send_peer_pillarbox: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
