#!/usr/bin/env python3
"""POP3 load generator for the messages-retrieved-per-second benchmark.

C parallel clients (one thread each, raw blocking sockets, no poplib), each on
its own account bench1..benchC (POP3 locks a maildrop per session): connect,
USER/PASS, STAT, LIST, UIDL, RETR of every message in turn (no DELE), QUIT.
One command at a time, as ordinary clients do; no pipelining. Every RETR is
checked: the octets received, with the dot-stuffing undone, must equal the
size LIST gave for that message (RFC 1939 §§7, 11); a difference is a failure.

Prints one JSON line: messages retrieved, seconds (first connect to the last
QUIT reply), msgs_per_sec, mb_per_sec, the p50/p99 latency of RETR (command
sent until the final "." line is in), the generator's own CPU time.
Standard library only. Not a test: nothing here asserts a speed.
"""

import argparse
import json
import resource
import socket
import sys
import threading
import time


class Pop3Error(Exception):
    pass


class Pop3Client:
    """One POP3 connection on a raw socket with a private receive buffer.
    Multi-line replies are found by their terminating CRLF.CRLF without
    splitting them into lines first, so that reading a message costs the
    generator little CPU."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.greeting = self.status()

    def _fill(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise Pop3Error("connection closed by the server")
        self.buf += chunk

    def status(self):
        """One status line ("+OK ..." or "-ERR ..."), without its CRLF."""
        while True:
            end = self.buf.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buf[:end])
                del self.buf[: end + 2]
                return line.decode("utf-8", "replace")
            if len(self.buf) > 4096:
                raise Pop3Error(f"status line too long: {bytes(self.buf[:80])!r}...")
            self._fill()

    def command(self, text):
        """Sends a command; returns its status line or raises on -ERR."""
        self.sock.sendall(text.encode() + b"\r\n")
        line = self.status()
        if not line.startswith("+OK"):
            shown = "PASS ..." if text.startswith("PASS ") else text
            raise Pop3Error(f"{shown}: {line}")
        return line

    def multiline(self, text):
        """Sends a command with a multi-line answer; returns (status line,
        dot-stuffed data up to and including the CRLF before the final ".")."""
        line = self.command(text)
        # The data ends at the first line that is only "."; it can be the very
        # first line (empty data), hence the search from the status line's
        # CRLF, which was consumed: a virtual "\r\n" is put in front.
        self.buf[0:0] = b"\r\n"
        searched = 0
        while True:
            end = self.buf.find(b"\r\n.\r\n", searched)
            if end >= 0:
                data = bytes(self.buf[2 : end + 2])
                del self.buf[: end + 5]
                return line, data
            searched = max(0, len(self.buf) - 4)
            self._fill()

    def close(self):
        self.sock.close()


def unstuffed_length(data):
    """Octets of multi-line data once the byte-stuffing is undone: every line
    that starts with "." carries one extra "." (RFC 1939 §3)."""
    return len(data) - data.count(b"\r\n.") - (1 if data.startswith(b".") else 0)


def parse_listing(data, what):
    """{message number: value} from a LIST or UIDL listing."""
    out = {}
    for line in data.split(b"\r\n"):
        if not line:
            continue
        words = line.split()
        if len(words) != 2 or not words[0].isdigit():
            raise Pop3Error(f"{what}: malformed line {line[:80]!r}")
        out[int(words[0])] = words[1].decode()
    return out


class Run:
    """Shared state of one run; every field is written under `lock`."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.start = threading.Event()
        self.deadline = None
        self.timed_out = False
        self.retrieved = 0
        self.octets = 0
        self.size_mismatches = 0
        self.failures = 0  # clients that did not finish
        self.errors = []  # the first few error texts
        self.retr_latency = []
        self.login_latency = []
        self.quit_latency = []
        self.listed = 0
        self.first_connect = None
        self.last_quit = None
        self.first_retr = None  # sent
        self.last_retr = None  # answered

    def error(self, text):
        with self.lock:
            if len(self.errors) < 8:
                self.errors.append(text)


def client_worker(run, number, user, expected):
    """One client: a whole POP3 session on account `user`."""
    args = run.args
    run.start.wait()
    latencies, octets, mismatches, retrieved = [], 0, 0, 0
    first_retr = last_retr = None
    client = None
    try:
        t_connect = time.perf_counter()
        with run.lock:
            run.first_connect = t_connect if run.first_connect is None else min(run.first_connect, t_connect)
        client = Pop3Client(args.host, args.port, args.timeout)
        if not client.greeting.startswith("+OK"):
            raise Pop3Error(f"greeting: {client.greeting}")
        t0 = time.perf_counter()
        client.command(f"USER {user}")
        client.command(f"PASS {args.password}")
        login = time.perf_counter() - t0
        stat = client.command("STAT").split()
        count, total = int(stat[1]), int(stat[2])
        if expected is not None and count != expected:
            raise Pop3Error(f"STAT: {count} messages, {expected} were seeded")
        sizes = {n: int(s) for n, s in parse_listing(client.multiline("LIST")[1], "LIST").items()}
        uidls = parse_listing(client.multiline("UIDL")[1], "UIDL")
        if sorted(sizes) != list(range(1, count + 1)) or sorted(uidls) != sorted(sizes):
            raise Pop3Error(f"LIST/UIDL do not number messages 1..{count} (LIST {len(sizes)}, UIDL {len(uidls)})")
        if sum(sizes.values()) != total:
            raise Pop3Error(f"LIST sizes add up to {sum(sizes.values())}, STAT says {total}")
        with run.lock:
            run.listed += count
        for n in range(1, count + 1):
            if time.monotonic() >= run.deadline:
                with run.lock:
                    run.timed_out = True
                break
            t0 = time.perf_counter()
            _, data = client.multiline(f"RETR {n}")
            last_retr = time.perf_counter()
            first_retr = t0 if first_retr is None else first_retr
            latencies.append(last_retr - t0)
            got = unstuffed_length(data)
            retrieved += 1
            octets += got
            if got != sizes[n]:
                mismatches += 1
                run.error(f"{user}: RETR {n}: {got} octets, LIST said {sizes[n]}")
        t0 = time.perf_counter()
        client.command("QUIT")
        t_quit = time.perf_counter()
        with run.lock:
            run.last_quit = t_quit if run.last_quit is None else max(run.last_quit, t_quit)
            run.login_latency.append(login)
            run.quit_latency.append(t_quit - t0)
    except (OSError, Pop3Error, ValueError, IndexError) as e:
        with run.lock:
            run.failures += 1
            run.last_quit = time.perf_counter() if run.last_quit is None else max(run.last_quit, time.perf_counter())
        run.error(f"client {number} ({user}): {type(e).__name__}: {e}")
    finally:
        if client is not None:
            client.close()
        with run.lock:
            run.retrieved += retrieved
            run.octets += octets
            run.size_mismatches += mismatches
            run.retr_latency.extend(latencies)
            if first_retr is not None:
                run.first_retr = first_retr if run.first_retr is None else min(run.first_retr, first_retr)
                run.last_retr = last_retr if run.last_retr is None else max(run.last_retr, last_retr)


def percentile(values, p):
    """Nearest-rank percentile in milliseconds; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return round(ordered[rank - 1] * 1000, 2)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=1, help="parallel clients, one account each (default 1)")
    p.add_argument("--user-prefix", default="bench", help="accounts PREFIX1..PREFIXC (default bench)")
    p.add_argument("--password", required=True)
    p.add_argument("--expect", default="",
                   help="comma-separated message counts per account; a different STAT is a failure")
    p.add_argument("--max-seconds", type=float, default=300, help="stop retrieving after this")
    p.add_argument("--timeout", type=float, default=60, help="socket timeout per reply in seconds")
    p.add_argument("--label", default="", help="'server' field of the JSON line")
    args = p.parse_args(argv)
    if args.clients < 1:
        p.error("--clients must be >= 1")
    args.users = [f"{args.user_prefix}{n}" for n in range(1, args.clients + 1)]
    args.expected = [int(x) for x in args.expect.split(",")] if args.expect else [None] * args.clients
    if len(args.expected) != args.clients:
        p.error("--expect needs one count per client")
    return args


def run_load(args):
    """Runs the clients and returns the result dictionary."""
    run = Run(args)
    threads = [threading.Thread(target=client_worker, args=(run, n + 1, user, expected), daemon=True)
               for n, (user, expected) in enumerate(zip(args.users, args.expected))]
    for t in threads:
        t.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started_at = time.time()
    t_release = time.perf_counter()
    run.deadline = time.monotonic() + args.max_seconds
    run.start.set()  # every thread is waiting: the clients start together
    for t in threads:
        t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    first = run.first_connect if run.first_connect is not None else t_release
    last = run.last_quit if run.last_quit is not None else time.perf_counter()
    seconds = max(last - first, 1e-9)
    retr_seconds = run.last_retr - run.first_retr if run.first_retr is not None else None
    expected_total = sum(args.expected) if args.expect else None
    ok = (run.failures == 0 and run.size_mismatches == 0 and not run.timed_out
          and (expected_total is None or run.retrieved == expected_total))
    return {
        "server": args.label,
        "host": args.host,
        "port": args.port,
        "clients": args.clients,
        "expected": expected_total,
        "listed": run.listed,
        "messages": run.retrieved,
        "failures": run.failures,
        "size_mismatches": run.size_mismatches,
        "timed_out": run.timed_out,
        "seconds": round(seconds, 3),
        "msgs_per_sec": round(run.retrieved / seconds, 1),
        # MB = 10^6 octets of message text as LIST counts it (CRLF, unstuffed).
        "mb_per_sec": round(run.octets / seconds / 1e6, 2),
        "octets": run.octets,
        "avg_message_bytes": round(run.octets / run.retrieved) if run.retrieved else None,
        # From the first RETR sent to the last one answered: leaves out the
        # logins, LIST, UIDL and QUIT as far as the clients do not overlap.
        "retr_seconds": round(retr_seconds, 3) if retr_seconds else None,
        "retr_msgs_per_sec": round(run.retrieved / retr_seconds, 1) if retr_seconds else None,
        "p50_ms": percentile(run.retr_latency, 50),
        "p99_ms": percentile(run.retr_latency, 99),
        "login_p50_ms": percentile(run.login_latency, 50),
        "quit_max_ms": percentile(run.quit_latency, 100),
        # The generator's own CPU time: if it approaches seconds * cores the
        # generator, not the server, is the bottleneck.
        "client_cpu_seconds": round(cpu, 2),
        "started_at": round(started_at, 3),
        "ok": ok,
        "errors": run.errors,
    }


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    result = run_load(args)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
