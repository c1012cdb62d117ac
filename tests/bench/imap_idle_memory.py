#!/usr/bin/env python3
"""Memory of idle IMAP connections, for the IMAP benchmark.

Opens authenticated idle IMAP connections in steps (default 1000, then 9000
more for 10,000): each one connects, LOGINs to one of the accounts
bench1..benchA in turn, SELECTs INBOX and then sends nothing. Between the
steps it reads the memory of the server's processes (every process under the
--pids given, e.g. pillarboxd and the postmaster, or Dovecot's master): VmRSS
from /proc/PID/status and Pss from /proc/PID/smaps_rollup, summed per command
name and in total. After the last step it sends NOOP on every connection and
expects OK, so that every counted session is still served.

One thread, non-blocking sockets and selectors; at most --inflight logins at
once (a login is an argon2id check on both servers). Needs enough file
descriptors (ulimit -n) for all connections. Prints one JSON line; exit 1
when a connection was refused or dropped, or a LOGIN/SELECT/NOOP failed.
Standard library only. Not a test: nothing here asserts a size.
"""

import argparse
import errno
import json
import os
import resource
import selectors
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


class Conn:
    """One connection's state: connecting, greeting, login, select, idle, noop,
    done (or failed)."""

    __slots__ = ("sock", "user", "state", "buf", "t0", "exists")

    def __init__(self, sock, user):
        self.sock = sock
        self.user = user
        self.state = "connecting"
        self.buf = bytearray()
        self.t0 = time.perf_counter()
        self.exists = None


class Pool:
    def __init__(self, args):
        self.args = args
        self.sel = selectors.DefaultSelector()
        self.conns = []  # idle, authenticated
        self.errors = []
        self.failures = 0
        self.login_latency = []
        self.opened = 0

    def error(self, text):
        self.failures += 1
        if len(self.errors) < 8:
            self.errors.append(text)

    def start_one(self, number):
        user = f"{self.args.user_prefix}{number % self.args.accounts + 1}"
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if self.args.sources > 1:
            s.bind((f"127.0.0.{number % self.args.sources + 1}", 0))
        s.setblocking(False)
        code = s.connect_ex((self.args.host, self.args.port))
        if code not in (0, errno.EINPROGRESS):
            s.close()
            self.error(f"connect {number}: {os.strerror(code)}")
            return None
        conn = Conn(s, user)
        self.sel.register(s, selectors.EVENT_WRITE, conn)
        return conn

    def send(self, conn, text, state):
        conn.sock.sendall(text)  # a few dozen bytes: the send buffer takes them
        conn.state = state
        self.sel.modify(conn.sock, selectors.EVENT_READ, conn)

    def fail(self, conn, text):
        self.error(f"{conn.user} ({conn.state}): {text}")
        try:
            self.sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()
        conn.state = "failed"

    def lines(self, conn):
        """Complete lines received so far; raises on EOF."""
        try:
            chunk = conn.sock.recv(65536)
        except BlockingIOError:
            return []
        if not chunk:
            raise ConnectionError("connection closed by the server")
        conn.buf += chunk
        out = []
        while True:
            end = conn.buf.find(b"\r\n")
            if end < 0:
                return out
            out.append(bytes(conn.buf[:end]))
            del conn.buf[: end + 2]

    def step(self, conn, event):
        """Advances one connection on a readiness event. Returns True when it
        reached its goal (idle after SELECT, or answered NOOP)."""
        if conn.state == "connecting":
            code = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise ConnectionError(f"connect: {os.strerror(code)}")
            conn.state = "greeting"
            self.sel.modify(conn.sock, selectors.EVENT_READ, conn)
            return False
        for line in self.lines(conn):
            if conn.state == "greeting":
                if not line.startswith(b"* OK"):
                    raise ConnectionError(f"greeting {line[:100]!r}")
                conn.t0 = time.perf_counter()
                self.send(conn, f'l LOGIN {conn.user} "{self.args.password}"\r\n'.encode(), "login")
            elif line.startswith(b"* BYE"):
                raise ConnectionError(f"{line[:100]!r}")
            elif conn.state == "login" and line.startswith(b"l "):
                if not line.startswith(b"l OK"):
                    raise ConnectionError(f"LOGIN: {line[:100]!r}")
                self.login_latency.append(time.perf_counter() - conn.t0)
                self.send(conn, b"s SELECT INBOX\r\n", "select")
            elif conn.state == "select" and line.endswith(b" EXISTS"):
                conn.exists = int(line.split()[1])
            elif conn.state == "select" and line.startswith(b"s "):
                if not line.startswith(b"s OK"):
                    raise ConnectionError(f"SELECT INBOX: {line[:100]!r}")
                conn.state = "idle"
                return True
            elif conn.state == "noop" and line.startswith(b"n "):
                if not line.startswith(b"n OK"):
                    raise ConnectionError(f"NOOP: {line[:100]!r}")
                conn.state = "idle"
                return True
        return False

    def pump(self, pending, timeout):
        """Runs the selector until `pending` connections reached their goal
        or failed. Returns the connections that reached it."""
        done = []
        deadline = time.monotonic() + timeout
        while pending:
            if time.monotonic() > deadline:
                for conn in list(pending):
                    self.fail(conn, f"no answer within {timeout} s")
                break
            for key, event in self.sel.select(timeout=1.0):
                conn = key.data
                if conn not in pending:
                    continue
                try:
                    reached = self.step(conn, event)
                except (OSError, ConnectionError, ValueError, IndexError) as e:
                    pending.discard(conn)
                    self.fail(conn, str(e))
                    continue
                if reached:
                    pending.discard(conn)
                    done.append(conn)
            self.refill(pending)
        return done

    def refill(self, pending):
        while self.to_open and len(pending) < self.args.inflight:
            self.to_open -= 1
            conn = self.start_one(self.opened)
            self.opened += 1
            if conn is not None:
                pending.add(conn)

    def open(self, count):
        """Opens `count` more idle sessions; returns the seconds it took."""
        t0 = time.monotonic()
        self.to_open = count
        pending = set()
        self.refill(pending)
        for conn in self.pump(pending, self.args.timeout + count / 10):
            self.sel.unregister(conn.sock)  # idle: nothing is read until the NOOP
            self.conns.append(conn)
        return time.monotonic() - t0

    def stray_data(self):
        """Idle connections on which the server sent something (a BYE, or a
        close) while they were idle: counted as failures."""
        probe = selectors.DefaultSelector()
        for conn in self.conns:
            probe.register(conn.sock, selectors.EVENT_READ, conn)
        ready = [key.data for key, _ in probe.select(timeout=0)]
        probe.close()
        for conn in ready:
            try:
                data = conn.sock.recv(4096)
            except BlockingIOError:
                continue
            if not data or b"* BYE" in data:
                self.error(f"{conn.user}: idle connection closed by the server: {data[:100]!r}")
        return len(ready)

    def noop_all(self):
        """NOOP on every idle connection; returns how many answered OK."""
        pending = set()
        for conn in self.conns:
            self.sel.register(conn.sock, selectors.EVENT_READ, conn)
            try:
                conn.sock.sendall(b"n NOOP\r\n")
                conn.state = "noop"
                pending.add(conn)
            except OSError as e:
                self.fail(conn, f"NOOP: {e}")
        self.to_open = 0
        answered = self.pump(pending, self.args.timeout)
        for conn in answered:
            self.sel.unregister(conn.sock)
        return len(answered)

    def close_all(self):
        for conn in self.conns:
            conn.sock.close()
        self.conns = []


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return round(ordered[rank - 1] * 1000, 2)


def settle_memory(roots, seconds):
    """The server's memory once it has settled: read after `seconds`."""
    time.sleep(seconds)
    return benchlib.server_memory(roots)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--accounts", type=int, default=100, help="accounts PREFIX1..PREFIXA used in turn (default 100)")
    p.add_argument("--user-prefix", default="bench")
    p.add_argument("--password", required=True)
    p.add_argument("--counts", default="1000,10000", help="connections held at each step (default 1000,10000)")
    p.add_argument("--pids", required=True, help="comma-separated root pids of the server's processes")
    p.add_argument("--inflight", type=int, default=32, help="connections being logged in at once (default 32)")
    p.add_argument("--sources", type=int, default=1, help="source addresses 127.0.0.1..127.0.0.N (default 1)")
    p.add_argument("--settle", type=float, default=3, help="seconds to wait before each reading (default 3)")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--label", default="")
    args = p.parse_args(argv)
    args.steps = [int(x) for x in args.counts.split(",")]
    if any(b <= a for a, b in zip(args.steps, args.steps[1:])) or args.steps[0] < 1:
        p.error("--counts must be increasing positive numbers")
    args.roots = [int(x) for x in args.pids.split(",")]
    return args


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    fd_limit = raise_fd_limit(args.steps[-1] + 100)
    pool = Pool(args)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    readings = [{"connections": 0, "memory": settle_memory(args.roots, 0)}]
    held = 0
    for count in args.steps:
        seconds = pool.open(count - held)
        held = len(pool.conns)
        memory = settle_memory(args.roots, args.settle)
        readings.append({"connections": held, "requested": count, "open_seconds": round(seconds, 1),
                         "memory": memory})
        print(f"imap_idle_memory: {args.label}: {held} of {count} idle sessions (opened in {seconds:.1f} s), "
              f"Pss {memory['total']['pss_kib'] / 1024:.0f} MiB, RSS {memory['total']['rss_kib'] / 1024:.0f} MiB "
              f"in {memory['total']['processes']} processes", file=sys.stderr, flush=True)
        if held < count:
            break
    stray = pool.stray_data()
    noop_ok = pool.noop_all()
    pool.close_all()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    base = readings[0]["memory"]["total"]
    for r in readings[1:]:
        n = max(r["connections"], 1)
        r["pss_kib_per_connection"] = round((r["memory"]["total"]["pss_kib"] - base["pss_kib"]) / n, 1)
        r["rss_kib_per_connection"] = round((r["memory"]["total"]["rss_kib"] - base["rss_kib"]) / n, 1)
    ok = pool.failures == 0 and held == args.steps[-1] and noop_ok == held
    result = {
        "server": args.label,
        "port": args.port,
        "accounts": args.accounts,
        "sources": args.sources,
        "requested": args.steps,
        "held": held,
        "noop_ok": noop_ok,
        "stray_data": stray,
        "failures": pool.failures,
        "fd_limit": fd_limit,
        "readings": readings,
        "login_p50_ms": percentile(pool.login_latency, 50),
        "login_p99_ms": percentile(pool.login_latency, 99),
        "client_cpu_seconds": round((cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime), 2),
        "memory_source": "Pss from /proc/PID/smaps_rollup; RSS from /proc/PID/status VmRSS",
        "ok": ok,
        "errors": pool.errors,
    }
    print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
