"""End-to-end tests of pop3d: a real pillarboxd running smtpd and pop3d with
its embedded PostgreSQL. Mail goes in through smtpd (smtplib) and comes out
through Python's poplib, curl and fetchmail; what the store holds is read
with psql."""

import os
import poplib
import signal
import smtplib
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import Server, wait_for

DOMAIN = "mail.test.example"


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(subject, body="Hello over POP3.\r\n"):
    return (f"From: Sender <sender@example.net>\r\nTo: joe@{DOMAIN}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n\r\n{body}")


class RawPop:
    """Line-level POP3 for exact replies and dropped connections."""

    def __init__(self, port, source="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        self.file = self.sock.makefile("rb")
        self.greeting = self.line()

    def line(self):
        data = self.file.readline()
        if not data:
            raise ConnectionError("closed by the server")
        return data.decode().rstrip("\r\n")

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.line()

    def close(self):
        self.file.close()  # the socket closes only when its file object does too
        self.sock.close()


class Pop3dTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(daemons=("smtpd", "pop3d"))
        try:
            cls.server.start()
            cls.configure("account", "add", "joe", "--password-stdin", stdin="joe-secret-1\n")
            cls.configure("account", "add", "ann", "--password-stdin", stdin="ann-secret-1\n")
        except BaseException:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    @classmethod
    def configure(cls, *args, stdin="", psql=None):
        cls.server.configure(*args, stdin=stdin, psql=psql)

    # --- helpers -----------------------------------------------------------
    def port(self, service):
        return self.server.ports[service]

    def sql(self, query):
        return self.server.psql(query)

    def deliver(self, subject, to="joe", body="Hello over POP3.\r\n"):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.sendmail("sender@example.net", [f"{to}@{DOMAIN}"], message(subject, body))

    def stored(self, subject):
        """The stored bytes of the message with SUBJECT, as RETR must send them."""
        hexed = self.sql(f"SELECT encode(raw, 'hex') FROM bodies WHERE subject = '{subject}'")
        return bytes.fromhex(hexed)

    def pop(self, user="joe", password="joe-secret-1"):
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        p.user(user)
        p.pass_(password)
        return p

    def inbox_count(self, account="joe"):
        return int(self.sql("SELECT count(*) FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id "
                            f"JOIN accounts a ON a.id = m.account_id WHERE a.name = '{account}' "
                            "AND m.name = 'INBOX'"))

    # --- retrieval ---------------------------------------------------------
    def test_poplib_retrieves_byte_identical_with_exact_sizes(self):
        body = "Line one\r\n.starts with a dot\r\n..two dots\r\n\r\nlast line\r\n"
        self.deliver("poplib one", body=body)
        self.deliver("poplib two")
        p = self.pop()
        try:
            count, total = p.stat()
            self.assertEqual(count, 2)
            sizes = {int(n): int(s) for n, s in (x.split() for x in (b.decode() for b in p.list()[1]))}
            first = self.stored("poplib one")
            second = self.stored("poplib two")
            self.assertEqual(sizes, {1: len(first), 2: len(second)})
            self.assertEqual(total, len(first) + len(second))
            resp, lines, octets = p.retr(1)
            self.assertTrue(resp.startswith(b"+OK"))
            self.assertEqual(b"\r\n".join(lines) + b"\r\n", first)  # poplib undoes the dot-stuffing
            self.assertIn(b"Subject: poplib one", first)
            uidls = p.uidl()[1]
            self.assertEqual(len(uidls), 2)
            resp, top, _ = p.top(2, 0)
            self.assertEqual(top[-1], b"")  # headers and the blank line only
            self.assertIn(b"Subject: poplib two", top)
        finally:
            p.quit()

    def test_curl_pop3_lists_and_retrieves(self):
        self.deliver("for curl")
        url = f"pop3://127.0.0.1:{self.port('pop3')}/"
        out = subprocess.run(["curl", "-s", "-S", "--user", "joe:joe-secret-1", url], capture_output=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.decode().split(), ["1", str(len(self.stored("for curl")))])
        out = subprocess.run(["curl", "-s", "-S", "--user", "joe:joe-secret-1", url + "1"], capture_output=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, self.stored("for curl"))

    def test_fetchmail_downloads_into_an_mbox_and_deletes(self):
        self.deliver("for fetchmail one")
        self.deliver("for fetchmail two", body="From the start of a line\r\n.dot\r\n")
        work = tempfile.mkdtemp(prefix="pbx-fetchmail-")
        out_file = os.path.join(work, "delivered")
        rc = os.path.join(work, "fetchmailrc")
        with open(rc, "w") as f:
            f.write(f'poll 127.0.0.1 protocol pop3 port {self.port("pop3")} '
                    f'user "joe" password "joe-secret-1" sslproto "" '
                    f'mda "/bin/sh -c \'cat >> {out_file}; echo ===END=== >> {out_file}\'"\n')
        os.chmod(rc, 0o600)
        env = dict(os.environ, HOME=work, FETCHMAILHOME=work)
        res = subprocess.run(["fetchmail", "-f", rc, "--invisible", "--norewrite", "--nokeep", "-v"],
                             capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        with open(out_file, "rb") as f:
            parts = f.read().split(b"===END===\n")
        got = [p.replace(b"\n", b"\r\n") for p in parts if p]
        self.assertEqual(len(got), 2)
        for subject, data in zip(("for fetchmail one", "for fetchmail two"), got):
            self.assertEqual(data, self.stored(subject))
        self.assertEqual(self.inbox_count(), 0)

    # --- TLS ---------------------------------------------------------------
    def test_stls_and_implicit_tls(self):
        self.deliver("over tls")
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        self.assertIn("STLS", p.capa())
        p.stls(context=tls_context())
        p.user("joe")
        p.pass_("joe-secret-1")
        self.assertEqual(p.stat()[0], 1)
        p.quit()
        s = poplib.POP3_SSL("127.0.0.1", self.port("pop3s"), timeout=10, context=tls_context())
        s.user("joe")
        s.pass_("joe-secret-1")
        self.assertEqual(b"\r\n".join(s.retr(1)[1]) + b"\r\n", self.stored("over tls"))
        s.quit()

    def test_plain_login_needs_tls_from_networks_the_rules_do_not_trust(self):
        self.configure(psql="DELETE FROM access_rules WHERE service = 'pop3'")
        c = RawPop(self.port("pop3"))
        try:
            self.assertTrue(c.command("USER joe").startswith("-ERR"))
            self.assertTrue(c.command("STLS").startswith("+OK"))
        finally:
            c.close()
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        p.stls(context=tls_context())
        p.user("joe")
        self.assertTrue(p.pass_("joe-secret-1").startswith(b"+OK"))
        p.quit()

    # --- deletion and UIDL ---------------------------------------------------
    def test_dele_and_quit_removes_but_a_dropped_connection_keeps(self):
        self.deliver("keep me")
        self.deliver("delete me")
        c = RawPop(self.port("pop3"))
        c.command("USER joe")
        self.assertTrue(c.command("PASS joe-secret-1").startswith("+OK"))
        self.assertTrue(c.command("DELE 1").startswith("+OK"))
        self.assertTrue(c.command("DELE 2").startswith("+OK"))
        c.close()  # no QUIT: nothing may be removed
        wait_for(lambda: self.sql("SELECT count(*) FROM pop3_locks") == "0", 10, "the lock to be released")
        self.assertEqual(self.inbox_count(), 2)
        p = self.pop()
        self.assertEqual(p.stat()[0], 2)
        p.dele(2)
        self.assertTrue(p.quit().startswith(b"+OK"))
        self.assertEqual(self.inbox_count(), 1)
        self.assertEqual(self.sql("SELECT count(*) FROM expunged_messages"), "1")
        p = self.pop()
        self.assertIn(b"Subject: keep me", p.retr(1)[1])
        p.quit()

    def test_uidl_is_stable_across_sessions_and_never_reused(self):
        self.deliver("uidl one")
        self.deliver("uidl two")
        p = self.pop()
        first = p.uidl()[1]
        p.dele(1)
        p.quit()
        self.deliver("uidl three")
        p = self.pop()
        second = p.uidl()[1]
        p.quit()
        uid_of = lambda listing: [x.split()[1] for x in listing]
        self.assertEqual(uid_of(second)[0], uid_of(first)[1])  # "uidl two" kept its UIDL
        self.assertNotIn(uid_of(second)[1], uid_of(first))     # the new message got a new one

    def test_message_expunged_elsewhere_meanwhile(self):
        self.deliver("gone soon")
        self.deliver("stays")
        p = self.pop()
        self.sql("DELETE FROM mailbox_messages WHERE body_id = (SELECT id FROM bodies WHERE subject = 'gone soon')")
        with self.assertRaises(poplib.error_proto) as gone:
            p.retr(1)
        self.assertIn(b"no longer available", gone.exception.args[0])
        self.assertIn(b"Subject: stays", p.retr(2)[1])
        p.dele(1)
        self.assertTrue(p.quit().startswith(b"+OK"))
        self.assertEqual(self.inbox_count(), 1)

    # --- locking -----------------------------------------------------------
    def test_second_session_gets_in_use(self):
        p = self.pop()
        try:
            c = RawPop(self.port("pop3"))
            c.command("USER joe")
            self.assertEqual(c.command("PASS joe-secret-1"),
                             "-ERR [IN-USE] POP3 Lock Busy - Is another session active?")
            c.close()
            other = self.pop("ann", "ann-secret-1")  # another mailbox is not affected
            other.quit()
        finally:
            p.quit()
        self.pop().quit()  # free again after QUIT

    def test_kill_9_of_pop3d_leaves_the_mailbox_intact_and_unlocked(self):
        self.deliver("survives the crash")
        pids = self.server.daemon_pids("pop3d")
        self.assertEqual(len(pids), 1)
        c = RawPop(self.port("pop3"))
        c.command("USER joe")
        self.assertTrue(c.command("PASS joe-secret-1").startswith("+OK"))
        self.assertTrue(c.command("DELE 1").startswith("+OK"))
        os.kill(pids[0], signal.SIGKILL)
        c.close()
        self.assertEqual(self.sql("SELECT count(*) FROM pop3_locks"), "1")  # left behind by the dead process
        wait_for(lambda: self.server.daemon_pids("pop3d") and self.server.daemon_pids("pop3d") != pids, 10,
                 "a new pop3d")
        wait_for(lambda: (RawPop(self.port("pop3")).greeting or "").startswith("+OK"), 10, "pop3d to greet")
        p = self.pop()
        self.assertEqual(p.stat()[0], 1)
        self.assertIn(b"Subject: survives the crash", p.retr(1)[1])
        p.quit()

    # --- logins and access ---------------------------------------------------
    def test_unknown_user_and_wrong_password_get_the_same_reply_and_are_logged(self):
        replies = []
        for user, password in (("joe", "wrong"), ("nobody", "joe-secret-1")):
            c = RawPop(self.port("pop3"))
            c.command(f"USER {user}")
            replies.append(c.command(f"PASS {password}"))
            c.close()
        self.assertEqual(replies, ["-ERR [AUTH] Invalid login or password"] * 2)
        self.assertEqual(self.sql("SELECT service, account, reason FROM security_events ORDER BY id").splitlines(),
                         ["pop3|joe|wrong password: 'joe'", "pop3|nobody|unknown account: 'nobody'"])

    def test_denied_address_is_refused_before_the_greeting(self):
        self.configure("access", "add", "pop3", "deny", "127.0.0.6", "--position", "1")
        c = RawPop(self.port("pop3"), source="127.0.0.6")
        self.assertEqual(c.greeting, "-ERR Server access not allowed!")
        self.assertEqual(c.file.readline(), b"")
        c.close()
        self.assertTrue(RawPop(self.port("pop3")).greeting.startswith("+OK"))

    def test_apop_login_with_a_sealed_secret(self):
        self.configure("account", "apop", "ann", stdin="ann-apop-secret\n")
        sealed = self.sql("SELECT convert_from(apop_secret, 'UTF8') FROM accounts WHERE name = 'ann'")
        self.assertTrue(sealed.startswith("v1:"))
        self.assertNotIn("ann-apop-secret", sealed)
        self.deliver("for apop", to="ann")
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        self.assertIn(b"<", p.getwelcome())  # the APOP timestamp
        p.apop("ann", "ann-apop-secret")
        self.assertEqual(p.stat()[0], 1)
        p.quit()
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        with self.assertRaises(poplib.error_proto):
            p.apop("ann", "wrong-secret")
        p.quit()
        # "Require APOP authentication": USER/PASS is refused, APOP still works.
        self.configure("setting", "set", "pop3.require_apop", "true")
        c = RawPop(self.port("pop3"))
        self.assertTrue(c.command("USER ann").startswith("-ERR"))
        c.close()
        p = poplib.POP3("127.0.0.1", self.port("pop3"), timeout=10)
        p.apop("ann", "ann-apop-secret")
        p.quit()

    def test_auth_plain_with_initial_response(self):
        import base64
        c = RawPop(self.port("pop3"))
        token = base64.b64encode(b"\0joe\0joe-secret-1").decode()
        self.assertTrue(c.command(f"AUTH PLAIN {token}").startswith("+OK"))
        self.assertTrue(c.command("STAT").startswith("+OK 0 0"))
        self.assertTrue(c.command("QUIT").startswith("+OK"))
        c.close()


if __name__ == "__main__":
    unittest.main()
