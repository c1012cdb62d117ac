#!/usr/bin/env python3
"""The Pillarbox side of the IMAP benchmark: a pillarboxd on a fresh temporary
data directory (embedded PostgreSQL, children smtpd and imapd only, SMTP and
IMAP on free loopback ports), the domain bench.test and accounts
bench1..benchN created with the `pillarbox` CLI, the connection limits raised
(connections.max, connections.max_per_address,
imap.max_connections_per_account), the messages delivered through smtpd and
counted in the INBOXes with psql (none of that is timed), then either
imap_load.py (--mode load) or imap_idle_memory.py (--mode idle) against
imapd. Prints one JSON line, stops the server and removes the directory.
Root is not needed (as root the children and PostgreSQL run as `pillarbox`).

    tests/bench/imap_pillarbox_peer.py --clients 10 --cycles 20
    tests/bench/imap_pillarbox_peer.py --mode idle --idle-counts 1000,10000
    tests/bench/imap_pillarbox_peer.py --serve --keep      # manual poking
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import pillarbox_peer  # noqa: E402
import pop3_pillarbox_peer  # noqa: E402
import smtp_load  # noqa: E402

ROOT = pillarbox_peer.ROOT
DEFAULT_PER_ADDRESS = 50  # connections.max_per_address when unset (libcore/directory/directory.hpp)


def check_installed(build_dir):
    bin_dir = os.path.join(build_dir, "bin")
    wanted = ("pillarboxd", "smtpd", "imapd", "pillarbox")
    missing = [p for p in wanted if not os.access(os.path.join(bin_dir, p), os.X_OK)]
    if missing:
        sys.exit(f"imap_pillarbox_peer: not built in {bin_dir}: {', '.join(missing)} "
                 f"(cmake --build {build_dir} --target {' '.join(wanted)})")


class Pillarbox(pop3_pillarbox_peer.Pillarbox):
    """The POP3 peer's server (accounts, psql INBOX counts) with imapd
    instead of pop3d."""

    def __init__(self, build_dir, root, smtp_port, imap_port):
        pillarbox_peer.Pillarbox.__init__(self, build_dir, root, smtp_port)
        self.imap_port = imap_port

    def write_config(self):
        config = {
            "data_dir": ".",
            "hostname": "mx.pillarbox.invalid",
            "listen": {"smtp": [f"127.0.0.1:{self.port}"], "imap": [f"127.0.0.1:{self.imap_port}"]},
            "children": {"smtpd": {"services": ["smtp"]}, "imapd": {"services": ["imap"]}},
        }
        with open(self.config, "w") as f:
            json.dump(config, f, indent=2)

    def start(self):
        pillarbox_peer.Pillarbox.start(self)  # returns once smtpd greets

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"pillarboxd exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            return benchlib.imap_banner(self.imap_port).startswith("* OK")
        benchlib.wait_for(up, 60, "pillarboxd's imapd to answer")

    def raise_limits(self):
        """Connection limits for 10,000 sessions from one address, over 100
        accounts; read by imapd at each accept once the directory reloads."""
        for key, value in (("connections.max", benchlib.IMAP_MAX_CONNECTIONS),
                           ("connections.max_per_address", benchlib.IMAP_MAX_CONNECTIONS),
                           ("imap.max_connections_per_account", benchlib.IMAP_MAX_PER_ACCOUNT)):
            self.cli("setting", "set", key, str(value))
        benchlib.wait_for(lambda: self.greets_beyond_default(), 30,
                          f"imapd to take more than {DEFAULT_PER_ADDRESS} connections from 127.0.0.1", interval=0.3)

    def greets_beyond_default(self):
        socks = []
        try:
            for _ in range(DEFAULT_PER_ADDRESS + 1):
                socks.append(socket.create_connection(("127.0.0.1", self.imap_port), timeout=5))
            return all(s.makefile("rb").readline().startswith(b"* OK") for s in socks)
        except OSError:
            return False
        finally:
            for s in socks:
                s.close()

    def pids(self):
        """The roots of the server's process trees: pillarboxd and the
        postmaster (which pg_ctl may have detached from pillarboxd)."""
        pg = benchlib.read_pid(os.path.join(self.root, "pg", "postmaster.pid"))
        return [self.proc.pid] + ([pg] if pg else [])


def seed(server, accounts, per_account, size):
    """Accounts and messages; returns the messages per INBOX after checking
    every INBOX with psql and the first and last with imapd."""
    mail = benchlib.pop3_messages(accounts * per_account, accounts, size)
    users = list(mail)
    server.create_accounts(users)
    server.raise_limits()
    t0 = time.monotonic()
    pop3_pillarbox_peer.deliver(server.port, mail)
    inboxes = server.inboxes()
    wrong = [f"{u}: {inboxes.get(u, (0, 0))[0]} of {len(mail[u])}" for u in users
             if inboxes.get(u, (0, 0))[0] != len(mail[u])]
    if wrong:
        raise RuntimeError("psql: INBOXes do not hold the delivered messages: " + ", ".join(wrong[:5]))
    print(f"imap_pillarbox_peer: seeded {accounts * per_account} messages into {accounts} INBOXes in "
          f"{time.monotonic() - t0:.1f} s (psql: counts match)", file=sys.stderr)
    for user in (users[0], users[-1]):
        benchlib.wait_for(lambda: benchlib.imap_exists(server.imap_port, user, benchlib.POP3_PASSWORD) == per_account,
                          30, f"imapd to show {user}'s {per_account} messages", interval=0.2)
    return per_account


def main():
    p = benchlib.imap_common_options("Pillarbox imapd benchmark peer")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    args = p.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    check_installed(build_dir)
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-imap-pbx-", dir="/tmp")
    os.chmod(root, 0o755)  # as root, the children and PostgreSQL run as `pillarbox`
    server = Pillarbox(build_dir, root, benchlib.free_port(), benchlib.free_port())
    status = 1
    try:
        server.start()
        accounts, per_account = benchlib.imap_accounts(args)
        expected = seed(server, accounts, per_account, args.size)
        if args.serve:
            benchlib.serve_imap_until_interrupted(server.imap_port, f", psql -h {root}/run -U pillarbox pillarbox")
            return 0
        if args.mode == "load":
            result = benchlib.run_imap_load(server.imap_port, args, "Pillarbox", expected)
        else:
            result = benchlib.run_imap_idle(server.imap_port, args, "Pillarbox", server.pids())
        result.update({"mode": args.mode, "seed_messages": accounts * expected,
                       "seed_check": "psql: INBOX counts match", "password_scheme": "argon2id"})
        print(json.dumps(result), flush=True)
        status = 0 if result["ok"] else 1
    except KeyboardInterrupt:
        print("imap_pillarbox_peer: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired, OSError, smtp_load.SmtpError) as e:
        print(f"imap_pillarbox_peer: {e}", file=sys.stderr)
        log = server.log_text()
        if log:
            print("--- pillarboxd.log (last lines)\n" + "\n".join(log.splitlines()[-30:]), file=sys.stderr)
    finally:
        if status != 0:
            log = server.log_text()
            errors = [line for line in log.splitlines() if "imapd" in line and
                      any(w in line.lower() for w in ("error", "warning", "fail"))]
            if errors:
                print("--- pillarboxd.log (imapd warnings/errors)\n" + "\n".join(errors[-20:]), file=sys.stderr)
        server.stop()
        if args.keep:
            print(f"imap_pillarbox_peer: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
