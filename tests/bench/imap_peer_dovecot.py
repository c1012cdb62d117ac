#!/usr/bin/env python3
"""The comparison peer of the IMAP benchmark: a private Dovecot serving IMAP
on a free loopback port from maildirs in a fresh temporary directory, with its
own configuration, base_dir and state_dir (nothing in /etc is read or changed,
the system service is not touched). The maildirs get the same message texts
as Pillarbox's INBOXes, written and indexed as the POP3 peer does
(pop3_peer_dovecot.py: new/, LF line ends, doveadm force-resync, doveadm
mailbox status checked); none of that is timed. Then imap_load.py (--mode
load) or imap_idle_memory.py (--mode idle) runs against it. Prints one JSON
line, stops Dovecot and removes everything. Needs root and the Debian
packages dovecot-core, dovecot-imapd.

    sudo tests/bench/imap_peer_dovecot.py --clients 10 --cycles 20
    sudo tests/bench/imap_peer_dovecot.py --mode idle --idle-counts 1000,10000
    sudo tests/bench/imap_peer_dovecot.py --serve --keep     # manual poking
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import pop3_peer_dovecot  # noqa: E402

DOVECOT_IMAP = "/usr/lib/dovecot/imap"

# Beside the POP3 peer's set-up only limits are raised, so that 10,000
# sessions (one `imap` process each, Dovecot's default) fit: process and
# client limits, and logins per user and address (default 10).
DOVECOT_CONF = """\
# Private Dovecot for the Pillarbox IMAP benchmark: IMAP only, maildirs under
# {root}/mail. Everything not set here is Dovecot's default.
instance_name = pbx-bench-imap-{tag}
base_dir = {root}/dovecot/run
state_dir = {root}/dovecot/state
log_path = {root}/dovecot/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = {root}/dovecot/users
}}
userdb {{
  driver = passwd-file
  args = {root}/dovecot/users
}}
default_client_limit = {clients}
default_vsz_limit = 1G
mail_max_userip_connections = {per_account}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  process_limit = 1000
}}
service imap {{
  process_limit = {clients}
}}
"""


def check_installed():
    missing = [p for p in (pop3_peer_dovecot.DOVECOT, pop3_peer_dovecot.DOVEADM, DOVECOT_IMAP)
               if not os.path.exists(p)]
    if missing:
        sys.exit("imap_peer_dovecot: not installed: " + ", ".join(missing) +
                 " (packages dovecot-core, dovecot-imapd; run_imap_bench.sh installs them)")


class Dovecot(pop3_peer_dovecot.Dovecot):
    """The POP3 peer's Dovecot (maildir filling, doveadm, stop) serving IMAP."""

    def write_config(self, users, password_field):
        super().write_config(users, password_field)
        with open(self.conf, "w") as f:
            f.write(DOVECOT_CONF.format(root=self.root, tag=os.path.basename(self.root), port=self.port,
                                        clients=benchlib.IMAP_MAX_CONNECTIONS,
                                        per_account=benchlib.IMAP_MAX_PER_ACCOUNT))

    def start(self):
        pop3_peer_dovecot.run([pop3_peer_dovecot.DOVECOT, "-c", self.conf], "dovecot start",
                              os.path.join(self.dir, "start.log"))
        pid_file = os.path.join(self.dir, "run", "master.pid")
        self.pid = benchlib.wait_for(lambda: benchlib.read_pid(pid_file), 20, "Dovecot's master.pid")
        benchlib.wait_for(lambda: benchlib.imap_banner(self.port).startswith("* OK"), 20, "Dovecot's IMAP greeting")


def seed(dovecot, accounts, per_account, size):
    """Maildirs filled and indexed by the POP3 peer's seeding (which checks
    doveadm's count and size of every INBOX); then the first and last INBOX
    are checked over IMAP."""
    counts, _ = pop3_peer_dovecot.seed(dovecot, argparse.Namespace(messages=accounts * per_account,
                                                                   clients=accounts, size=size))
    for user in (benchlib.pop3_users(accounts)[0], benchlib.pop3_users(accounts)[-1]):
        got = benchlib.imap_exists(dovecot.port, user, benchlib.POP3_PASSWORD)
        if got != counts[user]:
            raise RuntimeError(f"IMAP: {user}'s INBOX shows {got} messages, {counts[user]} were seeded")
    return per_account


def main():
    p = benchlib.imap_common_options("Dovecot IMAP benchmark peer")
    p.add_argument("--password-scheme", choices=("argon2id", "plain"), default="argon2id",
                   help="passdb scheme: argon2id with Pillarbox's parameters (default) or PLAIN")
    args = p.parse_args()
    check_installed()
    benchlib.require_root("imap_peer_dovecot")
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-imap-dc-", dir="/tmp")
    os.chmod(root, 0o755)  # nobody must reach its maildirs
    dovecot = Dovecot(root, benchlib.free_port())
    status = 1
    try:
        if args.password_scheme == "argon2id":
            password_field = "{ARGON2ID}" + pop3_peer_dovecot.argon2id_hash(benchlib.POP3_PASSWORD)
        else:
            password_field = "{PLAIN}" + benchlib.POP3_PASSWORD
        accounts, per_account = benchlib.imap_accounts(args)
        dovecot.write_config(benchlib.pop3_users(accounts), password_field)
        dovecot.start()
        expected = seed(dovecot, accounts, per_account, args.size)
        if args.serve:
            benchlib.serve_imap_until_interrupted(dovecot.port, f", maildirs in {root}/mail")
            return 0
        if args.mode == "load":
            result = benchlib.run_imap_load(dovecot.port, args, "Dovecot", expected)
        else:
            result = benchlib.run_imap_idle(dovecot.port, args, "Dovecot", [dovecot.pid])
        result.update({"mode": args.mode, "seed_messages": accounts * expected,
                       "seed_check": "doveadm: INBOX counts and sizes match",
                       "password_scheme": args.password_scheme})
        print(json.dumps(result), flush=True)
        status = 0 if result["ok"] else 1
    except KeyboardInterrupt:
        print("imap_peer_dovecot: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        print(f"imap_peer_dovecot: {e}", file=sys.stderr)
    finally:
        if status != 0:
            path = os.path.join(root, "dovecot", "dovecot.log")
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    print("--- dovecot.log (last lines)\n" + "".join(f.readlines()[-20:]), file=sys.stderr)
        dovecot.stop()
        if args.keep:
            print(f"imap_peer_dovecot: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
