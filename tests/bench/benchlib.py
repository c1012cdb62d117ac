"""Helpers shared by the benchmark peers (pillarbox_peer.py,
peer_postfix_dovecot.py): free ports, waiting with a deadline, the process
tree of a server we started, running smtp_load.py as a separate process, and
the command-line options every peer takes. Standard library only."""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
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


def run_load(port, args, label):
    """Runs smtp_load.py in its own process (so its CPU is its own) and returns
    its JSON result. The generator's exit status only says whether every
    message got its 250; the result carries the counts either way."""
    command = [sys.executable, LOAD, "--port", str(port), "--messages", str(args.messages),
               "--sessions", str(args.sessions), "--max-seconds", str(args.max_seconds),
               "--size", str(args.size), "--rcpts-per-message", str(args.rcpts_per_message),
               "--domain", BENCH_DOMAIN, "--users", str(len(BENCH_USERS)), "--label", label]
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
