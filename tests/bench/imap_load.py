#!/usr/bin/env python3
"""IMAP load generator for the IMAP benchmark.

C parallel clients (one thread each, raw blocking sockets, no imaplib), each
logged in to its own account bench1..benchC with LOGIN, each running a fixed
number of cycles of what a mail client does, one command at a time:

    SELECT INBOX                                              select
    UID FETCH 1:* (FLAGS)                                     fetch_flags
    UID FETCH u1,u2,u3 (UID RFC822.SIZE
              BODY.PEEK[HEADER.FIELDS (From Subject Date)])   fetch_headers
    UID FETCH u (UID RFC822.SIZE BODY.PEEK[])                 fetch_body
    UID STORE u +FLAGS (\\Seen), UID STORE u -FLAGS (\\Seen)   store
    APPEND INBOX {~5 KB}                                      append
    UID STORE new +FLAGS (\\Deleted)                           store
    UID EXPUNGE new                                           expunge

(u, u1..u3: random UIDs of the seeded messages, from the FLAGS listing; new:
the APPENDUID of the message just appended, RFC 4315). Any NO, BAD or BYE, a
dropped connection, or a wrong answer (SELECT's EXISTS not the seeded count,
a listing or FETCH without the messages asked for, a BODY[] literal whose
length is not its RFC822.SIZE, a STORE whose FETCH reply lacks the flag
change, an EXPUNGE not reporting exactly one message) is a failure of that
client: the JSON says so and the exit status is 1.

Prints one JSON line: operations (commands of the cycles) per second overall
and per family, over the wall time from the first connect to the last LOGOUT
reply (so the logins are inside it), p50/p99 latency per family (command sent
to its tagged reply), login p50, the generator's own CPU time. Standard
library only. Not a test: nothing here asserts a speed.
"""

import argparse
import json
import os
import random
import re
import resource
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import smtp_load  # noqa: E402

FAMILIES = ("select", "fetch_flags", "fetch_headers", "fetch_body", "store", "append", "expunge")
COMMANDS_PER_CYCLE = 9
FETCH_HEADERS_COUNT = 3

RE_UID = re.compile(rb"\bUID (\d+)")
RE_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
RE_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.I)


class ImapError(Exception):
    pass


class ImapClient:
    """One IMAP connection on a raw socket with a private receive buffer. A
    response is read as a list of pieces: text, literal, text, ... (a line
    ending in {N} is followed by N octets and then the rest of the line)."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.tag_number = 0
        self.greeting = self._line()

    def _fill(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ImapError("connection closed by the server")
        self.buf += chunk

    def _line(self):
        """One CRLF-terminated line, without the CRLF."""
        searched = 0
        while True:
            end = self.buf.find(b"\r\n", searched)
            if end >= 0:
                line = bytes(self.buf[:end])
                del self.buf[: end + 2]
                return line
            searched = max(0, len(self.buf) - 1)
            self._fill()

    def _literal(self, n):
        while len(self.buf) < n:
            self._fill()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def response(self):
        """One whole response: [text, literal, text, ...]."""
        pieces = []
        while True:
            line = self._line()
            pieces.append(line)
            if not line.endswith(b"}"):
                return pieces
            open_brace = line.rfind(b"{")
            count = line[open_brace + 1 : -1].rstrip(b"+")
            if open_brace < 0 or not count.isdigit():
                return pieces
            pieces.append(self._literal(int(count)))

    def next_tag(self):
        self.tag_number += 1
        return f"a{self.tag_number}".encode()

    def tagged(self, tag, shown):
        """Reads up to the tagged reply; returns (untagged responses, tagged
        line). NO, BAD and BYE raise."""
        untagged = []
        while True:
            pieces = self.response()
            first = pieces[0]
            if first.startswith(tag + b" "):
                if first[len(tag) + 1 : len(tag) + 4] != b"OK ":
                    raise ImapError(f"{shown}: {first.decode('utf-8', 'replace')}")
                return untagged, first
            if first.startswith(b"* BYE") and shown != "LOGOUT":
                raise ImapError(f"{shown}: {first.decode('utf-8', 'replace')}")
            if first.startswith(b"+"):
                raise ImapError(f"{shown}: unexpected continuation {first!r}")
            untagged.append(pieces)

    def command(self, text, shown=None):
        tag = self.next_tag()
        self.sock.sendall(tag + b" " + text.encode() + b"\r\n")
        return self.tagged(tag, shown or text)

    def append(self, mailbox, message):
        """APPEND with a synchronizing literal (RFC 3501 §7.5): the message is
        sent after the server's continuation request."""
        tag = self.next_tag()
        self.sock.sendall(tag + f" APPEND {mailbox} {{{len(message)}}}\r\n".encode())
        line = self._line()
        if not line.startswith(b"+"):
            raise ImapError(f"APPEND: {line.decode('utf-8', 'replace')}")
        self.sock.sendall(message + b"\r\n")
        return self.tagged(tag, "APPEND")

    def close(self):
        self.sock.close()


def fetch_uids(untagged):
    """The UIDs of the FETCH responses, in order."""
    out = []
    for pieces in untagged:
        if b" FETCH " in pieces[0]:
            m = RE_UID.search(b"".join(p for i, p in enumerate(pieces) if i % 2 == 0))
            if m:
                out.append(int(m.group(1)))
    return out


def flags_of(untagged, uid):
    """The FLAGS list text of `uid`'s FETCH response, or None."""
    for pieces in untagged:
        text = b"".join(p for i, p in enumerate(pieces) if i % 2 == 0)
        m = RE_UID.search(text)
        if b" FETCH " in text and m and int(m.group(1)) == uid:
            start = text.find(b"FLAGS (")
            if start >= 0:
                return text[start + 7 : text.find(b")", start)]
    return None


class Run:
    """Shared state of one run; every field is written under `lock`."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.start = threading.Event()
        self.deadline = None
        self.timed_out = False
        self.latency = {f: [] for f in FAMILIES}
        self.login_latency = []
        self.cycles = 0
        self.failures = 0
        self.wrong_answers = 0
        self.errors = []
        self.first_connect = None
        self.last_logout = None
        self.first_op = None
        self.last_op = None
        self.body_octets = 0

    def error(self, text):
        with self.lock:
            if len(self.errors) < 8:
                self.errors.append(text)


class WrongAnswer(ImapError):
    pass


def one_cycle(client, args, user, number, cycle, rng, latency, message):
    """The nine commands of one cycle; returns the BODY[] octets fetched."""

    def timed(family, call):
        t0 = time.perf_counter()
        out = call()
        latency[family].append(time.perf_counter() - t0)
        return out

    untagged, _ = timed("select", lambda: client.command("SELECT INBOX"))
    exists = [int(p[0].split()[1]) for p in untagged if p[0].endswith(b" EXISTS")]
    if not exists or exists[-1] != args.expect:
        raise WrongAnswer(f"SELECT INBOX: EXISTS {exists}, {args.expect} were seeded")
    untagged, _ = timed("fetch_flags", lambda: client.command("UID FETCH 1:* (FLAGS)"))
    uids = fetch_uids(untagged)
    if len(uids) != args.expect:
        raise WrongAnswer(f"UID FETCH 1:* (FLAGS): {len(uids)} messages, {args.expect} were seeded")
    picked = rng.sample(uids, min(FETCH_HEADERS_COUNT, len(uids)))
    uid_set = ",".join(str(u) for u in picked)
    untagged, _ = timed("fetch_headers", lambda: client.command(
        f"UID FETCH {uid_set} (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From Subject Date)])"))
    got = fetch_uids(untagged)
    if sorted(got) != sorted(picked) or any(len(p) < 3 or b"Subject:" not in p[1] for p in untagged
                                            if b" FETCH " in p[0]):
        raise WrongAnswer(f"UID FETCH {uid_set} (headers): UIDs {got} or a header literal without Subject")
    uid = rng.choice(uids)
    untagged, _ = timed("fetch_body", lambda: client.command(f"UID FETCH {uid} (UID RFC822.SIZE BODY.PEEK[])"))
    bodies = [p for p in untagged if b" FETCH " in p[0]]
    if len(bodies) != 1 or len(bodies[0]) < 3:
        raise WrongAnswer(f"UID FETCH {uid} BODY.PEEK[]: {len(bodies)} FETCH responses with a literal")
    size = RE_SIZE.search(b"".join(p for i, p in enumerate(bodies[0]) if i % 2 == 0))
    if not size or int(size.group(1)) != len(bodies[0][1]):
        raise WrongAnswer(f"UID FETCH {uid} BODY.PEEK[]: {len(bodies[0][1])} octets, RFC822.SIZE "
                          f"{size.group(1).decode() if size else 'missing'}")
    octets = len(bodies[0][1])
    for sign in ("+", "-"):
        untagged, _ = timed("store", lambda: client.command(f"UID STORE {uid} {sign}FLAGS (\\Seen)"))
        flags = flags_of(untagged, uid)
        if flags is None or (b"\\Seen" in flags) != (sign == "+"):
            raise WrongAnswer(f"UID STORE {uid} {sign}FLAGS (\\Seen): FLAGS {flags!r}")
    _, line = timed("append", lambda: client.append("INBOX", message))
    m = RE_APPENDUID.search(line)
    if not m:
        raise WrongAnswer(f"APPEND: no APPENDUID in {line[:120]!r}")
    new = int(m.group(1))
    untagged, _ = timed("store", lambda: client.command(f"UID STORE {new} +FLAGS (\\Deleted)"))
    flags = flags_of(untagged, new)
    if flags is None or b"\\Deleted" not in flags:
        raise WrongAnswer(f"UID STORE {new} +FLAGS (\\Deleted): FLAGS {flags!r}")
    untagged, _ = timed("expunge", lambda: client.command(f"UID EXPUNGE {new}"))
    expunged = [p for p in untagged if p[0].endswith(b" EXPUNGE")]
    if len(expunged) != 1:
        raise WrongAnswer(f"UID EXPUNGE {new}: {len(expunged)} EXPUNGE responses")
    return octets


def appended_message(args, user, i, bodies):
    """The i-th APPENDed message: the seeded text layout, a Message-ID of this
    run, client and cycle."""
    return benchlib.pop3_message(i, args.cycles, user, bodies).replace(
        b"pop3bench.", f"imapbench.{os.getpid()}.".encode(), 1)


def sample_message(args, bodies):
    return appended_message(args, args.users[0], 100000, bodies)


def client_worker(run, number, user, bodies):
    args = run.args
    rng = random.Random(number)
    run.start.wait()
    latency = {f: [] for f in FAMILIES}
    cycles = octets = 0
    first_op = last_op = None
    client = None
    try:
        t_connect = time.perf_counter()
        with run.lock:
            run.first_connect = t_connect if run.first_connect is None else min(run.first_connect, t_connect)
        client = ImapClient(args.host, args.port, args.timeout)
        if not client.greeting.startswith(b"* OK"):
            raise ImapError(f"greeting: {client.greeting!r}")
        t0 = time.perf_counter()
        client.command(f'LOGIN {user} "{args.password}"', shown="LOGIN")
        login = time.perf_counter() - t0
        first_op = time.perf_counter()
        for cycle in range(args.cycles):
            if time.monotonic() >= run.deadline:
                with run.lock:
                    run.timed_out = True
                break
            # A message of its own per append (the seeded text layout, a
            # Message-ID of this client and cycle).
            message = appended_message(args, user, number * 100000 + cycle, bodies)
            octets += one_cycle(client, args, user, number, cycle, rng, latency, message)
            cycles += 1
        last_op = time.perf_counter()
        client.command("LOGOUT")
        t_logout = time.perf_counter()
        with run.lock:
            run.last_logout = t_logout if run.last_logout is None else max(run.last_logout, t_logout)
            run.login_latency.append(login)
    except (OSError, ImapError, ValueError, IndexError) as e:
        now = time.perf_counter()
        last_op = last_op or now
        with run.lock:
            run.failures += 1
            run.wrong_answers += isinstance(e, WrongAnswer)
            run.last_logout = now if run.last_logout is None else max(run.last_logout, now)
        run.error(f"client {number} ({user}), cycle {cycles + 1}: {type(e).__name__}: {e}")
    finally:
        if client is not None:
            client.close()
        with run.lock:
            run.cycles += cycles
            run.body_octets += octets
            for f in FAMILIES:
                run.latency[f].extend(latency[f])
            if first_op is not None:
                run.first_op = first_op if run.first_op is None else min(run.first_op, first_op)
                run.last_op = last_op if run.last_op is None else max(run.last_op, last_op)


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
    p.add_argument("--clients", type=int, default=10, help="parallel clients, one account each (default 10)")
    p.add_argument("--user-prefix", default="bench", help="accounts PREFIX1..PREFIXC (default bench)")
    p.add_argument("--password", required=True)
    p.add_argument("--cycles", type=int, default=20, help="cycles of 9 commands per client (default 20)")
    p.add_argument("--expect", type=int, required=True, help="messages seeded into each INBOX")
    p.add_argument("--size", type=int, default=5120, help="approximate size of the APPENDed messages")
    p.add_argument("--max-seconds", type=float, default=600, help="no cycle starts after this")
    p.add_argument("--timeout", type=float, default=120, help="socket timeout per reply in seconds")
    p.add_argument("--label", default="", help="'server' field of the JSON line")
    args = p.parse_args(argv)
    if args.clients < 1 or args.cycles < 1 or args.expect < 1:
        p.error("--clients, --cycles and --expect must be >= 1")
    args.users = [f"{args.user_prefix}{n}" for n in range(1, args.clients + 1)]
    return args


def run_load(args):
    run = Run(args)
    bodies = smtp_load.make_bodies(64, max(args.size - 800, 200))
    threads = [threading.Thread(target=client_worker, args=(run, n + 1, user, bodies), daemon=True)
               for n, user in enumerate(args.users)]
    for t in threads:
        t.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started_at = time.time()
    t_release = time.perf_counter()
    run.deadline = time.monotonic() + args.max_seconds
    run.start.set()
    for t in threads:
        t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    first = run.first_connect if run.first_connect is not None else t_release
    last = run.last_logout if run.last_logout is not None else time.perf_counter()
    seconds = max(last - first, 1e-9)
    loop_seconds = max(run.last_op - run.first_op, 1e-9) if run.first_op is not None else None
    ops = sum(len(v) for v in run.latency.values())
    families = {f: {"count": len(v), "per_sec": round(len(v) / seconds, 1),
                    "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
                for f, v in run.latency.items()}
    ok = run.failures == 0 and not run.timed_out and run.cycles == args.clients * args.cycles
    return {
        "server": args.label,
        "host": args.host,
        "port": args.port,
        "clients": args.clients,
        "cycles_per_client": args.cycles,
        "cycles": run.cycles,
        "seeded_per_account": args.expect,
        "ops": ops,
        "failures": run.failures,
        "wrong_answers": run.wrong_answers,
        "timed_out": run.timed_out,
        "seconds": round(seconds, 3),
        "ops_per_sec": round(ops / seconds, 1),
        # From the first client's first SELECT to the last client's last
        # reply of its cycles: leaves out the logins as far as the clients do
        # not overlap.
        "loop_seconds": round(loop_seconds, 3) if loop_seconds else None,
        "loop_ops_per_sec": round(ops / loop_seconds, 1) if loop_seconds else None,
        "families": families,
        "p50_ms": percentile([x for v in run.latency.values() for x in v], 50),
        "p99_ms": percentile([x for v in run.latency.values() for x in v], 99),
        "login_p50_ms": percentile(run.login_latency, 50),
        "login_max_ms": percentile(run.login_latency, 100),
        "body_octets": run.body_octets,
        "append_message_bytes": len(sample_message(args, bodies)),
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
