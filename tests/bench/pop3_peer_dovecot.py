#!/usr/bin/env python3
"""The comparison peer of the POP3 benchmark: a private Dovecot serving POP3
on a free loopback port from maildirs in a fresh temporary directory, with its
own configuration, base_dir and state_dir (nothing in /etc is read or changed,
the system service is not touched). The maildirs of bench1..benchC get the
same message texts as Pillarbox's INBOXes, written the way Dovecot's own
delivery writes them (LF line ends, ",S=size,W=virtual size" in the file
name, in new/), then Dovecot indexes them (doveadm force-resync) and reports
their count and size (doveadm mailbox status); none of that is timed. Then
pop3_load.py runs against it. Prints one JSON line, stops Dovecot and removes
everything. Needs root and the Debian packages dovecot-core, dovecot-pop3d.

    sudo tests/bench/pop3_peer_dovecot.py --messages 1000 --clients 20
    sudo tests/bench/pop3_peer_dovecot.py --serve --keep     # manual poking
"""

import ctypes
import ctypes.util
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(benchlib.HERE))
DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
DOVECOT_POP3 = "/usr/lib/dovecot/pop3"
# Pillarbox's password hashing parameters, so that a login costs both servers
# the same argon2id work.
PASSWORD_HPP = os.path.join(ROOT, "libcore", "auth", "password.hpp")

# Mail is stored as `nobody`: an unprivileged uid above Dovecot's
# first_valid_uid (500), and no user is created on the machine.
MAIL_USER = "nobody"

DOVECOT_CONF = """\
# Private Dovecot for the Pillarbox POP3 benchmark: POP3 only, maildirs under
# {root}/mail. Everything not set here is Dovecot's default.
instance_name = pbx-bench-pop3-{tag}
base_dir = {root}/dovecot/run
state_dir = {root}/dovecot/state
log_path = {root}/dovecot/dovecot.log
protocols = pop3
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
service pop3-login {{
  inet_listener pop3 {{
    port = {port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
"""


def check_installed():
    missing = [p for p in (DOVECOT, DOVEADM, DOVECOT_POP3) if not os.path.exists(p)]
    if missing:
        sys.exit("pop3_peer_dovecot: not installed: " + ", ".join(missing) +
                 " (packages dovecot-core, dovecot-pop3d; run_pop3_bench.sh installs them)")


def argon2id_hash(password):
    """`password` hashed with argon2id and Pillarbox's parameters (read from
    libcore/auth/password.hpp), through libargon2 — the library pillarbox
    links — as the encoded string Dovecot's {ARGON2ID} scheme verifies."""
    with open(PASSWORD_HPP) as f:
        text = f.read()
    params = {}
    for name in ("kMemoryKiB", "kIterations", "kParallelism", "kSaltBytes", "kHashBytes"):
        m = re.search(rf"\b{name}\s*=\s*(\d+)\s*;", text)
        if not m:
            raise RuntimeError(f"{PASSWORD_HPP}: no constant {name}")
        params[name] = int(m.group(1))
    path = ctypes.util.find_library("argon2")
    if not path:
        raise RuntimeError("libargon2 not found (Debian package libargon2-1, installed with Pillarbox's dependencies)")
    lib = ctypes.CDLL(path)
    lib.argon2id_hash_encoded.restype = ctypes.c_int
    lib.argon2id_hash_encoded.argtypes = [ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p,
                                          ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                                          ctypes.c_char_p, ctypes.c_size_t]
    pwd_bytes = password.encode()
    salt = os.urandom(params["kSaltBytes"])
    out = ctypes.create_string_buffer(512)
    rc = lib.argon2id_hash_encoded(params["kIterations"], params["kMemoryKiB"], params["kParallelism"], pwd_bytes,
                                   len(pwd_bytes), salt, len(salt), params["kHashBytes"], out, len(out))
    if rc != 0:
        raise RuntimeError(f"argon2id_hash_encoded failed with {rc}")
    return out.value.decode()


def run(command, what, log_path):
    """Runs a start command. Its output goes to a file, not a pipe: the daemon
    it forks inherits the descriptors and would hold a pipe open."""
    with open(log_path, "ab") as log:
        code = subprocess.call(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if code != 0:
        with open(log_path, errors="replace") as f:
            raise RuntimeError(f"{what} failed (exit {code}): {f.read().strip()}")


class Dovecot:
    def __init__(self, root, port):
        self.root = root
        self.port = port
        self.dir = os.path.join(root, "dovecot")
        self.conf = os.path.join(self.dir, "dovecot.conf")
        self.mail = os.path.join(root, "mail")
        self.pid = 0
        self.owner = pwd.getpwnam(MAIL_USER)

    def write_config(self, users, password_field):
        os.makedirs(os.path.join(self.dir, "state"))
        os.mkdir(self.mail)
        os.chown(self.mail, self.owner.pw_uid, self.owner.pw_gid)
        with open(os.path.join(self.dir, "users"), "w") as f:
            for user in users:
                f.write(f"{user}:{password_field}:{self.owner.pw_uid}:{self.owner.pw_gid}::"
                        f"{self.mail}/{user}::\n")
        with open(self.conf, "w") as f:
            f.write(DOVECOT_CONF.format(root=self.root, tag=os.path.basename(self.root), port=self.port))

    def start(self):
        run([DOVECOT, "-c", self.conf], "dovecot start", os.path.join(self.dir, "start.log"))
        pid_file = os.path.join(self.dir, "run", "master.pid")
        self.pid = benchlib.wait_for(lambda: benchlib.read_pid(pid_file), 20, "Dovecot's master.pid")
        benchlib.wait_for(lambda: benchlib.pop3_banner(self.port).startswith("+OK"), 20, "Dovecot's POP3 greeting")

    def doveadm(self, *args):
        out = subprocess.run([DOVEADM, "-c", self.conf, *args], capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed (exit {out.returncode}): "
                               f"{(out.stderr or out.stdout).strip()}")
        return out.stdout

    def fill_maildir(self, user, texts):
        """Writes `texts` into `user`'s maildir as a delivery would: new/, LF
        line ends, the sizes in the file name. Returns the CRLF octets (what
        POP3 LIST reports)."""
        home = os.path.join(self.mail, user)
        for sub in ("", "cur", "new", "tmp"):
            path = os.path.join(home, sub)
            os.makedirs(path, mode=0o700, exist_ok=True)
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
        base = int(time.time()) - len(texts)
        octets = 0
        for n, raw in enumerate(texts):
            stored = raw.replace(b"\r\n", b"\n")
            octets += len(raw)
            # One second apart: the first sync gives UIDs in file-name order.
            name = f"{base + n}.M{n}P{os.getpid()}.pbx-bench,S={len(stored)},W={len(raw)}"
            path = os.path.join(home, "new", name)
            with open(path, "wb") as f:
                f.write(stored)
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
            os.chmod(path, 0o600)
        return octets

    def stop(self):
        if not self.pid:
            return
        pids = benchlib.descendants(self.pid)
        subprocess.call([DOVECOT, "-c", self.conf, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        benchlib.wait_gone(pids, 20, "dovecot")
        self.pid = 0


def seed(dovecot, args):
    """Maildirs filled and indexed; returns ({user: messages}, octets) after
    checking Dovecot's own count and virtual size of every INBOX."""
    mail = benchlib.pop3_messages(args.messages, args.clients, args.size)
    t0 = time.monotonic()
    wrong, total = [], 0
    for user, texts in mail.items():
        octets = dovecot.fill_maildir(user, texts)
        total += octets
        # What LMTP delivery would have done as it saved each message:
        # Dovecot's index and dovecot-uidlist know the files.
        dovecot.doveadm("force-resync", "-u", user, "INBOX")
        table = dovecot.doveadm("-f", "tab", "mailbox", "status", "-u", user, "messages vsize", "INBOX")
        lines = table.splitlines()
        got = dict(zip(lines[0].split("\t"), lines[1].split("\t"))) if len(lines) == 2 else {"output": table}
        if got.get("messages") != str(len(texts)) or got.get("vsize") != str(octets):
            wrong.append(f"{user}: {got} for {len(texts)} messages of {octets} octets")
    if wrong:
        raise RuntimeError("doveadm: maildirs do not hold the seeded messages: " + ", ".join(wrong[:5]))
    print(f"pop3_peer_dovecot: seeded {args.messages} messages into {len(mail)} maildirs in "
          f"{time.monotonic() - t0:.1f} s (doveadm: counts and sizes match)", file=sys.stderr)
    return {u: len(t) for u, t in mail.items()}, total


def main():
    p = benchlib.pop3_common_options("Dovecot POP3 benchmark peer")
    p.add_argument("--password-scheme", choices=("argon2id", "plain"), default="argon2id",
                   help="passdb scheme: argon2id with Pillarbox's parameters (default) or PLAIN")
    args = p.parse_args()
    check_installed()
    benchlib.require_root("pop3_peer_dovecot")
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-pop3-dc-", dir="/tmp")
    os.chmod(root, 0o755)  # nobody must reach its maildirs
    dovecot = Dovecot(root, benchlib.free_port())
    status = 1
    try:
        if args.password_scheme == "argon2id":
            password_field = "{ARGON2ID}" + argon2id_hash(benchlib.POP3_PASSWORD)
        else:
            password_field = "{PLAIN}" + benchlib.POP3_PASSWORD
        users = benchlib.pop3_users(args.clients)
        dovecot.write_config(users, password_field)
        dovecot.start()
        expected, octets = seed(dovecot, args)
        if args.serve:
            benchlib.serve_pop3_until_interrupted(dovecot.port, f", maildirs in {root}/mail")
            return 0
        result = benchlib.run_pop3_load(dovecot.port, args, "Dovecot", expected)
        result.update({"seed_messages": sum(expected.values()), "seed_octets": octets,
                       "seed_check": "doveadm: INBOX counts and sizes match",
                       "password_scheme": args.password_scheme})
        print(json.dumps(result), flush=True)
        status = 0 if result["ok"] else 1
    except KeyboardInterrupt:
        print("pop3_peer_dovecot: interrupted", file=sys.stderr)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        print(f"pop3_peer_dovecot: {e}", file=sys.stderr)
        path = os.path.join(root, "dovecot", "dovecot.log")
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                print("--- dovecot.log (last lines)\n" + "".join(f.readlines()[-20:]), file=sys.stderr)
    finally:
        dovecot.stop()
        if args.keep:
            print(f"pop3_peer_dovecot: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
