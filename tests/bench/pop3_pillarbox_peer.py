#!/usr/bin/env python3
"""The Pillarbox side of the POP3 benchmark: a pillarboxd on a fresh temporary
data directory (embedded PostgreSQL, children smtpd and pop3d only, SMTP and
POP3 on free loopback ports), the domain bench.test and one account per client
(bench1..benchC) created with the `pillarbox` CLI, the benchmark's messages
delivered through smtpd and counted in the INBOXes with psql (none of that is
timed), then pop3_load.py against pop3d. Prints one JSON line (the
generator's figures plus seed_*), stops the server and removes the directory.
Root is not needed (as root the children and PostgreSQL run as `pillarbox`).

    tests/bench/pop3_pillarbox_peer.py --messages 1000 --clients 20
    tests/bench/pop3_pillarbox_peer.py --serve --keep      # manual poking
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import pillarbox_peer  # noqa: E402
import smtp_load  # noqa: E402

ROOT = pillarbox_peer.ROOT
SEED_SESSIONS = 4  # SMTP sessions delivering the messages before the run

# Messages and octets in each bench account's INBOX (libcore/db/migrations/0003_mail.sql).
SQL_INBOXES = """
SELECT a.name, count(mm.id), coalesce(sum(mm.size), 0)
  FROM accounts a
  JOIN mailboxes m ON m.account_id = a.id AND m.name = 'INBOX'
  LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id
 WHERE a.name ~ '^bench[0-9]+$'
 GROUP BY a.name"""


def check_installed(build_dir):
    bin_dir = os.path.join(build_dir, "bin")
    wanted = ("pillarboxd", "smtpd", "pop3d", "pillarbox")
    missing = [p for p in wanted if not os.access(os.path.join(bin_dir, p), os.X_OK)]
    if missing:
        sys.exit(f"pop3_pillarbox_peer: not built in {bin_dir}: {', '.join(missing)} "
                 f"(cmake --build {build_dir} --target {' '.join(wanted)})")


class Pillarbox(pillarbox_peer.Pillarbox):
    """pillarbox_peer's server with pop3d beside smtpd."""

    def __init__(self, build_dir, root, smtp_port, pop3_port):
        super().__init__(build_dir, root, smtp_port)
        self.pop3_port = pop3_port

    def write_config(self):
        config = {
            "data_dir": ".",
            "hostname": "mx.pillarbox.invalid",
            "listen": {"smtp": [f"127.0.0.1:{self.port}"], "pop3": [f"127.0.0.1:{self.pop3_port}"]},
            "children": {"smtpd": {"services": ["smtp"]}, "pop3d": {"services": ["pop3"]}},
        }
        with open(self.config, "w") as f:
            json.dump(config, f, indent=2)

    def start(self):
        super().start()  # returns once smtpd greets

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"pillarboxd exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            return benchlib.pop3_banner(self.pop3_port).startswith("+OK")
        benchlib.wait_for(up, 60, "pillarboxd's pop3d to answer")

    def create_accounts(self, users):
        self.cli("domain", "add", benchlib.BENCH_DOMAIN)
        for user in users:
            self.cli("account", "add", user, "--password-stdin", stdin=benchlib.POP3_PASSWORD + "\n")
        # Configuration tables notify every daemon within a second; wait until
        # smtpd routes the first and last account.
        for user in (users[0], users[-1]):
            rcpt = f"{user}@{benchlib.BENCH_DOMAIN}"
            benchlib.wait_for(lambda: benchlib.smtp_accepts(self.port, rcpt), 30, f"smtpd to accept {rcpt}",
                              interval=0.2)

    def inboxes(self):
        """{account: (messages, octets)} of the bench accounts' INBOXes."""
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", " ", "-v", "ON_ERROR_STOP=1",
                              "-h", os.path.join(self.root, "run"), "-U", "pillarbox", "-d", "pillarbox",
                              "-c", SQL_INBOXES], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        rows = (line.split() for line in out.stdout.splitlines() if line.strip())
        return {name: (int(count), int(octets)) for name, count, octets in rows}


def deliver(port, mail):
    """Sends every message of `mail` ({user: [raw, ...]}) through smtpd over
    SEED_SESSIONS sessions. Raises on the first refusal."""
    work = [(user, raw) for user, texts in mail.items() for raw in texts]
    lock = threading.Lock()
    errors = []

    def worker(number):
        session = None
        try:
            session = smtp_load.SmtpSession("127.0.0.1", port, 60, f"seed{number}.client.example")
            pipelining = "PIPELINING" in session.extensions
            while not errors:
                with lock:
                    if not work:
                        return
                    user, raw = work.pop(0)
                wire = raw.replace(b"\r\n.", b"\r\n..")
                wire = (b"." + wire if wire.startswith(b".") else wire) + b".\r\n"
                ok, error, _, _ = smtp_load.send_message(session, "load@client.example",
                                                         [f"{user}@{benchlib.BENCH_DOMAIN}"], wire, len(raw),
                                                         pipelining)
                if not ok:
                    with lock:
                        errors.append(f"seeding {user}: {error}")
        except (OSError, smtp_load.SmtpError) as e:
            with lock:
                errors.append(f"seeding: {type(e).__name__}: {e}")
        finally:
            if session is not None:
                session.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, SEED_SESSIONS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("; ".join(errors[:3]))


def seed(server, args):
    """Accounts and messages; returns {user: expected message count} after
    checking the INBOXes with psql."""
    mail = benchlib.pop3_messages(args.messages, args.clients, args.size)
    users = list(mail)
    server.create_accounts(users)
    before = server.inboxes()
    if any(count for count, _ in before.values()):
        raise RuntimeError(f"bench INBOXes are not empty before seeding: {before}")
    t0 = time.monotonic()
    deliver(server.port, mail)
    inboxes = server.inboxes()
    wrong = [f"{u}: {inboxes.get(u, (0, 0))[0]} of {len(mail[u])}" for u in users
             if inboxes.get(u, (0, 0))[0] != len(mail[u])]
    if wrong:
        raise RuntimeError("psql: INBOXes do not hold the delivered messages: " + ", ".join(wrong[:5]))
    print(f"pop3_pillarbox_peer: seeded {args.messages} messages into {len(users)} INBOXes in "
          f"{time.monotonic() - t0:.1f} s (psql: counts match)", file=sys.stderr)
    # pop3d sees the accounts (its logins read the store) and the messages.
    for user in (users[0], users[-1]):
        expected = (len(mail[user]), inboxes[user][1])
        benchlib.wait_for(lambda: benchlib.pop3_stat(server.pop3_port, user, benchlib.POP3_PASSWORD) == expected,
                          30, f"pop3d to list {user}'s {expected[0]} messages", interval=0.2)
    return {u: len(mail[u]) for u in users}, sum(octets for _, octets in inboxes.values())


def main():
    p = benchlib.pop3_common_options("Pillarbox pop3d benchmark peer")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    args = p.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    check_installed(build_dir)
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-pop3-pbx-", dir="/tmp")
    os.chmod(root, 0o755)  # as root, the children and PostgreSQL run as `pillarbox`
    server = Pillarbox(build_dir, root, benchlib.free_port(), benchlib.free_port())
    status = 1
    try:
        server.start()
        expected, octets = seed(server, args)
        if args.serve:
            benchlib.serve_pop3_until_interrupted(server.pop3_port, f", psql -h {root}/run -U pillarbox pillarbox")
            return 0
        result = benchlib.run_pop3_load(server.pop3_port, args, "Pillarbox", expected)
        result.update({"seed_messages": sum(expected.values()), "seed_octets": octets,
                       "seed_check": "psql: INBOX counts match", "password_scheme": "argon2id"})
        print(json.dumps(result), flush=True)
        status = 0 if result["ok"] else 1
    except KeyboardInterrupt:
        print("pop3_pillarbox_peer: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired, OSError, smtp_load.SmtpError) as e:
        print(f"pop3_pillarbox_peer: {e}", file=sys.stderr)
        log = server.log_text()
        if log:
            print("--- pillarboxd.log (last lines)\n" + "\n".join(log.splitlines()[-30:]), file=sys.stderr)
    finally:
        server.stop()
        if args.keep:
            print(f"pop3_pillarbox_peer: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
