"""Helpers shared by the benchmark peers (pillarbox_peer.py,
peer_postfix_dovecot.py): free ports, waiting with a deadline, the process
tree of a server we started, running smtp_load.py as a separate process, and
the command-line options every peer takes; and, below, what the POP3 and IMAP
peers share (accounts, message texts, their generators, server memory) and
what the sending peers share (smtp-sink, remote recipients, CPU time).
Standard library only."""

import argparse
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOAD = os.path.join(HERE, "smtp_load.py")
BENCH_DOMAIN = "bench.test"
BENCH_USERS = [f"bench{n}" for n in range(1, 11)]


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout, what, interval=0.05):
    """Polls `pred` until it returns a true value (returned) or raises."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def smtp_banner(port, host="127.0.0.1"):
    """The first reply line of an SMTP server, or "" when none answers."""
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            line = s.makefile("rb").readline().decode(errors="replace").strip()
            s.sendall(b"QUIT\r\n")
            return line
    except OSError:
        return ""


def smtp_accepts(port, rcpt, host="127.0.0.1"):
    """True when the server accepts RCPT TO:<rcpt> (no message is sent)."""
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            f = s.makefile("rwb")

            def reply():
                while True:
                    line = f.readline()
                    if not line or line[3:4] != b"-":
                        return line

            reply()
            for command in (b"EHLO probe.client.example", b"MAIL FROM:<probe@client.example>",
                            f"RCPT TO:<{rcpt}>".encode()):
                f.write(command + b"\r\n")
                f.flush()
                line = reply()
            f.write(b"QUIT\r\n")
            f.flush()
            return line.startswith(b"250")
    except OSError:
        return False


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def pid_alive(pid):
    """True for a live, non-zombie process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def descendants(root):
    """`root` and every process below it (from /proc parent links)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(") ", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def wait_gone(pids, timeout, what):
    """Waits for every pid to exit; SIGKILLs what is left after `timeout` (only
    these pids: processes this benchmark started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    for p in pids:
        if pid_alive(p):
            print(f"bench: {what}: pid {p} still running after {timeout}s, killing it", file=sys.stderr)
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return False


def require_root(what):
    if os.geteuid() != 0:
        sys.exit(f"{what}: must run as root (the servers start as root and drop privileges)")


def run_load(port, args, label, domain=BENCH_DOMAIN, users=len(BENCH_USERS), user_prefix="bench"):
    """Runs smtp_load.py in its own process (so its CPU is its own) and returns
    its JSON result. The generator's exit status only says whether every
    message got its 250; the result carries the counts either way. Recipients
    are <user_prefix>1..<user_prefix><users>@<domain> (the bench accounts
    unless the sending benchmark asks for remote ones)."""
    command = [sys.executable, LOAD, "--port", str(port), "--messages", str(args.messages),
               "--sessions", str(args.sessions), "--max-seconds", str(args.max_seconds),
               "--size", str(args.size), "--rcpts-per-message", str(args.rcpts_per_message),
               "--domain", domain, "--users", str(users), "--user-prefix", user_prefix, "--label", label]
    if args.per_connection:
        command += ["--per-connection", str(args.per_connection)]
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])
    out = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"smtp_load.py printed no result (exit {out.returncode}): {out.stderr.strip()}")
    result = json.loads(lines[-1])
    result["loadavg_before"] = loadavg
    return result


def common_options(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--max-seconds", type=float, default=300)
    p.add_argument("--size", type=int, default=5120)
    p.add_argument("--rcpts-per-message", type=int, default=1)
    p.add_argument("--per-connection", type=int, default=0)
    p.add_argument("--serve", action="store_true",
                   help="start the server(s), print the SMTP port, wait for Ctrl-C, clean up")
    p.add_argument("--keep", action="store_true", help="leave the temporary directory for inspection")
    return p


def serve_until_interrupted(port, extra=""):
    print(f"bench: SMTP on 127.0.0.1:{port}{extra}; Ctrl-C stops and cleans up", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def sigterm_as_interrupt():
    """SIGTERM raises KeyboardInterrupt like Ctrl-C, so the `finally` that
    stops the servers and removes the temporary directory runs for both."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, interrupt)


# ------------------------------------------------------------ POP3 benchmark
# Used by pop3_pillarbox_peer.py and pop3_peer_dovecot.py: the same accounts,
# the same message texts in the same mailboxes on both sides, and
# pop3_load.py run as a separate process.

POP3_LOAD = os.path.join(HERE, "pop3_load.py")
POP3_PASSWORD = "bench-password-1"
POP3_DATE = "Mon, 03 Mar 2025 09:15:00 +0100"  # fixed: the texts are the same in every run


def pop3_users(clients):
    """bench1..benchN: one account (one maildrop lock) per POP3 client."""
    return [f"bench{n}" for n in range(1, clients + 1)]


def pop3_assignment(messages, clients):
    """Which messages go to which account: {user: [message index, ...]}, in
    consecutive blocks, the first accounts taking one more when `messages` is
    not a multiple of `clients`."""
    users = pop3_users(clients)
    base, extra = divmod(messages, clients)
    out, start = {}, 0
    for n, user in enumerate(users):
        count = base + (1 if n < extra else 0)
        out[user] = list(range(start, start + count))
        start += count
    return out


def pop3_message(i, total, user, bodies):
    """Message `i` for `user`: the header layout of smtp_load.py with a fixed
    date and Message-ID, so both peers hold byte-identical texts (CRLF line
    ends, not dot-stuffed)."""
    to = f"<{user}@{BENCH_DOMAIN}>"
    headers = (
        f"Received: from workstation-{i % 97}.office.client.example "
        f"(workstation-{i % 97}.office.client.example [192.0.2.{i % 250 + 1}])\r\n"
        f"\tby relay.client.example (Bench-MTA) with ESMTPSA id POP3BENCH{i:08X}\r\n"
        f"\tfor {to}; {POP3_DATE}\r\n"
        f"Date: {POP3_DATE}\r\n"
        f'From: "Load Generator" <load@client.example>\r\n'
        f"To: {to}\r\n"
        f"Subject: Quarterly figures, review before Thursday [{i + 1}/{total}]\r\n"
        f"Message-ID: <pop3bench.{i}@client.example>\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n"
        f"X-Mailer: Pillarbox pop3 bench\r\n"
        f"\r\n"
    ).encode()
    return headers + bodies[i % len(bodies)]


def pop3_messages(messages, clients, size):
    """{user: [raw message bytes, ...]} for a run: what the peers seed."""
    import smtp_load  # the body texts of the SMTP benchmark

    # Headers are ~600 bytes; a body overshoots its target by about half a
    # paragraph (as in smtp_load.MessageFactory).
    bodies = smtp_load.make_bodies(64, max(size - 800, 200))
    return {user: [pop3_message(i, messages, user, bodies) for i in indices]
            for user, indices in pop3_assignment(messages, clients).items()}


def pop3_banner(port, host="127.0.0.1"):
    """The greeting line of a POP3 server, or "" when none answers."""
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            line = s.makefile("rb").readline().decode(errors="replace").strip()
            s.sendall(b"QUIT\r\n")
            return line
    except OSError:
        return ""


def pop3_stat(port, user, password, host="127.0.0.1"):
    """(messages, octets) from STAT after USER/PASS, or None when the login or
    the connection fails. Used before the load to check that a server is ready
    and holds what was seeded."""
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            f = s.makefile("rwb")
            replies = [f.readline()]
            for command in (f"USER {user}", f"PASS {password}", "STAT"):
                f.write(command.encode() + b"\r\n")
                f.flush()
                replies.append(f.readline())
            f.write(b"QUIT\r\n")
            f.flush()
            f.readline()
            if not all(r.startswith(b"+OK") for r in replies):
                return None
            words = replies[-1].split()
            return int(words[1]), int(words[2])
    except (OSError, ValueError, IndexError):
        return None


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_pop3_load(port, args, label, expected):
    """Runs pop3_load.py in its own process (so its CPU is its own) against
    accounts bench1..bench<clients> and returns its JSON result. `expected`
    is {user: message count}; the generator reports any account whose STAT
    differs."""
    command = [sys.executable, POP3_LOAD, "--port", str(port), "--clients", str(args.clients),
               "--password", POP3_PASSWORD, "--max-seconds", str(args.max_seconds), "--label", label,
               "--expect", ",".join(str(expected[u]) for u in pop3_users(args.clients))]
    os.sync()  # the seeding's dirty pages must not be written back during the run
    before = loadavg()
    out = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"pop3_load.py printed no result (exit {out.returncode}): {out.stderr.strip()}")
    result = json.loads(lines[-1])
    result["loadavg_before"] = before
    return result


def pop3_common_options(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--messages", type=int, default=1000, help="messages in all (default 1000)")
    p.add_argument("--clients", type=int, default=1,
                   help="parallel POP3 clients, one account each (default 1)")
    p.add_argument("--size", type=int, default=5120, help="approximate message size (default 5120)")
    p.add_argument("--max-seconds", type=float, default=300,
                   help="the generator stops retrieving after this (default 300)")
    p.add_argument("--serve", action="store_true",
                   help="start and seed the server, print the POP3 port, wait for Ctrl-C, clean up")
    p.add_argument("--keep", action="store_true", help="leave the temporary directory for inspection")
    return p


def serve_pop3_until_interrupted(port, extra=""):
    print(f"bench: POP3 on 127.0.0.1:{port} (users bench1.., password {POP3_PASSWORD}){extra}; "
          f"Ctrl-C stops and cleans up", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


# ------------------------------------------------------------ IMAP benchmark
# Used by imap_pillarbox_peer.py and imap_peer_dovecot.py: the POP3
# benchmark's accounts, password and message texts, imap_load.py and
# imap_idle_memory.py run as separate processes, and the memory of a server's
# processes read from /proc.

IMAP_LOAD = os.path.join(HERE, "imap_load.py")
IMAP_IDLE = os.path.join(HERE, "imap_idle_memory.py")
# Limits both servers get so that 10,000 sessions fit (only limits: nothing
# that changes how a session is served).
IMAP_MAX_CONNECTIONS = 11000
IMAP_MAX_PER_ACCOUNT = 1000


def imap_banner(port, host="127.0.0.1"):
    """The greeting line of an IMAP server, or "" when none answers."""
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            line = s.makefile("rb").readline().decode(errors="replace").strip()
            s.sendall(b"z LOGOUT\r\n")
            return line
    except OSError:
        return ""


def imap_exists(port, user, password, host="127.0.0.1"):
    """The EXISTS count of `user`'s INBOX after LOGIN and EXAMINE, or None when
    the login or the connection fails. Used before the load to check that a
    server is ready and holds what was seeded."""
    try:
        with socket.create_connection((host, port), timeout=30) as s:
            f = s.makefile("rwb")
            if not f.readline().startswith(b"* OK"):
                return None
            exists = None
            for tag, command in ((b"a", f'LOGIN {user} "{password}"'), (b"b", "EXAMINE INBOX")):
                f.write(tag + b" " + command.encode() + b"\r\n")
                f.flush()
                while True:
                    line = f.readline()
                    if not line:
                        return None
                    words = line.split()
                    if line.startswith(tag + b" "):
                        if words[1] != b"OK":
                            return None
                        break
                    if len(words) >= 3 and words[0] == b"*" and words[2] == b"EXISTS":
                        exists = int(words[1])
            f.write(b"c LOGOUT\r\n")
            f.flush()
            return exists
    except (OSError, ValueError, IndexError):
        return None


def run_json_tool(command, what):
    """Runs a generator in its own process (so its CPU is its own); returns its
    last JSON line with the load average before the run."""
    os.sync()  # the seeding's dirty pages must not be written back during the run
    before = loadavg()
    out = subprocess.run(command, capture_output=True, text=True)
    if out.stderr.strip():
        print(out.stderr.rstrip(), file=sys.stderr)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{what} printed no result (exit {out.returncode}): {out.stderr.strip()[-2000:]}")
    result = json.loads(lines[-1])
    result["loadavg_before"] = before
    return result


def run_imap_load(port, args, label, expected):
    """imap_load.py against accounts bench1..bench<clients>, each expected to
    hold `expected` messages in its INBOX."""
    command = [sys.executable, IMAP_LOAD, "--port", str(port), "--clients", str(args.clients),
               "--password", POP3_PASSWORD, "--cycles", str(args.cycles), "--expect", str(expected),
               "--size", str(args.size), "--max-seconds", str(args.max_seconds), "--label", label]
    return run_json_tool(command, "imap_load.py")


def run_imap_idle(port, args, label, pid_roots):
    """imap_idle_memory.py against accounts bench1..bench<accounts>; it reads
    the memory of `pid_roots` and every process below them."""
    command = [sys.executable, IMAP_IDLE, "--port", str(port), "--accounts", str(args.accounts),
               "--password", POP3_PASSWORD, "--counts", args.idle_counts,
               "--pids", ",".join(str(p) for p in pid_roots), "--label", label,
               "--sources", str(args.sources)]
    return run_json_tool(command, "imap_idle_memory.py")


def process_memory(pid):
    """(comm, VmRSS KiB, Pss KiB) of a process, or None when it is gone. Pss
    (from smaps_rollup) shares each page among the processes mapping it, so
    the Pss of forked processes adds up to the memory they really use; VmRSS
    counts shared pages once per process."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip()
        rss = pss = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    break
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
        return comm, rss, pss
    except (OSError, ValueError, IndexError):
        return None


def server_memory(pid_roots):
    """Memory of every process under `pid_roots` (each root included), summed
    per command name: {"groups": {comm: {processes, rss_kib, pss_kib}},
    "total": {...}}."""
    seen, groups = set(), {}
    for root in pid_roots:
        for pid in descendants(root):
            if pid in seen:
                continue
            seen.add(pid)
            m = process_memory(pid)
            if m is None:
                continue
            comm, rss, pss = m
            g = groups.setdefault(comm, {"processes": 0, "rss_kib": 0, "pss_kib": 0})
            g["processes"] += 1
            g["rss_kib"] += rss
            g["pss_kib"] += pss
    total = {"processes": sum(g["processes"] for g in groups.values()),
             "rss_kib": sum(g["rss_kib"] for g in groups.values()),
             "pss_kib": sum(g["pss_kib"] for g in groups.values())}
    return {"groups": dict(sorted(groups.items())), "total": total}


def imap_common_options(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--mode", choices=("load", "idle"), default="load",
                   help="load: imap_load.py with --clients; idle: imap_idle_memory.py with --idle-counts")
    p.add_argument("--clients", type=int, default=10, help="load: parallel clients, one account each (default 10)")
    p.add_argument("--messages-per-account", type=int, default=None,
                   help="messages seeded into each INBOX (default 200 for load, 50 for idle)")
    p.add_argument("--cycles", type=int, default=20,
                   help="load: command cycles per client (9 commands each, default 20)")
    p.add_argument("--accounts", type=int, default=100, help="idle: accounts the connections spread over (default 100)")
    p.add_argument("--idle-counts", default="1000,10000",
                   help="idle: authenticated idle connections to hold, in steps (default 1000,10000)")
    p.add_argument("--sources", type=int, default=1,
                   help="idle: loopback source addresses 127.0.0.1.. to spread the connections over (default 1)")
    p.add_argument("--size", type=int, default=5120, help="approximate message size (default 5120)")
    p.add_argument("--max-seconds", type=float, default=600,
                   help="load: the generator stops starting cycles after this (default 600)")
    p.add_argument("--serve", action="store_true",
                   help="start and seed the server, print the IMAP port, wait for Ctrl-C, clean up")
    p.add_argument("--keep", action="store_true", help="leave the temporary directory for inspection")
    return p


def imap_accounts(args):
    """(accounts, messages per account) of a peer run."""
    if args.mode == "idle":
        return args.accounts, args.messages_per_account if args.messages_per_account is not None else 50
    return args.clients, args.messages_per_account if args.messages_per_account is not None else 200


def serve_imap_until_interrupted(port, extra=""):
    print(f"bench: IMAP on 127.0.0.1:{port} (users bench1.., password {POP3_PASSWORD}){extra}; "
          f"Ctrl-C stops and cleans up", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


# ------------------------------------------------------------ Sending benchmark
# Used by send_peer_pillarbox.py and send_peer_postfix.py: the destination both
# servers relay to (Postfix's smtp-sink, counting what arrives), the remote
# recipients of the load, waiting for the sink, checking what it got, and the
# CPU time of a server's processes.

SMTP_SINK = "/usr/sbin/smtp-sink"
SEND_DOMAIN = "remote.example"  # not a local domain on either server: relayed
SEND_USERS = 10                 # user1..user10@remote.example
SEND_USER_PREFIX = "user"
SINK_USER = "nobody"            # smtp-sink started as root must drop to someone


class SmtpSink:
    """Postfix's smtp-sink on a free loopback port (IPv4), one process, up to
    256 connections at once. `-c` makes it print a running counter
    ("sess=N quit=N mesg=N", CR-terminated, flushed) whenever a final dot
    arrives; a thread reads it from a pipe and notes when each count was first
    seen, which gives the arrival time of the last message. `-D` appends every
    transaction (its MAIL/RCPT arguments and the message) to one dump file,
    written as the transaction ends, without fsync, so that Message-IDs can
    be checked for duplicates and gaps afterwards."""

    def __init__(self, root):
        self.dir = os.path.join(root, "sink")
        self.dump = os.path.join(self.dir, "dump")
        self.port = 0
        self.proc = None
        self.lock = threading.Lock()
        self.count = 0
        self.sessions = 0     # sessions ended (the counter's sess=), our own probe included
        self.first_at = None  # epoch time the first message's dot arrived
        self.last_at = None   # ... and the latest one's
        self.reader = None

    def start(self):
        if not os.access(SMTP_SINK, os.X_OK):
            raise RuntimeError(f"{SMTP_SINK} not found (package postfix; run_send_bench.sh installs it)")
        os.makedirs(self.dir)
        command = [SMTP_SINK, "-c", "-4", "-h", "sink.bench.test", "-D", self.dump]
        if os.geteuid() == 0:
            user = pwd.getpwnam(SINK_USER)
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            command += ["-u", SINK_USER]
        for _ in range(3):  # free_port() cannot reserve: retry if taken meanwhile
            self.port = free_port()
            with open(os.path.join(self.dir, "smtp-sink.log"), "ab") as log:
                self.proc = subprocess.Popen(command + [f"127.0.0.1:{self.port}", "256"], stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=log)
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()
            try:
                wait_for(lambda: self.proc.poll() is not None or smtp_banner(self.port).startswith("220"), 10,
                         "smtp-sink to greet")
            except RuntimeError:
                self.stop()
                raise
            if self.proc.poll() is None:
                return self
        raise RuntimeError(f"smtp-sink did not start: {self.log_text()[-1000:]}")

    def _read(self):
        pending = b""
        fd = self.proc.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.time()
            pending += chunk
            *records, pending = re.split(rb"[\r\n]", pending)
            for record in records:
                m = re.search(rb"mesg=(\d+)", record)
                if not m:
                    continue
                n = int(m.group(1))
                sessions = re.search(rb"sess=(\d+)", record)
                with self.lock:
                    if sessions:
                        self.sessions = max(self.sessions, int(sessions.group(1)))
                    if n > self.count:
                        self.count = n
                        self.last_at = now
                        if self.first_at is None:
                            self.first_at = now

    def server_sessions(self):
        """Connections the server opened that have ended by now (smtp-sink
        counts a session when it ends), without the start-up probe."""
        with self.lock:
            return max(self.sessions - 1, 0)

    def open_connections(self):
        """Established TCP connections to the sink's port (from /proc/net/tcp)."""
        local = f":{self.port:04X}"
        with open("/proc/net/tcp") as f:
            next(f)
            return sum(1 for line in f if line.split()[1].endswith(local) and line.split()[3] == "01")

    def sessions_when_idle(self, timeout=10):
        """server_sessions() once the server has closed its connections (Postfix
        keeps one in its cache for smtp_connection_cache_time_limit, 2 s), or
        after `timeout` seconds with what has ended by then."""
        try:
            wait_for(lambda: self.open_connections() == 0, timeout, "the server to close its connections to the sink",
                     interval=0.1)
            time.sleep(0.2)  # the counter line of the last session end is read by another thread
        except RuntimeError:
            pass
        return self.server_sessions()

    def received(self):
        with self.lock:
            return self.count

    def wait(self, expected, timeout, stall):
        """Waits until `expected` messages have arrived, `timeout` seconds
        pass, or nothing arrives for `stall` seconds. Returns the count."""
        deadline = time.monotonic() + timeout
        seen, since = self.received(), time.monotonic()
        while True:
            n = self.received()
            now = time.monotonic()
            if n >= expected or now >= deadline or now - since >= stall:
                return n
            if n != seen:
                seen, since = n, now
            time.sleep(0.02)

    def message_ids(self, run_id):
        """(indices of this run's messages in the dump, in arrival order;
        transactions in the dump). The generator's Message-IDs are
        <RUN_ID.INDEX@client.example>."""
        pattern = re.compile(rb"^Message-ID: <" + re.escape(run_id.encode()) + rb"\.(\d+)@", re.I | re.M)
        try:
            with open(self.dump, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return [], 0
        return [int(m.group(1)) for m in pattern.finditer(data)], len(re.findall(rb"^X-Mail-Args:", data, re.M))

    def log_text(self):
        try:
            with open(os.path.join(self.dir, "smtp-sink.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.reader is not None:
            self.reader.join(5)
        self.proc.stdout.close()
        self.proc = None


def sink_check(result, sink, rcpts_per_message=1):
    """Adds what the sink received to the generator's `result`: sink_* counts,
    duplicates and missing by Message-ID, and the end-to-end time from the
    generator's first connect to the last message at the sink."""
    indices, transactions = sink.message_ids(result["run_id"])
    unique = set(indices)
    accepted = result["messages"]
    missing = accepted - len(unique)
    result.update({
        "sink_received": sink.received(),
        "sink_transactions": transactions,
        "sink_unique": len(unique),
        "sink_duplicates": len(indices) - len(unique),
        "sink_missing": max(missing, 0),
    })
    if result["failures"] == 0 and result["not_sent"] == 0:
        gaps = sorted(set(range(result["requested"])) - unique)
        if gaps:
            result["sink_missing_first"] = gaps[:10]
    last = sink.last_at
    if last is not None and unique:
        e2e = max(last - result["started_at"], result["seconds"])
        result.update({
            "e2e_seconds": round(e2e, 3),
            "e2e_msgs_per_sec": round(len(unique) / e2e, 1),
            # how long after the last 250 the last message reached the sink
            "drain_seconds": round(max(last - result["finished_at"], 0), 3),
            "first_at_sink_seconds": round(sink.first_at - result["started_at"], 3),
        })
    if result["sink_duplicates"]:
        result["errors"].append(f"the sink got {result['sink_duplicates']} duplicate messages")
    if missing > 0:
        result["errors"].append(f"{missing} of {accepted} accepted messages never reached the sink")
    if transactions != len(indices):
        result["errors"].append(f"the sink got {transactions} transactions, {len(indices)} of this run")
    return result["sink_duplicates"] == 0 and missing <= 0 and transactions == len(indices)


def process_cpu(pid_roots):
    """CPU seconds (user + system) of every process under `pid_roots`, by
    command name. A process's reaped children (cutime + cstime: Postfix's
    daemons exit after max_use clients, PostgreSQL's backends with their
    sessions) count under "<parent> (exited children)"."""
    tick = os.sysconf("SC_CLK_TCK")
    by_pid, seen = {}, set()
    for root in pid_roots:
        for pid in descendants(root):
            if pid in seen:
                continue
            seen.add(pid)
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(") ", 1)[1].split()
            # fields[11..14]: utime stime cutime cstime (stat fields 14-17)
            own = (int(fields[11]) + int(fields[12])) / tick
            reaped = (int(fields[13]) + int(fields[14])) / tick
            by_pid[pid] = (comm, own, reaped)
    return by_pid


def cpu_used(before, after):
    """CPU seconds between two process_cpu() snapshots, by command name, and
    the total. A process gone by `after` leaves its time in its parent's
    reaped figure; a process new in `after` counts from zero."""
    groups = {}
    for pid, (comm, own, reaped) in after.items():
        _, own0, reaped0 = before.get(pid, (comm, 0.0, 0.0))
        groups[comm] = groups.get(comm, 0.0) + own - own0
        if reaped - reaped0 > 0:
            key = f"{comm} (exited children)"
            groups[key] = groups.get(key, 0.0) + reaped - reaped0
    for pid, (comm, own, _) in before.items():
        if pid not in after:  # its whole time is in a parent's reaped figure
            groups[comm] = groups.get(comm, 0.0) - own
    groups = {k: round(v, 2) for k, v in sorted(groups.items(), key=lambda kv: -kv[1]) if abs(v) >= 0.005}
    return {"total": round(sum(groups.values()), 2), "by_process": groups}


def run_send_load(port, args, label):
    """smtp_load.py with remote recipients user1..user10@remote.example."""
    return run_load(port, args, label, domain=SEND_DOMAIN, users=SEND_USERS, user_prefix=SEND_USER_PREFIX)


def send_common_options(description):
    p = common_options(description)
    p.add_argument("--delivery-timeout", type=float, default=300,
                   help="how long to wait for the sink after the last 250 (default 300)")
    p.add_argument("--stall-seconds", type=float, default=60,
                   help="stop waiting when nothing reaches the sink for this long (default 60)")
    return p
