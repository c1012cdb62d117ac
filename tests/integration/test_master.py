"""Integration tests of pillarboxd: embedded PostgreSQL, migrations, child
supervision over inherited listeners, heartbeats, config.changed from SIGHUP
and from psql, clean shutdown, the data-directory lock and sd_notify."""

import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import pwd

from harness import Master, free_port, free_port6, pid_alive, process_uid, wait_for


class MasterTest(unittest.TestCase):
    def setUp(self):
        self.master = Master()
        self.addCleanup(self.master.cleanup)

    def test_embedded_postgres_and_idempotent_migrations(self):
        m = self.master.start()
        applied = m.psql("SELECT count(*) FROM schema_migrations")
        self.assertGreaterEqual(int(applied), 1)
        self.assertEqual(m.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'settings'"), "1")
        conn = m.connect()
        self.assertEqual(conn.command("QUERY"), f"OK {applied}")
        conn.close()
        m.stop()
        self.assertIn(b"applied", m.log_bytes())

        # Second start on the same directory: no initdb, no migration applied again.
        log_before = len(m.log_bytes())
        m.start()
        second = m.log_bytes()[log_before:]
        self.assertNotIn(b"initdb", second)
        self.assertNotIn(b"schema migration", second)
        self.assertEqual(m.psql("SELECT count(*) FROM schema_migrations"), applied)

    def test_killed_child_is_replaced_on_the_same_listener(self):
        m = self.master.start()
        old = m.child_pid()
        os.kill(old, signal.SIGKILL)
        started = time.monotonic()
        # Connect while no child is running: the master's socket queues us.
        conn = m.connect(timeout=5)
        elapsed = time.monotonic() - started
        self.assertNotEqual(conn.pid, old)
        self.assertLess(elapsed, 2.0, "the new child took too long to serve")
        self.assertEqual(conn.command("PING"), f"PONG {conn.pid}")
        conn.close()
        self.assertIn(b"child testchild: exited: killed by signal 9", m.log_bytes())

    def test_hung_child_is_killed_and_replaced(self):
        m = self.master.start()
        conn = m.connect()
        old = conn.pid
        conn.send("HANG")
        # Heartbeat timeout is 2 s in the test config, then a 1 s restart delay.
        wait_for(lambda: not pid_alive(old), 10, "the hung child to be killed")
        fresh = wait_for(lambda: self.try_pid(m), 10, "a replacement child")
        self.assertNotEqual(fresh, old)
        self.assertIn(b"child testchild: hung: no heartbeat", m.log_bytes())
        conn.close()

    def test_killed_postgres_is_restarted_and_the_child_reconnects(self):
        m = self.master.start()
        conn = m.connect()
        self.assertTrue(conn.command("QUERY").startswith("OK "))
        old = m.postmaster_pid()
        os.kill(old, signal.SIGKILL)
        wait_for(lambda: m.postmaster_pid() not in (0, old) and pid_alive(m.postmaster_pid()), 20,
                 "a new postmaster")
        # The executor notices its dead connection and reconnects (it waits for
        # the server while it finishes starting).
        reply = wait_for(lambda: self.ok_query(conn), 20, "a successful query after the restart")
        self.assertTrue(reply.startswith("OK "))
        self.assertIn(b"postgres exited (signal 9)", m.log_bytes())
        # The restart was announced on the bus as activity.
        activity = conn.command("ACTIVITY")
        self.assertIn('"child":"postgres"', activity)
        self.assertIn("postgres exited (signal 9)", activity)
        conn.close()

    def test_sighup_and_psql_update_reach_the_child_as_config_changed(self):
        m = self.master.start()
        conn = m.connect()
        self.assertEqual(conn.command("EVENTS"), "EVENTS 0 {}")
        m.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: '"source":"file"' in conn.command("EVENTS"), 5, "config.changed from SIGHUP")
        m.psql("INSERT INTO settings (key, value) VALUES ('greeting', '\"hi\"')")
        reply = wait_for(lambda: self.events_with(conn, '"op":"INSERT"'), 5, "config.changed from INSERT")
        self.assertIn('"source":"database"', reply)
        self.assertIn('"table":"settings"', reply)
        m.psql("UPDATE settings SET value = '\"hello\"' WHERE key = 'greeting'")
        wait_for(lambda: self.events_with(conn, '"op":"UPDATE"'), 5, "config.changed from UPDATE")
        conn.close()

    def test_sigterm_stops_everything_cleanly(self):
        m = self.master.start()
        child = m.child_pid()
        pg = m.postmaster_pid()
        started = time.monotonic()
        m.proc.send_signal(signal.SIGTERM)
        m.proc.wait(15)
        self.assertLess(time.monotonic() - started, 15)
        self.assertEqual(m.proc.returncode, 0)
        self.assertFalse(pid_alive(child))
        self.assertFalse(pid_alive(pg))
        self.assertEqual(m.cluster_state(), "shut down")

    def test_second_master_on_the_same_directory_is_refused(self):
        m = self.master.start()
        out = subprocess.run([m.bin, "--config", m.config], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"data directory {m.dir} is in use by another pillarboxd (pid {m.proc.pid})", out.stderr)
        # The first one is unharmed.
        self.assertEqual(m.connect().command("PING").split()[0], "PONG")

    def test_sd_notify_ready_and_stopping(self):
        path = os.path.join(self.master.dir, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(60)
        self.addCleanup(sock.close)
        m = self.master.start(extra_env={"NOTIFY_SOCKET": path})
        self.assertIn(b"READY=1", sock.recv(4096))
        m.proc.send_signal(signal.SIGTERM)
        self.assertIn(b"STOPPING=1", sock.recv(4096))
        m.proc.wait(15)

    def test_bad_config_is_reported_with_file_and_line(self):
        with open(self.master.config, "w") as f:
            f.write('{\n  "data_dir": ".",\n  "lisen": {}\n}\n')
        out = subprocess.run([self.master.bin, "--config", self.master.config], capture_output=True,
                             text=True, timeout=30)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"{self.master.config}:3: lisen: unknown key", out.stderr)

    def test_port_in_use_is_reported_naming_the_service(self):
        blocker = socket.socket()
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", self.master.port))
        blocker.listen()
        self.addCleanup(blocker.close)
        self.master.start(wait=False)
        self.master.proc.wait(30)
        self.assertEqual(self.master.proc.returncode, 1)
        self.assertIn(f"couldn't bind smtp 127.0.0.1:{self.master.port}: Address already in use",
                      self.master.log_text())

    def test_data_dir_mode_writes_a_default_config(self):
        d = tempfile.mkdtemp(prefix="pbx-dd-", dir="/tmp")
        os.chmod(d, 0o755)
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", d]))
        out = subprocess.run([self.master.bin, "--data-dir", os.path.join(d, "var"), "--version"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0)
        self.assertTrue(out.stdout.startswith("pillarboxd "))
        # --data-dir with a config that binds nothing usable still writes the file first.
        proc = subprocess.Popen([self.master.bin, "--data-dir", os.path.join(d, "var")],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_for(lambda: os.path.exists(os.path.join(d, "var", "pillarbox.conf")), 30, "the default config")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
        with open(os.path.join(d, "var", "pillarbox.conf")) as f:
            self.assertIn('"data_dir"', f.read())

    def test_self_signed_certificate_is_generated_once(self):
        m = self.master.start()
        cert = os.path.join(m.dir, "tls", "cert.pem")
        key = os.path.join(m.dir, "tls", "key.pem")
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o640)
        out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-subject", "-ext", "subjectAltName"],
                             capture_output=True, text=True, check=True).stdout
        self.assertIn("CN = mail.test.example", out)
        self.assertIn("DNS:mail.test.example", out)
        # The key matches the certificate.
        pub_cert = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"],
                                  capture_output=True, text=True, check=True).stdout
        pub_key = subprocess.run(["openssl", "pkey", "-in", key, "-pubout"],
                                 capture_output=True, text=True, check=True).stdout
        self.assertEqual(pub_cert, pub_key)
        with open(cert) as f:
            first = f.read()
        m.stop()
        m.start()
        with open(cert) as f:
            self.assertEqual(f.read(), first, "the certificate was regenerated on restart")

    def test_several_addresses_and_ipv6_reach_the_same_child(self):
        port2, port6 = free_port(), free_port6()
        self.master = Master(extra_listen=[f"127.0.0.1:{port2}", f"[::1]:{port6}"])
        self.addCleanup(self.master.cleanup)
        m = self.master.start()
        pids = {m.connect().pid, m.connect(port=port2).pid, m.connect(port=port6, host="::1").pid}
        self.assertEqual(len(pids), 1)
        self.assertIn(f"listening: smtp on [::1]:{port6}".encode(), m.log_bytes())

    def test_children_and_postgres_run_as_the_service_user(self):
        m = self.master.start()
        expected = pwd.getpwnam("pillarbox").pw_uid if os.geteuid() == 0 else os.geteuid()
        self.assertEqual(process_uid(m.child_pid()), expected)
        self.assertEqual(process_uid(m.postmaster_pid()), expected)
        self.assertEqual(process_uid(m.proc.pid), os.geteuid())

    def test_children_stop_when_the_master_dies_and_a_new_master_recovers(self):
        m = self.master.start()
        child = m.child_pid()
        pg = m.postmaster_pid()
        m.proc.kill()
        m.proc.wait()
        # The child sees the bus close and stops by itself.
        wait_for(lambda: not pid_alive(child), 10, "the orphaned child to exit")
        # The next master stops the PostgreSQL left behind and starts its own.
        m.start()
        self.assertFalse(pid_alive(pg))
        self.assertIn(b"stopping a postgres left running by an earlier pillarboxd", m.log_bytes())
        self.assertTrue(m.connect().command("QUERY").startswith("OK "))

    # --- helpers ---------------------------------------------------------
    @staticmethod
    def try_pid(m):
        try:
            return m.child_pid()
        except OSError:
            return None

    @staticmethod
    def ok_query(conn):
        reply = conn.command("QUERY")
        return reply if reply.startswith("OK ") else None

    @staticmethod
    def events_with(conn, text):
        reply = conn.command("EVENTS")
        return reply if text in reply else None


if __name__ == "__main__":
    unittest.main()
