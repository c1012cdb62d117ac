#!/usr/bin/env python3
"""The comparison peer: a private Postfix receiving SMTP on a free loopback port
and delivering bench1..bench10@bench.test, as virtual mailboxes, through LMTP
to a private Dovecot that writes maildirs. Both run from a fresh temporary
directory with their own configuration, queue, state and sockets (nothing in
/etc is read or changed, the system services are not touched) and with their
durability settings at the defaults (Postfix fsyncs each queue file before its
250; Dovecot's mail_fsync = optimized). Runs smtp_load.py against Postfix,
then waits until every accepted message is in a maildir, prints one JSON line
(the generator's figures plus delivered/e2e_*), stops both and removes
everything. Needs root and the Debian packages postfix, dovecot-core,
dovecot-lmtpd.

    sudo tests/bench/peer_postfix_dovecot.py --messages 2000 --sessions 10
    sudo tests/bench/peer_postfix_dovecot.py --serve     # manual poking
"""

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

POSTFIX = "/usr/sbin/postfix"
DOVECOT = "/usr/sbin/dovecot"
DOVECOT_LMTP = "/usr/lib/dovecot/lmtp"

# Mail is stored as `nobody`: the peer needs an unprivileged uid above
# Dovecot's first_valid_uid (500) and must not create users on the machine.
MAIL_USER = "nobody"

# master.cf with only the services this set-up uses, none chrooted (a chroot
# would need copies of /etc files inside the temporary queue directory).
# Process limits are Postfix's defaults (default_process_limit = 100).
MASTER_CF = """\
# service type  private unpriv  chroot  wakeup  maxproc command
{listen}  inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

MAIN_CF = """\
# Private Postfix for the Pillarbox benchmark. Everything not set here is
# Postfix's default, including the queue file fsync before each 250.
compatibility_level = 3.6
queue_directory = {root}/postfix/spool
data_directory = {root}/postfix/data
maillog_file = {root}/postfix/maillog
# Postfix writes its log only below listed prefixes (default /var, /dev/stdout).
maillog_file_prefixes = {root}/postfix
myhostname = mx.peer.invalid
mydomain = peer.invalid
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
smtpd_banner = $myhostname ESMTP Postfix (benchmark peer)
biff = no
# The bench users, delivered by LMTP to the private Dovecot. Unknown
# recipients are refused at RCPT time, as Pillarbox does.
virtual_mailbox_domains = {domain}
virtual_mailbox_maps = inline:{{ {users} }}
virtual_transport = lmtp:unix:{root}/dovecot/run/lmtp
"""

DOVECOT_CONF = """\
# Private Dovecot for the Pillarbox benchmark: LMTP only, maildirs under
# {root}/mail. Everything not set here is Dovecot's default, including
# mail_fsync = optimized (each delivered message is fsynced).
instance_name = pbx-bench-{tag}
base_dir = {root}/dovecot/run
state_dir = {root}/dovecot/state
log_path = {root}/dovecot/dovecot.log
protocols = lmtp
listen = 127.0.0.1
ssl = no
# LMTP recipients arrive as bench1@bench.test; the user is "bench1".
auth_username_format = %Ln
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/dovecot/users
}}
userdb {{
  driver = passwd-file
  args = {root}/dovecot/users
}}
service lmtp {{
  # Postfix's lmtp client runs as the postfix user.
  unix_listener lmtp {{
    mode = 0666
  }}
}}
"""


def check_installed():
    missing = [p for p in (POSTFIX, DOVECOT, DOVECOT_LMTP) if not os.path.exists(p)]
    if missing:
        sys.exit("peer_postfix_dovecot: not installed: " + ", ".join(missing) +
                 " (packages postfix, dovecot-core, dovecot-lmtpd; run_smtp_bench.sh installs them)")


def run(command, what, log_path):
    """Runs a start/stop command. Its output goes to a file, not a pipe: the
    daemon it forks inherits the descriptors and would hold a pipe open."""
    with open(log_path, "ab") as log:
        code = subprocess.call(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if code != 0:
        with open(log_path, errors="replace") as f:
            raise RuntimeError(f"{what} failed (exit {code}): {f.read().strip()}")


class Dovecot:
    def __init__(self, root):
        self.root = root
        self.dir = os.path.join(root, "dovecot")
        self.conf = os.path.join(self.dir, "dovecot.conf")
        self.pid = 0

    def start(self):
        os.makedirs(os.path.join(self.dir, "state"))
        nobody = pwd.getpwnam(MAIL_USER)
        mail = os.path.join(self.root, "mail")
        os.mkdir(mail)
        os.chown(mail, nobody.pw_uid, nobody.pw_gid)
        with open(os.path.join(self.dir, "users"), "w") as f:
            for user in benchlib.BENCH_USERS:
                f.write(f"{user}:bench:{nobody.pw_uid}:{nobody.pw_gid}::{mail}/{user}::\n")
        with open(self.conf, "w") as f:
            f.write(DOVECOT_CONF.format(root=self.root, tag=os.path.basename(self.root)))
        run([DOVECOT, "-c", self.conf], "dovecot start", os.path.join(self.dir, "start.log"))
        socket_path = os.path.join(self.dir, "run", "lmtp")
        pid_file = os.path.join(self.dir, "run", "master.pid")
        self.pid = benchlib.wait_for(lambda: benchlib.read_pid(pid_file), 20, "Dovecot's master.pid")
        benchlib.wait_for(lambda: os.path.exists(socket_path), 20, "Dovecot's LMTP socket")

    def stop(self):
        if not self.pid:
            return
        pids = benchlib.descendants(self.pid)
        subprocess.call([DOVECOT, "-c", self.conf, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        benchlib.wait_gone(pids, 20, "dovecot")
        self.pid = 0


class Postfix:
    def __init__(self, root, port):
        self.root = root
        self.port = port
        self.etc = os.path.join(root, "postfix", "etc")
        self.master_pid = 0

    def main_cf(self):
        """main.cf's text (send_peer_postfix.py overrides it for relaying)."""
        users = ", ".join(f"{u}@{benchlib.BENCH_DOMAIN}=ok" for u in benchlib.BENCH_USERS)
        return MAIN_CF.format(root=self.root, domain=benchlib.BENCH_DOMAIN, users=users)

    def master_cf(self):
        return MASTER_CF.format(listen=f"127.0.0.1:{self.port}")

    def start(self):
        os.makedirs(self.etc)
        os.makedirs(os.path.join(self.root, "postfix", "spool"))
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.write(self.main_cf())
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(self.master_cf())
        # `postfix start` creates the queue and data directories with the
        # ownership and modes of the packaged postfix-files.
        run([POSTFIX, "-c", self.etc, "start"], "postfix start", os.path.join(self.root, "postfix", "start.log"))
        pid_file = os.path.join(self.root, "postfix", "spool", "pid", "master.pid")
        self.master_pid = benchlib.wait_for(lambda: benchlib.read_pid(pid_file), 20, "Postfix's master.pid")
        benchlib.wait_for(lambda: benchlib.smtp_banner(self.port).startswith("220"), 20, "Postfix's SMTP banner")

    def stop(self):
        if not self.master_pid:
            return
        pids = benchlib.descendants(self.master_pid)
        subprocess.call([POSTFIX, "-c", self.etc, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        benchlib.wait_gone(pids, 20, "postfix")
        self.master_pid = 0


def maildir_count(root):
    """Messages delivered to every bench user's maildir (new/ and cur/)."""
    total = 0
    for user in benchlib.BENCH_USERS:
        for sub in ("new", "cur"):
            try:
                total += sum(1 for e in os.scandir(os.path.join(root, "mail", user, sub)) if e.is_file())
            except FileNotFoundError:
                pass
    return total


def wait_delivered(root, expected, timeout):
    """Polls the maildirs until `expected` messages are there. Returns (count,
    epoch time the count was reached or the wait gave up)."""
    deadline = time.monotonic() + timeout
    while True:
        count = maildir_count(root)
        if count >= expected or time.monotonic() >= deadline:
            return count, time.time()
        time.sleep(0.02)


def main():
    p = benchlib.common_options("Postfix -> LMTP -> Dovecot benchmark peer")
    p.add_argument("--delivery-timeout", type=float, default=300,
                   help="how long to wait for the maildirs after the last 250 (default 300)")
    args = p.parse_args()
    check_installed()
    benchlib.require_root("peer_postfix_dovecot")
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-pf-", dir="/tmp")
    os.chmod(root, 0o755)  # the postfix user and nobody must reach their parts
    dovecot = Dovecot(root)
    postfix = Postfix(root, benchlib.free_port())
    status = 1
    try:
        dovecot.start()
        postfix.start()
        if args.serve:
            benchlib.serve_until_interrupted(postfix.port, f", maildirs in {root}/mail")
            return 0
        result = benchlib.run_load(postfix.port, args, "Postfix→Dovecot")
        expected = result["messages"] * args.rcpts_per_message
        delivered, at = wait_delivered(root, expected, args.delivery_timeout)
        e2e = max(at - result["started_at"], result["seconds"])
        result.update({
            "delivered": delivered,
            "e2e_seconds": round(e2e, 3),
            "e2e_msgs_per_sec": round(delivered / args.rcpts_per_message / e2e, 1) if e2e > 0 else None,
        })
        if delivered != expected:
            result["errors"].append(f"only {delivered} of {expected} deliveries reached the maildirs")
        print(json.dumps(result), flush=True)
        status = 0 if result["messages"] == args.messages and delivered == expected else 1
    except KeyboardInterrupt:
        print("peer_postfix_dovecot: interrupted", file=sys.stderr)
    except RuntimeError as e:
        print(f"peer_postfix_dovecot: {e}", file=sys.stderr)
        for log in ("postfix/maillog", "dovecot/dovecot.log"):
            path = os.path.join(root, log)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    print(f"--- {log} (last lines)\n" + "".join(f.readlines()[-20:]), file=sys.stderr)
    finally:
        postfix.stop()
        dovecot.stop()
        if args.keep:
            print(f"peer_postfix_dovecot: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
