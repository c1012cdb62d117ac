"""Test harness for driving a real pillarboxd: a fresh data directory, a
config naming the test child, helpers to talk to the child over its
inherited listener and to inspect processes and the database. Standard
library only. Paths come from the environment ctest sets:
PILLARBOX_BIN (pillarboxd) and PILLARBOX_TEST_CHILD (test_child)."""

import json
import re
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time


def need_env(name):
    value = os.environ.get(name)
    if not value or not os.path.exists(value):
        raise RuntimeError(f"{name} is not set to an existing file (run through ctest): {value!r}")
    return value


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port6():
    with socket.socket(socket.AF_INET6) as s:
        s.bind(("::1", 0))
        return s.getsockname()[1]


def process_uid(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    raise AssertionError(f"no Uid line for pid {pid}")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


class ChildConnection:
    """A line-based connection to test_child: greeting 'hello NAME PID'."""

    def __init__(self, port, timeout=10, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.file = self.sock.makefile("rwb")
        hello = self.readline()
        parts = hello.split()
        if len(parts) != 3 or parts[0] != "hello":
            raise AssertionError(f"unexpected greeting {hello!r}")
        self.pid = int(parts[2])

    def readline(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("connection closed by the child")
        return line.decode().rstrip("\r\n")

    def command(self, text):
        self.file.write(text.encode() + b"\r\n")
        self.file.flush()
        return self.readline()

    def send(self, text):
        self.file.write(text.encode() + b"\r\n")
        self.file.flush()

    def close(self):
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


class Master:
    """One pillarboxd on a fresh data directory, with test_child serving smtp."""

    def __init__(self, heartbeat_interval=0.2, heartbeat_timeout=2.0, shutdown_timeout=5, data_dir=None,
                 extra_listen=()):
        self.bin = need_env("PILLARBOX_BIN")
        self.child = need_env("PILLARBOX_TEST_CHILD")
        self.owns_dir = data_dir is None
        self.dir = data_dir or tempfile.mkdtemp(prefix="pbx-it-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.extra_listen = list(extra_listen)
        self.config = os.path.join(self.dir, "pillarbox.conf")
        if not os.path.exists(self.config):
            with open(self.config, "w") as f:
                f.write(self.config_text(heartbeat_interval, heartbeat_timeout, shutdown_timeout))
        self.log_path = os.path.join(self.dir, "pillarboxd.log")
        self.proc = None
        self.log_start = 0

    def config_text(self, interval, timeout, shutdown):
        return json.dumps({
            "data_dir": ".",
            "hostname": "mail.test.example",
            "listen": {"smtp": [f"127.0.0.1:{self.port}"] + self.extra_listen},
            "heartbeat": {"interval": interval, "timeout": timeout},
            "shutdown_timeout": shutdown,
            "children": {"testchild": {"program": self.child, "services": ["smtp"]}},
        }, indent=2)

    # --- lifecycle -------------------------------------------------------
    def start(self, extra_env=None, wait=True):
        env = dict(os.environ)
        env.update(extra_env or {})
        self.log_start = len(self.log_bytes())
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.bin, "--config", self.config], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        if wait:
            wait_for(lambda: self.ready() or self.exited(), 60, "pillarboxd to be ready")
            if not self.ready():
                raise AssertionError("pillarboxd exited during start-up:\n" + self.log_text())
            self.wait_serving()
        return self

    def wait_serving(self):
        self.child_pid()  # the child is up and serving

    def ready(self):
        """True once the current run has logged that it is ready."""
        return b"ready (data directory" in self.log_bytes()[self.log_start:]

    def exited(self):
        return self.proc is not None and self.proc.poll() is not None

    def stop(self, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()

    def cleanup(self):
        self.stop()
        # Whatever a failed test left behind must not outlive it.
        pg = self.postmaster_pid()
        if pg and pid_alive(pg):
            os.kill(pg, signal.SIGQUIT)
        if self.owns_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- inspection ------------------------------------------------------
    def log_bytes(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def log_text(self):
        return self.log_bytes().decode(errors="replace")

    def connect(self, timeout=10, port=None, host="127.0.0.1"):
        return ChildConnection(port or self.port, timeout, host)

    def child_pid(self):
        c = self.connect()
        try:
            return c.pid
        finally:
            c.close()

    def postmaster_pid(self):
        try:
            with open(os.path.join(self.dir, "pg", "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return 0

    def run_dir(self):
        return os.path.join(self.dir, "run")

    def conninfo(self):
        """How another node reaches this node's embedded PostgreSQL."""
        return f"host={self.run_dir()} user=pillarbox dbname=pillarbox"

    def psql(self, sql):
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.run_dir(),
                              "-U", "pillarbox", "-d", "pillarbox", "-c", sql],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise AssertionError(f"psql failed: {out.stderr}")
        return out.stdout.strip()

    def cluster_state(self):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        out = subprocess.run([os.path.join(bindir, "pg_controldata"), os.path.join(self.dir, "pg")],
                             capture_output=True, text=True)
        for line in out.stdout.splitlines():
            if line.startswith("Database cluster state:"):
                return line.split(":", 1)[1].strip()
        return out.stderr.strip()


def smtp_banner(port, host="127.0.0.1", timeout=2):
    """The first line a server on PORT sends, or None when nobody answers yet."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            return s.makefile("rb").readline().decode(errors="replace").rstrip("\r\n")
    except OSError:
        return None


def run_cli(args, config=None, stdin="", env=None):
    cli = need_env("PILLARBOX_CLI")
    argv = [cli] + (["--config", config] if config else []) + list(args)
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60, env=env)


class Server(Master):
    """pillarboxd running the real daemons (smtpd, ...) on free loopback ports.
    Programs come from the environment ctest sets (PILLARBOX_SMTPD, ...)."""

    SERVICES = {"smtpd": ["smtp", "submission", "smtps"], "pop3d": ["pop3", "pop3s"], "imapd": ["imap", "imaps"],
                "senderd": []}

    def __init__(self, daemons=("smtpd",), database=None, **kwargs):
        self.daemons = list(daemons)
        self.database = database  # None: embedded PostgreSQL; else another node's (a libpq conninfo)
        self.ports = {svc: free_port() for d in self.daemons for svc in self.SERVICES[d]}
        self.timings = (kwargs.get("heartbeat_interval", 0.2), kwargs.get("heartbeat_timeout", 2.0),
                        kwargs.get("shutdown_timeout", 5))
        super().__init__(**kwargs)

    def config_text(self, interval, timeout, shutdown):
        extra = {"database": self.database} if self.database else {}
        return json.dumps({
            **extra,
            "data_dir": ".",
            "hostname": "mail.test.example",
            "listen": {svc: [f"127.0.0.1:{port}"] for svc, port in self.ports.items()},
            "heartbeat": {"interval": interval, "timeout": timeout},
            "shutdown_timeout": shutdown,
            "children": {d: {"program": need_env("PILLARBOX_" + d.upper()), "services": self.SERVICES[d]}
                         for d in self.daemons},
        }, indent=2)

    def start(self, extra_env=None, wait=True):
        # free_port() cannot reserve: a test running beside this one may bind
        # the same port first. Such a start fails cleanly; pick new ports.
        for attempt in range(3):
            try:
                return super().start(extra_env, wait)
            except AssertionError:
                if attempt == 2 or b"Address already in use" not in self.log_bytes()[self.log_start:]:
                    raise
                self.stop()
                self.ports = {svc: free_port() for svc in self.ports}
                with open(self.config, "w") as f:
                    f.write(self.config_text(*self.timings))
        return self

    def wait_serving(self):
        if "smtpd" in self.daemons:
            wait_for(lambda: (smtp_banner(self.ports["smtp"]) or "").startswith("220 "), 30, "smtpd to greet")
        if "pop3d" in self.daemons:
            wait_for(lambda: (smtp_banner(self.ports["pop3"]) or "").startswith("+OK"), 30, "pop3d to greet")
        if "imapd" in self.daemons:
            wait_for(lambda: (smtp_banner(self.ports["imap"]) or "").startswith("* OK"), 30, "imapd to greet")

    def cli(self, *args, stdin=""):
        """Runs the admin CLI; fails the test when it fails."""
        out = run_cli(args, self.config, stdin)
        if out.returncode != 0:
            raise AssertionError(f"pillarbox {' '.join(args)} failed: {out.stderr}")
        return out.stdout

    def daemon_pids(self, name):
        """PIDs of the master's children running program NAME."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                exe = os.path.basename(os.readlink(f"/proc/{entry}/exe"))
            except OSError:
                continue
            ppid = int(stat.rsplit(") ", 1)[1].split()[1])
            if exe == name and ppid == self.proc.pid and pid_alive(int(entry)):
                pids.append(int(entry))
        return pids

    def configure(self, *args, stdin="", psql=None, timeout=15):
        """One configuration change (a CLI command, or SQL through psql), then
        waits until every daemon has reloaded its directory after it. Callers
        make one change at a time, so the reloads seen are this change's."""
        since = self.log_size()
        if psql:
            self.psql(psql)
        else:
            self.cli(*args, stdin=stdin)
        for name in self.daemons:
            line = re.compile(rb"%s\[\d+\]: directory reloaded" % name.encode())
            wait_for(lambda: line.search(self.log_bytes()[since:]), timeout, f"{name} to reload")

    def wait_log(self, text, since, timeout=10):
        """Waits until TEXT appears in the log after byte offset SINCE."""
        wait_for(lambda: text.encode() in self.log_bytes()[since:], timeout, f"log line {text!r}")

    def log_size(self):
        return len(self.log_bytes())
