#!/usr/bin/env python3
"""SMTP load generator for the accepted-messages-per-second benchmark.

N parallel sessions (one thread each, raw blocking sockets, no smtplib) share a
bounded pool of messages: each session connects, says EHLO, and sends messages
until the pool is empty or the time limit has passed, pipelining MAIL/RCPT/DATA
(RFC 2920) when the server offers PIPELINING. Messages are ~5 KB of realistic
headers and UTF-8 text with a unique Message-ID. A message counts only when the
server answered 250 after the final dot; every other outcome is a failure.

Prints one JSON line: messages, seconds, msgs_per_sec, and the p50/p99 latency
of the DATA-to-250 step (from the 354 reply to the 250 after the dot, i.e. the
time the server takes to receive and commit the message). Standard library only.
Not a test: nothing here asserts a speed.
"""

import argparse
import json
import os
import random
import resource
import socket
import sys
import threading
import time
from email.utils import formatdate

# --------------------------------------------------------------------- messages

WORDS = (
    "the quarterly report shows that revenue from the northern region grew while "
    "costs in logistics and support stayed within the budget agreed in march we "
    "expect the new warehouse to open before the end of the year and the team "
    "will need two more people for the evening shift please review the attached "
    "figures before thursday's meeting and send any corrections to finance "
    "customer satisfaction improved after the ticket system was replaced delivery "
    "times are down by a day on average the board asked for a forecast covering "
    "the next three years including the effect of higher energy prices on the "
    "production line in the south office contracts with two suppliers expire in "
    "june and renewal talks have started the legal department is reviewing the "
    "terms thank you all for the extra work during the migration"
).split()

# A little non-ASCII text, as real mail has (hence BODY=8BITMIME when offered).
UTF8_LINES = [
    "Grüße aus dem Büro — bis Donnerstag.",
    "Le café du rez-de-chaussée ferme à 18 h.",
    "Reunión aplazada: el señor Muñoz llega mañana.",
]


def make_bodies(count, size, seed=5321):
    """`count` different text bodies of about `size` bytes each, lines of at
    most 72 characters, CRLF line ends, not yet dot-stuffed. Some lines start
    with a dot so the dot-stuffing path is exercised on both servers."""
    rng = random.Random(seed)
    bodies = []
    for n in range(count):
        lines = ["Hello all,", ""]
        total = 0
        while total < size:
            paragraph, line = [], ""
            for _ in range(rng.randint(25, 70)):
                word = rng.choice(WORDS)
                if len(line) + len(word) + 1 > 72:
                    paragraph.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            paragraph.append(line)
            if rng.random() < 0.3:
                paragraph.append(rng.choice(UTF8_LINES))
            if rng.random() < 0.15:
                paragraph.append("...and one more thing, see below.")
            paragraph.append("")
            lines.extend(paragraph)
            total = sum(len(x.encode()) + 2 for x in lines)
        lines += ["Best regards,", "The load generator", f"-- body variant {n}"]
        bodies.append(("\r\n".join(lines) + "\r\n").encode())
    return bodies


class MessageFactory:
    """Builds message `i` as wire bytes (dot-stuffed, ending CRLF.CRLF). Thread-
    safe: everything shared is read-only after construction."""

    def __init__(self, size, sender, run_id):
        self.sender = sender
        self.run_id = run_id
        # Headers are ~600 bytes and a body overshoots its target by half a
        # paragraph on average: 800 bytes less keeps the mean close to `size`.
        self.bodies = make_bodies(64, max(size - 800, 200))

    def build(self, i, rcpts, total):
        date = formatdate(localtime=True)
        to = ", ".join(f"<{r}>" for r in rcpts)
        headers = (
            f"Received: from workstation-{i % 97}.office.client.example "
            f"(workstation-{i % 97}.office.client.example [192.0.2.{i % 250 + 1}])\r\n"
            f"\tby relay.client.example (Bench-MTA) with ESMTPSA id {self.run_id}{i:08X}\r\n"
            f"\tfor {to}; {date}\r\n"
            f"Date: {date}\r\n"
            f'From: "Load Generator" <{self.sender}>\r\n'
            f"To: {to}\r\n"
            f"Subject: Quarterly figures, review before Thursday [{i + 1}/{total}]\r\n"
            f"Message-ID: <{self.run_id}.{i}@client.example>\r\n"
            f"MIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n"
            f"X-Mailer: Pillarbox smtp_load.py\r\n"
            f"X-Bench-Run: {self.run_id}\r\n"
            f"\r\n"
        ).encode()
        raw = headers + self.bodies[i % len(self.bodies)]
        # Dot-stuffing (RFC 5321 4.5.2): every line starting with "." gets one more.
        stuffed = raw.replace(b"\r\n.", b"\r\n..")
        if stuffed.startswith(b"."):
            stuffed = b"." + stuffed
        return stuffed + b".\r\n", len(raw)


# --------------------------------------------------------------------- protocol


class SmtpError(Exception):
    pass


class SmtpSession:
    """One SMTP client connection on a raw socket. Replies are read with a
    private buffer so pipelined replies arriving in one segment are split
    correctly."""

    def __init__(self, host, port, timeout, helo):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.extensions = {}
        code, lines = self.reply()
        if code != 220:
            raise SmtpError(f"greeting: {code} {lines[-1] if lines else ''}")
        self.send(f"EHLO {helo}\r\n".encode())
        code, lines = self.reply()
        if code != 250:
            raise SmtpError(f"EHLO: {code} {lines[-1] if lines else ''}")
        for line in lines[1:]:
            word, _, arg = line.partition(" ")
            self.extensions[word.upper()] = arg

    def send(self, data):
        self.sock.sendall(data)

    def _line(self):
        while True:
            end = self.buf.find(b"\n")
            if end >= 0:
                line = bytes(self.buf[: end + 1])
                del self.buf[: end + 1]
                return line.rstrip(b"\r\n").decode("utf-8", "replace")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SmtpError("connection closed by the server")
            self.buf += chunk

    def reply(self):
        """One (possibly multi-line) reply: (code, [text of each line])."""
        lines = []
        while True:
            line = self._line()
            if len(line) < 3 or not line[:3].isdigit():
                raise SmtpError(f"malformed reply line {line!r}")
            lines.append(line[4:])
            if len(line) == 3 or line[3] != "-":
                return int(line[:3]), lines

    def close(self):
        try:
            self.send(b"QUIT\r\n")
            self.reply()
        except (OSError, SmtpError):
            pass
        self.sock.close()


def send_message(session, sender, rcpts, wire, size, pipelining):
    """One mail transaction. Returns (ok, error, data_to_250_s, txn_s)."""
    params = ""
    if "SIZE" in session.extensions:
        params += f" SIZE={size}"
    if "8BITMIME" in session.extensions:
        params += " BODY=8BITMIME"
    commands = [f"MAIL FROM:<{sender}>{params}\r\n"] + [f"RCPT TO:<{r}>\r\n" for r in rcpts] + ["DATA\r\n"]
    t0 = time.perf_counter()
    replies = []
    if pipelining:
        session.send("".join(commands).encode())
        replies = [session.reply() for _ in commands]
    else:
        for command in commands:
            session.send(command.encode())
            replies.append(session.reply())
            if replies[-1][0] >= 400:
                break
    error = None
    for command, (code, lines) in zip(commands, replies):
        expected = (354,) if command == "DATA\r\n" else (250, 251)
        if code not in expected and error is None:
            error = f"{command.split(':')[0].strip()}: {code} {lines[-1] if lines else ''}"
    if replies[-1][0] != 354 or len(replies) < len(commands):
        session.send(b"RSET\r\n")
        session.reply()
        return False, error, 0.0, 0.0
    t_data = time.perf_counter()
    session.send(wire)
    code, lines = session.reply()
    t_end = time.perf_counter()
    if code != 250 and error is None:
        error = f"end of DATA: {code} {lines[-1] if lines else ''}"
    return error is None, error, t_end - t_data, t_end - t0


# --------------------------------------------------------------------- the run


class Run:
    """Shared state of one run: the message pool, the deadline, the results."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.next = 0
        self.deadline = time.monotonic() + args.max_seconds
        self.timed_out = False
        self.ok = 0
        self.failures = 0
        self.errors = []  # the first few error texts
        self.data_latency = []
        self.txn_latency = []
        self.bytes = 0
        self.pipelining = None
        self.recipients = args.recipients
        self.factory = MessageFactory(args.size, args.sender, args.run_id)

    def take(self):
        """The index of the next message to send, or None when done."""
        with self.lock:
            if self.next >= self.args.messages:
                return None
            if time.monotonic() >= self.deadline:
                self.timed_out = True
                return None
            self.next += 1
            return self.next - 1

    def record(self, ok, error, data_s, txn_s, size):
        with self.lock:
            if ok:
                self.ok += 1
                self.data_latency.append(data_s)
                self.txn_latency.append(txn_s)
                self.bytes += size
            else:
                self.failures += 1
                if len(self.errors) < 5:
                    self.errors.append(error)

    def rcpts_for(self, i):
        k = self.args.rcpts_per_message
        n = len(self.recipients)
        return [self.recipients[(i * k + j) % n] for j in range(k)]


def session_worker(run, number):
    """One session: (re)connect and send messages until the pool is empty."""
    args = run.args
    session = None
    sent_on_connection = 0
    consecutive_connect_errors = 0
    while True:
        i = run.take()
        if i is None:
            break
        try:
            if session is None or (args.per_connection and sent_on_connection >= args.per_connection):
                if session is not None:
                    session.close()
                session = None
                session = SmtpSession(args.host, args.port, args.timeout, f"load{number}.client.example")
                sent_on_connection = 0
                consecutive_connect_errors = 0
                if run.pipelining is None:
                    run.pipelining = "PIPELINING" in session.extensions and not args.no_pipelining
            rcpts = run.rcpts_for(i)
            wire, size = run.factory.build(i, rcpts, args.messages)
            pipelining = "PIPELINING" in session.extensions and not args.no_pipelining
            ok, error, data_s, txn_s = send_message(session, args.sender, rcpts, wire, size, pipelining)
            sent_on_connection += 1
            run.record(ok, error, data_s, txn_s, size)
        except (OSError, SmtpError) as e:
            # The message in flight is lost for this run: count it and reconnect.
            run.record(False, f"session {number}: {type(e).__name__}: {e}", 0, 0, 0)
            if session is not None:
                session.sock.close()
            session = None
            consecutive_connect_errors += 1
            if consecutive_connect_errors >= 5:
                break
    if session is not None:
        session.close()


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
    p.add_argument("--messages", type=int, default=2000, help="messages to send in all (default 2000)")
    p.add_argument("--sessions", type=int, default=10, help="parallel SMTP sessions (default 10)")
    p.add_argument("--max-seconds", type=float, default=120, help="stop starting new messages after this")
    p.add_argument("--size", type=int, default=5120, help="approximate message size in bytes (default 5120)")
    p.add_argument("--domain", default="bench.test")
    p.add_argument("--users", type=int, default=10, help="recipients bench1..benchN@DOMAIN (default 10)")
    p.add_argument("--user-prefix", default="bench")
    p.add_argument("--rcpts-per-message", type=int, default=1)
    p.add_argument("--sender", default="load@client.example")
    p.add_argument("--per-connection", type=int, default=0,
                   help="messages per connection before reconnecting (default 0: keep the connection)")
    p.add_argument("--no-pipelining", action="store_true", help="one command per round trip even if offered")
    p.add_argument("--timeout", type=float, default=60, help="socket timeout per reply in seconds")
    p.add_argument("--label", default="", help="'server' field of the JSON line")
    p.add_argument("--run-id", default="", help="Message-ID prefix (default: random)")
    args = p.parse_args(argv)
    if args.messages < 1 or args.sessions < 1 or args.users < 1 or args.rcpts_per_message < 1:
        p.error("--messages, --sessions, --users and --rcpts-per-message must be >= 1")
    args.run_id = args.run_id or f"{int(time.time()):x}{os.getpid():x}{random.getrandbits(24):06x}"
    args.recipients = [f"{args.user_prefix}{n}@{args.domain}" for n in range(1, args.users + 1)]
    return args


def run_load(args):
    """Runs the load and returns the result dictionary (also used by the peers)."""
    run = Run(args)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started_at = time.time()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=session_worker, args=(run, n), daemon=True)
               for n in range(1, args.sessions + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "server": args.label,
        "host": args.host,
        "port": args.port,
        "sessions": args.sessions,
        "requested": args.messages,
        "messages": run.ok,
        "failures": run.failures,
        "not_sent": args.messages - run.ok - run.failures,
        "timed_out": run.timed_out,
        "rcpts_per_message": args.rcpts_per_message,
        "seconds": round(seconds, 3),
        "msgs_per_sec": round(run.ok / seconds, 1) if seconds > 0 else None,
        "p50_ms": percentile(run.data_latency, 50),
        "p99_ms": percentile(run.data_latency, 99),
        "txn_p50_ms": percentile(run.txn_latency, 50),
        "txn_p99_ms": percentile(run.txn_latency, 99),
        "avg_message_bytes": round(run.bytes / run.ok) if run.ok else None,
        "pipelining": bool(run.pipelining),
        # The generator's own CPU time: if it approaches seconds * cores the
        # generator, not the server, is the bottleneck.
        "client_cpu_seconds": round(cpu, 2),
        "run_id": args.run_id,
        "started_at": round(started_at, 3),
        "finished_at": round(started_at + seconds, 3),
        "errors": run.errors,
    }


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    result = run_load(args)
    print(json.dumps(result), flush=True)
    return 0 if result["messages"] == args.messages else 1


if __name__ == "__main__":
    sys.exit(main())
