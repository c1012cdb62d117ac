#!/usr/bin/env python3
"""The Pillarbox side of the benchmark: a pillarboxd on a fresh temporary data
directory (embedded PostgreSQL, only the smtpd child, SMTP on a free loopback
port), the domain bench.test and accounts bench1..bench10 created with the
`pillarbox` CLI, then smtp_load.py against smtpd. smtpd replies 250 only after
the transaction holding the message has committed, so accepted is end-to-end;
right after the last 250 the stored rows are counted with psql to check that.
Prints one JSON line (the generator's figures plus db_*), stops the server and
removes the directory. Root is not needed (as root the children and
PostgreSQL run as the `pillarbox` user, see packaging/ensure-user.sh).

    tests/bench/pillarbox_peer.py --messages 2000 --sessions 10
    tests/bench/pillarbox_peer.py --serve                # manual poking
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(benchlib.HERE))
PASSWORD = "bench-password-1"

# Messages filed in the bench accounts' INBOXes (libcore/db/migrations/0003_mail.sql).
SQL_STORED = """
SELECT count(*)
  FROM mailbox_messages mm
  JOIN mailboxes m ON m.id = mm.mailbox_id
  JOIN accounts a ON a.id = m.account_id
 WHERE m.name = 'INBOX' AND a.name ~ '^bench[0-9]+$'"""
# Bodies of this run (each stored once, content-addressed), by Message-ID.
SQL_BODIES = "SELECT count(*) FROM bodies WHERE position('{run_id}.' IN message_id) > 0"


def check_installed(build_dir, programs=("pillarboxd", "smtpd", "pillarbox")):
    bin_dir = os.path.join(build_dir, "bin")
    missing = [p for p in programs if not os.access(os.path.join(bin_dir, p), os.X_OK)]
    if missing:
        sys.exit(f"pillarbox_peer: not built in {bin_dir}: {', '.join(missing)} "
                 f"(cmake --build {build_dir} --target {' '.join(programs)})")


class Pillarbox:
    """`children`: the daemons the master runs; smtpd gets the SMTP port, the
    others (senderd for the sending benchmark) no listener."""

    def __init__(self, build_dir, root, port, children=("smtpd",)):
        self.bin = os.path.join(build_dir, "bin")
        self.root = root
        self.port = port
        self.children = children
        self.config = os.path.join(root, "pillarbox.conf")
        self.log_path = os.path.join(root, "pillarboxd.log")
        self.proc = None

    def write_config(self):
        config = {
            "data_dir": ".",
            "hostname": "mx.pillarbox.invalid",
            "listen": {"smtp": [f"127.0.0.1:{self.port}"]},
            # smtpd only unless asked; the master finds them next to pillarboxd.
            "children": {name: {"services": ["smtp"] if name == "smtpd" else []} for name in self.children},
        }
        with open(self.config, "w") as f:
            json.dump(config, f, indent=2)

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def start(self):
        self.write_config()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([os.path.join(self.bin, "pillarboxd"), "--config", self.config],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        # Ready when smtpd itself greets: the master binds the port before it
        # starts smtpd, so a connection may be accepted by the kernel earlier.
        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"pillarboxd exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            return benchlib.smtp_banner(self.port).startswith("220")
        benchlib.wait_for(up, 120, "pillarboxd's smtpd to answer")

    def cli(self, *args, stdin=None):
        out = subprocess.run([os.path.join(self.bin, "pillarbox"), "--config", self.config, *args],
                             input=stdin, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"pillarbox {' '.join(args)} failed (exit {out.returncode}): "
                               f"{(out.stderr or out.stdout).strip()}")
        return out.stdout

    def create_users(self):
        self.cli("domain", "add", benchlib.BENCH_DOMAIN)
        for user in benchlib.BENCH_USERS:
            self.cli("account", "add", user, "--password-stdin", stdin=PASSWORD + "\n")
        # Configuration tables notify every daemon within a second; wait until
        # smtpd routes the first and last account before the clock starts.
        for user in (benchlib.BENCH_USERS[0], benchlib.BENCH_USERS[-1]):
            rcpt = f"{user}@{benchlib.BENCH_DOMAIN}"
            benchlib.wait_for(lambda: benchlib.smtp_accepts(self.port, rcpt), 30, f"smtpd to accept {rcpt}",
                              interval=0.2)

    def psql(self, sql):
        """The single number a query returns."""
        return int(self.psql_text(sql).strip())

    def psql_text(self, sql):
        """A query's rows, one a line, columns separated by '|'."""
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                              "-h", os.path.join(self.root, "run"), "-U", "pillarbox", "-d", "pillarbox",
                              "-c", sql], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        return out.stdout

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            pids = benchlib.descendants(self.proc.pid)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                print("pillarbox_peer: pillarboxd did not stop in 60 s, killing it", file=sys.stderr)
                self.proc.kill()
                self.proc.wait()
            benchlib.wait_gone(pids, 20, "pillarboxd's children")
        # An embedded PostgreSQL must not outlive a master that failed.
        pg = benchlib.read_pid(os.path.join(self.root, "pg", "postmaster.pid"))
        if pg and benchlib.pid_alive(pg):
            os.kill(pg, signal.SIGQUIT)
            benchlib.wait_gone([pg], 20, "postgres")
        self.proc = None


def db_check(server, result, before, rcpts_per_message):
    """Adds the stored-row counts (taken right after the last 250) to `result`."""
    run_id = result["run_id"]
    if not re.fullmatch(r"[0-9a-f]+", run_id):
        raise RuntimeError(f"unexpected run id {run_id!r}")
    try:
        stored = server.psql(SQL_STORED) - before
        bodies = server.psql(SQL_BODIES.format(run_id=run_id))
    except RuntimeError as e:
        result["errors"].append(f"database check failed: {e}")
        result["db_ok"] = False
        return
    expected = result["messages"] * rcpts_per_message
    result.update({"db_mailbox_messages": stored, "db_bodies": bodies,
                   "db_ok": stored == expected and bodies == result["messages"]})
    if not result["db_ok"]:
        result["errors"].append(f"database holds {stored} mailbox entries and {bodies} bodies for "
                                f"{result['messages']} accepted messages ({expected} deliveries)")


def main():
    p = benchlib.common_options("Pillarbox smtpd benchmark peer")
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    args = p.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    check_installed(build_dir)
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-pbx-", dir="/tmp")
    os.chmod(root, 0o755)  # as root, the children and PostgreSQL run as `pillarbox`
    server = Pillarbox(build_dir, root, benchlib.free_port())
    status = 1
    try:
        server.start()
        server.create_users()
        if args.serve:
            benchlib.serve_until_interrupted(server.port, f", psql -h {root}/run -U pillarbox pillarbox")
            return 0
        before = server.psql(SQL_STORED)  # e.g. welcome messages filed by `account add`
        result = benchlib.run_load(server.port, args, "Pillarbox")
        db_check(server, result, before, args.rcpts_per_message)
        # 250 is given after commit: accepted and end-to-end are one figure.
        result.update({"delivered": result.get("db_mailbox_messages"), "e2e_seconds": result["seconds"],
                       "e2e_msgs_per_sec": result["msgs_per_sec"]})
        print(json.dumps(result), flush=True)
        status = 0 if result["messages"] == args.messages and result["db_ok"] else 1
    except KeyboardInterrupt:
        print("pillarbox_peer: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"pillarbox_peer: {e}", file=sys.stderr)
        log = server.log_text()
        if log:
            print("--- pillarboxd.log (last lines)\n" + "\n".join(log.splitlines()[-30:]), file=sys.stderr)
    finally:
        server.stop()
        if args.keep:
            print(f"pillarbox_peer: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
