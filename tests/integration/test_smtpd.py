"""End-to-end tests of smtpd: a real pillarboxd with its embedded PostgreSQL
and the real smtpd, driven by Python's smtplib, swaks and raw sockets, with
every outcome read back from the database through psql. Configuration is made
with the `pillarbox` CLI, as an administrator would."""

import base64
import concurrent.futures
import os
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import time
import unittest

from harness import Server, wait_for

DOMAIN = "mail.test.example"


def message(subject, body="Hello.\r\n", size=0):
    text = f"From: Sender <sender@example.net>\r\nTo: someone@{DOMAIN}\r\nSubject: {subject}\r\n\r\n{body}"
    while len(text) < size:
        text += "0123456789" * 7 + "\r\n"
    return text


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class RawSmtp:
    """A line-level SMTP client for what smtplib hides (partial DATA, exact replies)."""

    def __init__(self, port, source="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        self.file = self.sock.makefile("rb")

    def reply(self):
        lines = []
        while True:
            line = self.file.readline().decode()
            if not line:
                raise ConnectionError("closed by the server")
            lines.append(line.rstrip("\r\n"))
            if line[3:4] != "-":
                return lines

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.reply()

    def close(self):
        self.file.close()  # the socket closes only when its file object does too
        self.sock.close()


class SmtpdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(daemons=("smtpd",))
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

    # --- helpers -----------------------------------------------------------
    def sql(self, query):
        return self.server.psql(query)

    def port(self, service):
        return self.server.ports[service]

    def inbox(self, account):
        """Subjects in ACCOUNT's INBOX, by UID."""
        out = self.sql("SELECT b.subject FROM mailbox_messages m JOIN mailboxes x ON x.id = m.mailbox_id "
                       "JOIN accounts a ON a.id = x.account_id JOIN bodies b ON b.id = m.body_id "
                       f"WHERE a.name = '{account}' AND x.name = 'INBOX' ORDER BY m.uid")
        return out.splitlines()

    def queued(self, subject):
        """Remote recipients queued for the message with SUBJECT."""
        out = self.sql("SELECT r.address FROM queue_recipients r JOIN queue_messages q ON q.id = r.message_id "
                       f"JOIN bodies b ON b.id = q.body_id WHERE b.subject = '{subject}' ORDER BY r.address")
        return out.splitlines()

    @classmethod
    def configure(cls, *args, stdin="", psql=None):
        cls.server.configure(*args, stdin=stdin, psql=psql)

    def reconfigured(self, change, check, what):
        """Runs CHANGE (CLI calls) and waits until smtpd shows CHECK() true."""
        change()
        wait_for(check, 15, what, interval=0.1)

    def send(self, rcpts, subject, port=None, **kwargs):
        with smtplib.SMTP("127.0.0.1", port or self.port("smtp"), timeout=10, **kwargs) as c:
            return c.sendmail("sender@example.net", rcpts, message(subject))

    # --- delivery ----------------------------------------------------------
    def test_local_user_gets_the_message_byte_for_byte_after_a_received_header(self):
        text = message("plain local") + "Second line\r\n.leading dot\r\n"
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            code, reply = c.ehlo("client.example.net")
            self.assertEqual(code, 250)
            for ext in (b"SIZE", b"PIPELINING", b"8BITMIME", b"SMTPUTF8", b"ENHANCEDSTATUSCODES", b"CHUNKING",
                        b"DSN", b"STARTTLS", b"AUTH PLAIN LOGIN"):
                self.assertIn(ext, reply)
            c.sendmail("sender@example.net", [f"joe@{DOMAIN}"], text)
        self.assertIn("plain local", self.inbox("joe"))
        raw = self.sql("SELECT convert_from(b.raw, 'UTF8') FROM bodies b WHERE subject = 'plain local'")
        self.assertTrue(raw.startswith("Received: from client.example.net ([127.0.0.1])"), raw[:200])
        self.assertIn(f"by {DOMAIN}", raw)
        self.assertIn(f"for <joe@{DOMAIN}>", raw)
        stored = raw.replace("\n", "\r\n") + "\r\n"  # psql prints LF and drops the final line break
        self.assertTrue(stored.endswith(text), stored[-200:])
        # Parsed at delivery: the stored ENVELOPE and part tree are there.
        self.assertEqual(self.sql("SELECT envelope LIKE '%\"plain local\"%', parts <> '' FROM bodies "
                                  "WHERE subject = 'plain local'"), "t|t")

    def test_postmaster_reaches_the_administrator(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10, source_address=("127.0.0.5", 0)) as c:
            c.ehlo()
            c.mail("sender@example.net")
            self.assertEqual(c.rcpt("<postmaster>")[0], 250)
            self.assertEqual(c.rcpt(f"PostMaster@{DOMAIN}")[0], 250)
            self.assertEqual(c.data(message("for the postmaster").encode())[0], 250)
        self.assertEqual(self.inbox("admin"), ["for the postmaster"])

    def test_unknown_local_user_is_refused_at_rcpt(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.ehlo()
            c.mail("sender@example.net")
            code, reply = c.rcpt(f"nobody@{DOMAIN}")
            self.assertEqual(code, 550)
            self.assertIn(b"5.1.1", reply)
            self.assertIn(b"User unknown in local recipient table", reply)

    def test_alias_wildcard_and_regex_mappings(self):
        self.configure("mapping", "add", f"sales@{DOMAIN}", "joe")
        self.configure("mapping", "add", "support-*", "ann")
        self.configure("mapping", "add", "/^abra.*dabra@/i", "joe")
        self.send([f"sales@{DOMAIN}"], "via alias")
        self.send([f"support-eu@{DOMAIN}"], "via wildcard")
        self.send([f"AbraCadabra@{DOMAIN}"], "via regex")
        self.assertIn("via alias", self.inbox("joe"))
        self.assertIn("via wildcard", self.inbox("ann"))
        self.assertIn("via regex", self.inbox("joe"))

    def test_list_with_a_remote_member_queues_it(self):
        self.configure("list", "add", "team", "--member", "joe", "--member", "partner@remote.example",
                        "--internet")
        self.send([f"team@{DOMAIN}"], "to the team")
        self.assertIn("to the team", self.inbox("joe"))
        self.assertEqual(self.queued("to the team"), ["partner@remote.example"])
        self.assertEqual(self.sql("SELECT q.sender FROM queue_messages q JOIN bodies b ON b.id = q.body_id "
                                  "WHERE b.subject = 'to the team'"), "sender@example.net")

    def test_forward_keeps_a_copy_and_queues_the_forward(self):
        self.configure("account", "add", "fwd", "--password-stdin", stdin="fwd-secret-1\n")
        self.configure("forward", "set", "fwd", "--to", "elsewhere@remote.example")
        self.send([f"fwd@{DOMAIN}"], "forward me")
        self.assertEqual(self.inbox("fwd"), ["forward me"])
        self.assertEqual(self.queued("forward me"), ["elsewhere@remote.example"])

    def test_one_message_to_several_users_is_stored_once(self):
        self.send([f"joe@{DOMAIN}", f"ann@{DOMAIN}", f"JOE@{DOMAIN}"], "shared body")
        self.assertIn("shared body", self.inbox("joe"))
        self.assertIn("shared body", self.inbox("ann"))
        self.assertEqual(self.sql("SELECT count(*) FROM bodies WHERE subject = 'shared body'"), "1")
        self.assertEqual(self.sql("SELECT count(*) FROM mailbox_messages m JOIN bodies b ON b.id = m.body_id "
                                  "WHERE b.subject = 'shared body'"), "2")

    def test_dsn_parameters_are_stored_with_the_queue_entry(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.ehlo()
            c.sendmail("sender@example.net", ["dsn@remote.example"], message("with dsn"),
                       mail_options=["RET=HDRS", "ENVID=abc123"],
                       rcpt_options=["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;dsn@remote.example"])
        self.assertEqual(self.sql("SELECT q.ret, q.envid, r.notify, r.orcpt FROM queue_messages q "
                                  "JOIN queue_recipients r ON r.message_id = q.id JOIN bodies b ON b.id = q.body_id "
                                  "WHERE b.subject = 'with dsn'"),
                         "HDRS|abc123|SUCCESS,FAILURE|rfc822;dsn@remote.example")

    def test_bdat_chunking(self):
        c = RawSmtp(self.port("smtp"))
        try:
            c.reply()
            c.command("EHLO client.example.net")
            c.command("MAIL FROM:<sender@example.net>")
            c.command(f"RCPT TO:<ann@{DOMAIN}>")
            part1 = b"Subject: in chunks\r\n\r\nfirst "
            part2 = b"second\r\n"
            c.sock.sendall(b"BDAT %d\r\n" % len(part1) + part1)
            self.assertTrue(c.reply()[0].startswith("250"))
            c.sock.sendall(b"BDAT %d LAST\r\n" % len(part2) + part2)
            self.assertTrue(c.reply()[0].startswith("250 2.0.0 Ok: queued as"))
        finally:
            c.close()
        self.assertIn("in chunks", self.inbox("ann"))

    def test_swaks_delivers_to_a_local_user(self):
        swaks = shutil.which("swaks")
        self.assertIsNotNone(swaks, "swaks is installed by packaging/install-deps.sh")
        out = subprocess.run([swaks, "--server", "127.0.0.1", "--port", str(self.port("smtp")),
                              "--from", "swaks@example.net", "--to", f"ann@{DOMAIN}",
                              "--header", "Subject: from swaks", "--body", "sent by swaks"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("250 2.0.0 Ok: queued as", out.stdout)
        self.assertIn("from swaks", self.inbox("ann"))

    def test_swaks_authenticates_on_submission_with_starttls(self):
        out = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(self.port("submission")),
                              "--tls", "--auth", "PLAIN", "--auth-user", "joe", "--auth-password", "joe-secret-1",
                              "--from", f"joe@{DOMAIN}", "--to", "friend@remote.example",
                              "--header", "Subject: swaks submission"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(self.queued("swaks submission"), ["friend@remote.example"])

    # --- TLS and AUTH ------------------------------------------------------
    def test_starttls_then_delivery_records_tls_in_received(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.ehlo()
            c.starttls(context=tls_context())
            c.ehlo()
            c.sendmail("sender@example.net", [f"joe@{DOMAIN}"], message("over starttls"))
        raw = self.sql("SELECT convert_from(raw, 'UTF8') FROM bodies WHERE subject = 'over starttls'")
        self.assertIn("with ESMTPS", raw)
        self.assertIn("TLSv1.", raw)

    def test_implicit_tls_on_smtps_requires_auth_and_then_relays(self):
        with smtplib.SMTP_SSL("127.0.0.1", self.port("smtps"), timeout=10, context=tls_context()) as c:
            c.ehlo()
            code, reply = c.mail("joe@" + DOMAIN)
            self.assertEqual(code, 530, reply)
            c.rset()
            c.login("joe", "joe-secret-1")
            c.sendmail(f"joe@{DOMAIN}", ["out@remote.example"], message("over smtps"))
        self.assertEqual(self.queued("over smtps"), ["out@remote.example"])

    def test_submission_needs_auth_and_auth_needs_tls_from_untrusted_networks(self):
        with smtplib.SMTP("127.0.0.1", self.port("submission"), timeout=10) as c:
            c.ehlo()
            # No AUTH offered before TLS: the submission list does not trust us.
            self.assertNotIn("auth", c.esmtp_features)
            code, _ = c.mail(f"joe@{DOMAIN}")
            self.assertEqual(code, 530)
            c.starttls(context=tls_context())
            c.ehlo()
            self.assertIn("auth", c.esmtp_features)
            with self.assertRaises(smtplib.SMTPAuthenticationError) as wrong:
                c.login("joe", "wrong-password")
            self.assertEqual(wrong.exception.smtp_code, 535)
            c.login("joe", "joe-secret-1")
            c.sendmail(f"joe@{DOMAIN}", ["sub@remote.example"], message("over submission"))
        self.assertEqual(self.queued("over submission"), ["sub@remote.example"])
        # The failed login is in the security event log, with why (for the
        # administrator only); smtplib tried PLAIN and then LOGIN: two events.
        query = "SELECT service, host(address), account, kind, reason FROM security_events"
        wait_for(lambda: len(self.sql(query).splitlines()) == 2, 10, "two security events")
        self.assertEqual(self.sql(query).splitlines(), ["submission|127.0.0.1|joe|login_failed|wrong password: 'joe'"] * 2)

    def test_auth_login_mechanism(self):
        c = RawSmtp(self.port("smtp"))
        try:
            c.reply()
            c.command("EHLO client.example.net")  # loopback is trusted: AUTH without TLS
            self.assertEqual(c.command("AUTH LOGIN")[0], "334 VXNlcm5hbWU6")
            self.assertEqual(c.command(base64.b64encode(b"ann").decode())[0], "334 UGFzc3dvcmQ6")
            self.assertEqual(c.command(base64.b64encode(b"ann-secret-1").decode())[0][:3], "235")
        finally:
            c.close()

    # --- access rules and relaying -----------------------------------------
    def test_relay_refused_from_untrusted_address_and_allowed_after_auth(self):
        self.restrict_smtp_to_loopback_host()
        try:
            c = RawSmtp(self.port("smtp"), source="127.0.0.2")
            try:
                c.reply()
                c.command("EHLO outside.example")
                self.assertEqual(c.command("MAIL FROM:<someone@outside.example>")[0][:3], "250")
                self.assertEqual(c.command("RCPT TO:<victim@remote.example>"),
                                 ["550 5.7.1 Relaying not allowed! Bad sender IP address"])
                # Local mail is still accepted from anywhere.
                self.assertEqual(c.command(f"RCPT TO:<joe@{DOMAIN}>")[0][:3], "250")
                self.assertEqual(c.command("RSET")[0][:3], "250")
            finally:
                c.close()
            self.assertEqual(self.queued("relay attempt"), [])
            with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10, source_address=("127.0.0.2", 0)) as c:
                c.ehlo()
                self.assertNotIn("auth", c.esmtp_features)  # untrusted: AUTH only after TLS
                c.starttls(context=tls_context())
                c.ehlo()
                c.login("joe", "joe-secret-1")
                c.sendmail(f"joe@{DOMAIN}", ["victim@remote.example"], message("relay after auth"))
            self.assertEqual(self.queued("relay after auth"), ["victim@remote.example"])
            # From 127.0.0.1 the ALLOW rule trusts the client: it relays without AUTH.
            self.send(["friend@remote.example"], "relay trusted")
            self.assertEqual(self.queued("relay trusted"), ["friend@remote.example"])
        finally:
            self.restore_smtp_rules()

    def test_denied_address_gets_554_access_denied(self):
        self.configure("access", "add", "smtp", "deny", "127.0.0.3", "--position", "1", "--comment", "test")
        try:
            wait_for(lambda: self.banner_from("127.0.0.3") == "554 5.7.1 Access denied", 15,
                     "the DENY rule to apply", interval=0.1)
            self.assertTrue(self.banner_from("127.0.0.1").startswith("220 "))
        finally:
            self.configure("access", "del", "smtp", "1")
            wait_for(lambda: (self.banner_from("127.0.0.3") or "").startswith("220 "), 15, "the rule to go")

    def test_relay_tricks_are_refused(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10, source_address=("127.0.0.4", 0)) as c:
            c.ehlo()
            c.mail("sender@example.net")
            for rcpt in (f"victim%remote.example@{DOMAIN}", f"remote.example!victim@{DOMAIN}",
                         f'"victim@remote.example"@{DOMAIN}', f"@{DOMAIN}:victim@remote.example"):
                code, reply = c.rcpt(rcpt)
                self.assertEqual(code // 100, 5, (rcpt, reply))

    # --- limits ------------------------------------------------------------
    def test_oversize_message_is_refused_and_nothing_stored(self):
        self.reconfigured(lambda: self.configure("setting", "set", "smtp.max_message_size", "20000"),
                          lambda: self.ehlo_size() == 20000, "SIZE 20000 in EHLO")
        try:
            with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
                with self.assertRaises(smtplib.SMTPSenderRefused) as declared:
                    c.sendmail("sender@example.net", [f"joe@{DOMAIN}"], message("too big declared", size=30000))
                self.assertEqual(declared.exception.smtp_code, 552)
            # Without SIZE=, the limit applies while reading DATA.
            c = RawSmtp(self.port("smtp"))
            try:
                c.reply()
                c.command("EHLO client.example.net")
                c.command("MAIL FROM:<sender@example.net>")
                c.command(f"RCPT TO:<joe@{DOMAIN}>")
                self.assertEqual(c.command("DATA")[0][:3], "354")
                c.sock.sendall(message("too big undeclared", size=30000).encode() + b".\r\n")
                self.assertEqual(c.reply(), ["552 5.3.4 Message too large"])
            finally:
                c.close()
            self.assertEqual(self.sql("SELECT count(*) FROM bodies WHERE subject LIKE 'too big%'"), "0")
        finally:
            self.reconfigured(lambda: self.configure("setting", "del", "smtp.max_message_size"),
                              lambda: self.ehlo_size() == 20 * 1024 * 1024, "the default SIZE")

    def test_connections_per_address_are_limited(self):
        self.reconfigured(lambda: self.configure("setting", "set", "smtp.max_connections_per_address", "2"),
                          lambda: self.third_connection_refused(), "the per-address limit")
        self.configure("setting", "del", "smtp.max_connections_per_address")
        wait_for(lambda: not self.third_connection_refused(), 15, "the limit to go")

    def test_fifty_parallel_sessions_lose_nothing(self):
        def one(i):
            with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=30) as c:
                c.sendmail("sender@example.net", [f"ann@{DOMAIN}", f"joe@{DOMAIN}"],
                           message(f"parallel {i:02d}", size=5000))
            return i

        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            done = sorted(pool.map(one, range(50)))
        self.assertEqual(done, list(range(50)))
        subjects = [s for s in self.inbox("ann") if s.startswith("parallel ")]
        self.assertEqual(sorted(subjects), [f"parallel {i:02d}" for i in range(50)])
        self.assertEqual(self.sql("SELECT count(*) FROM bodies WHERE subject LIKE 'parallel %'"), "50")
        # UIDs in one mailbox never repeat.
        self.assertEqual(self.sql("SELECT count(*) - count(DISTINCT (mailbox_id, uid)) FROM mailbox_messages"), "0")

    def test_kill_9_during_data_leaves_nothing_and_service_resumes(self):
        before = self.sql("SELECT count(*) FROM bodies")
        pids = self.server.daemon_pids("smtpd")
        self.assertEqual(len(pids), 1)
        c = RawSmtp(self.port("smtp"))
        try:
            c.reply()
            c.command("EHLO client.example.net")
            c.command("MAIL FROM:<sender@example.net>")
            c.command(f"RCPT TO:<joe@{DOMAIN}>")
            self.assertEqual(c.command("DATA")[0][:3], "354")
            c.sock.sendall(b"Subject: half sent\r\n\r\nthe first half of the message\r\n")
            time.sleep(0.2)
            os.kill(pids[0], signal.SIGKILL)
            self.assertEqual(c.file.readline(), b"")  # the connection dies with the process
        finally:
            c.close()
        self.assertEqual(self.sql("SELECT count(*) FROM bodies"), before)
        started = time.monotonic()
        wait_for(lambda: self.server.daemon_pids("smtpd") and self.server.daemon_pids("smtpd") != pids, 10,
                 "a new smtpd")
        self.send([f"joe@{DOMAIN}"], "after the crash")
        self.assertLess(time.monotonic() - started, 10)
        self.assertIn("after the crash", self.inbox("joe"))
        self.assertNotIn("half sent", self.inbox("joe"))

    def test_psql_views_show_mailbox_sizes(self):
        self.send([f"ann@{DOMAIN}"], "for the views")
        row = self.sql("SELECT messages > 0, bytes > 0 FROM mailbox_sizes WHERE account = 'ann' "
                       "AND mailbox = 'INBOX'")
        self.assertEqual(row, "t|t")

    # --- first start ---------------------------------------------------------
    def test_first_start_prints_a_working_admin_login_and_sets_up_rules(self):
        found = re.findall(r"Administrator login \(shown only this once\):\n  user: +admin\n  password: (\S+)",
                           self.server.log_text())
        self.assertEqual(len(found), 1, self.server.log_text()[-2000:])
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.ehlo()
            self.assertEqual(c.login("admin", found[0])[0], 235)
        self.assertEqual(self.sql("SELECT name FROM accounts WHERE admin"), "admin")
        self.assertEqual(self.sql("SELECT name, kind FROM domains"), f"{DOMAIN}|local")
        # POP3, IMAP and admin: the LAN rules ending in "deny any"; SMTP: no
        # final deny (mail from the Internet must arrive); submission: none.
        for service in ("pop3", "imap", "admin"):
            last = self.sql(f"SELECT action, network FROM access_rules WHERE service = '{service}' "
                            "ORDER BY position DESC LIMIT 1")
            self.assertEqual(last, "deny|any", service)
            self.assertEqual(self.sql(f"SELECT count(*) FROM access_rules WHERE service = '{service}' "
                                      "AND network = '127.0.0.0/8' AND action = 'allow'"), "1")
        self.assertEqual(self.sql("SELECT count(*) FROM access_rules WHERE service = 'smtp' AND action = 'deny'"),
                         "0")
        self.assertEqual(self.sql("SELECT count(*) FROM access_rules WHERE service = 'submission'"), "0")
        # A second start changes nothing and prints no password; rules the
        # administrator deleted stay deleted.
        self.configure(psql="DELETE FROM access_rules WHERE service = 'admin'")
        self.server.stop()
        self.server.start()
        self.assertEqual(len(re.findall("Administrator login", self.server.log_text())), 1)
        self.assertEqual(self.sql("SELECT count(*) FROM access_rules WHERE service = 'admin'"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM accounts WHERE admin"), "1")

    # --- helpers needing the server ------------------------------------------
    def banner_from(self, source):
        try:
            with socket.create_connection(("127.0.0.1", self.port("smtp")), timeout=5,
                                          source_address=(source, 0)) as s:
                return s.makefile("rb").readline().decode().rstrip("\r\n")
        except OSError:
            return None

    def ehlo_size(self):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.ehlo()
            return int(c.esmtp_features.get("size", "0"))

    def third_connection_refused(self):
        held = [RawSmtp(self.port("smtp")) for _ in range(2)]
        try:
            for h in held:
                h.reply()
            third = RawSmtp(self.port("smtp"))
            try:
                return third.reply()[0].startswith("421 4.7.0")
            finally:
                third.close()
        finally:
            for h in held:
                h.close()

    def restrict_smtp_to_loopback_host(self):
        self.saved_rules = self.sql("SELECT count(*) FROM access_rules WHERE service = 'smtp'")
        self.configure(psql="DELETE FROM access_rules WHERE service = 'smtp'")
        self.configure("access", "add", "smtp", "allow", "127.0.0.1", "--comment", "only this host")

        def refused():
            c = RawSmtp(self.port("smtp"), source="127.0.0.2")
            try:
                c.reply()
                c.command("EHLO probe")
                c.command("MAIL FROM:<probe@outside.example>")
                return c.command("RCPT TO:<probe@remote.example>")[0].startswith("550 5.7.1")
            finally:
                c.close()

        wait_for(refused, 15, "the new SMTP rules", interval=0.1)

    def restore_smtp_rules(self):
        self.configure(psql="DELETE FROM access_rules WHERE service = 'smtp'")
        self.configure("access", "add", "smtp", "allow", "127.0.0.0/8", "--comment", "loopback")
        wait_for(lambda: self.trusted_from("127.0.0.2"), 15, "the loopback rule again")

    def trusted_from(self, source):
        c = RawSmtp(self.port("smtp"), source=source)
        try:
            c.reply()
            c.command("EHLO probe")
            c.command("MAIL FROM:<probe@outside.example>")
            return c.command("RCPT TO:<probe@remote.example>")[0].startswith("250")
        finally:
            c.close()


if __name__ == "__main__":
    unittest.main()
