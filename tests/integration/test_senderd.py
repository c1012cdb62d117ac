"""End-to-end tests of senderd: a real pillarboxd running smtpd and senderd
with its embedded PostgreSQL. Mail for remote recipients goes in through
smtpd (smtplib) and out to SMTP servers started by the test (smtp_peer):
through a smart host that requires STARTTLS and AUTH, or directly to MX hosts
that a dnsmasq on loopback names. What the queue recorded is read with psql;
delivery reports are read from the sender's INBOX."""

import email
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import time
import unittest

from harness import Server, free_port, run_cli, wait_for
from smtp_peer import SmtpPeer

DOMAIN = "mail.test.example"


def message(subject, to, sender=f"joe@{DOMAIN}", body="Going out.\r\n"):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@{DOMAIN}>\r\n\r\n{body}")


class Dnsmasq:
    """A DNS server on 127.0.0.1 at a free port, for the MX tests."""

    def __init__(self, records):
        self.bin = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen(
                [self.bin, "--no-daemon", f"--port={self.port}", "--listen-address=127.0.0.1", "--bind-interfaces",
                 "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--user=root",
                 "--local=/test.example/"] + records,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(0.3)
            if self.proc.poll() is None:
                return
        raise AssertionError("dnsmasq did not start: " + self.proc.stderr.read().decode())

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


class SenderdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(daemons=("smtpd", "senderd"))
        cls.relay = SmtpPeer(name="relay.test", tls=True, require_tls=True, auth=("relayuser", "relay-pass-1"))
        cls.mx = SmtpPeer(name="mx.test", dsn=False)
        cls.dns = Dnsmasq([
            "--mx-host=direct.test.example,dead.test.example,10",
            "--mx-host=direct.test.example,live.test.example,20",
            "--host-record=dead.test.example,127.0.0.2",
            "--host-record=live.test.example,127.0.0.1",
            "--mx-host=nomail.test.example,.,0",
            "--host-record=plain.test.example,127.0.0.1",
        ])
        try:
            cls.server.start()
            s = cls.server
            s.configure("account", "add", "joe", "--password-stdin", stdin="joe-secret-1\n")
            s.configure("setting", "set", "sender.retry_interval", "1")
            s.configure("setting", "set", "sender.mx_port", str(cls.mx.port))
            s.configure("setting", "set", "sender.dns_servers", f'"127.0.0.1:{cls.dns.port}"')
            s.configure("route", "add", "direct", "--mx", "--domain", "*.test.example")
            s.configure("route", "add", "smarthost", "--relay", f"127.0.0.1:{cls.relay.port}", "--tls", "starttls",
                        "--auth-user", "relayuser", "--password-stdin", stdin="relay-pass-1\n")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        for peer in (cls.relay, cls.mx):
            peer.close()
        cls.dns.close()

    # --- helpers -----------------------------------------------------------
    def send(self, subject, to, sender=f"joe@{DOMAIN}"):
        with smtplib.SMTP("127.0.0.1", self.server.ports["smtp"], timeout=10) as c:
            c.sendmail(sender, [to], message(subject, to, sender))

    def sql(self, query):
        return self.server.psql(query)

    def recipient_state(self, address):
        return self.sql(f"SELECT status FROM queue_recipients WHERE address = '{address}' ORDER BY id DESC LIMIT 1")

    def attempts(self, address):
        rows = self.sql("SELECT a.outcome || '|' || a.reply FROM queue_attempts a "
                        "JOIN queue_recipients r ON r.id = a.recipient_id "
                        f"WHERE r.address = '{address}' ORDER BY a.id")
        return [r.split("|", 1) for r in rows.splitlines() if r]

    def report_for(self, address):
        """The raw delivery report in joe's INBOX that names `address`."""
        hexed = self.sql("SELECT encode(b.raw, 'hex') FROM mailbox_messages mm JOIN bodies b ON b.id = mm.body_id "
                         "JOIN mailboxes m ON m.id = mm.mailbox_id JOIN accounts a ON a.id = m.account_id "
                         f"WHERE a.name = 'joe' AND position('{address}' in convert_from(b.raw, 'UTF8')) > 0 "
                         "AND b.subject <> '' AND convert_from(b.raw, 'UTF8') LIKE '%multipart/report%' LIMIT 1")
        return bytes.fromhex(hexed) if hexed else None

    # --- relay -------------------------------------------------------------
    def test_relay_through_smart_host_with_starttls_and_auth(self):
        self.send("via relay", "friend@remote.example")
        wait_for(lambda: self.relay.messages_for("friend@remote.example"), 20, "the relay to get the message")
        got = self.relay.messages_for("friend@remote.example")[0]
        self.assertTrue(got.tls)
        self.assertEqual(got.auth_user, "relayuser")
        self.assertEqual(got.mail_from, f"joe@{DOMAIN}")
        self.assertIn(b"Subject: via relay", got.data)
        self.assertIn(b"Received: from", got.data)
        wait_for(lambda: self.recipient_state("friend@remote.example") == "delivered", 10, "the queue to say so")
        [(outcome, reply)] = self.attempts("friend@remote.example")
        self.assertEqual(outcome, "delivered")
        self.assertIn("250 2.0.0 queued", reply)
        self.assertIn(DOMAIN, self.relay.helo)

    def test_one_connection_carries_messages_sent_one_after_another(self):
        before = self.relay.connections
        for i in range(3):
            self.send(f"reused {i}", f"reuse{i}@remote.example")
            wait_for(lambda: self.relay.messages_for(f"reuse{i}@remote.example"), 20, f"message {i} at the relay")
        # Each message was its own claim; the connection waited between them.
        self.assertEqual(self.relay.connections - before, 1)
        self.assertTrue(all(self.relay.messages_for(f"reuse{i}@remote.example")[0].tls for i in range(3)))

    def test_the_next_relay_takes_over_and_sender_routes_override(self):
        dead = free_port()  # nothing listens there
        s = self.server
        s.configure("route", "add", "failover", "--relay", f"127.0.0.1:{dead}", "--tls", "none",
                    "--sender", "sales@*", "--position", "1")
        s.configure("route", "relay", "add", "failover", f"127.0.0.1:{self.relay.port}", "--tls", "starttls",
                    "--auth-user", "relayuser", "--password-stdin", stdin="relay-pass-1\n")
        self.send("failing over", "client@remote.example", sender=f"sales@{DOMAIN}")
        wait_for(lambda: self.relay.messages_for("client@remote.example"), 30, "the second relay to get it")
        wait_for(lambda: self.recipient_state("client@remote.example") == "delivered", 10, "the record")
        self.assertEqual(self.relay.messages_for("client@remote.example")[0].mail_from, f"sales@{DOMAIN}")
        # One attempt: the dead relay was only a step within it.
        self.assertEqual([o for o, _ in self.attempts("client@remote.example")], ["delivered"])

    def test_temporary_failure_is_retried_then_delivered(self):
        self.relay.rcpt_rules["later@remote.example"] = ["451 4.3.0 mailbox busy, try later"]
        self.send("retried", "later@remote.example")
        wait_for(lambda: self.relay.messages_for("later@remote.example"), 30, "the retry to deliver")
        wait_for(lambda: self.recipient_state("later@remote.example") == "delivered", 10, "the queue to say so")
        outcomes = self.attempts("later@remote.example")
        self.assertEqual([o for o, _ in outcomes], ["deferred", "delivered"])
        self.assertIn("451 4.3.0 mailbox busy, try later", outcomes[0][1])
        self.assertIsNone(self.report_for("later@remote.example"))  # no delay report after seconds

    def test_permanent_failure_returns_a_report_to_the_local_sender(self):
        self.relay.rcpt_rules["nobody@remote.example"] = ["550 5.1.1 <nobody@remote.example>: no such user"]
        self.send("bounced", "nobody@remote.example")
        wait_for(lambda: self.report_for("nobody@remote.example"), 30, "a report in joe's INBOX")
        self.assertEqual(self.recipient_state("nobody@remote.example"), "failed")
        report = email.message_from_bytes(self.report_for("nobody@remote.example"))
        self.assertEqual(report.get_content_type(), "multipart/report")
        self.assertEqual(report.get_param("report-type"), "delivery-status")
        self.assertEqual(report["Subject"], "Undelivered Mail Returned to Sender")
        self.assertIn("MAILER-DAEMON@", report["From"])
        parts = report.get_payload()
        status = parts[1].as_string()
        self.assertIn("Final-Recipient: rfc822; nobody@remote.example", status)
        self.assertIn("Action: failed", status)
        self.assertIn("Status: 5.1.1", status)
        self.assertIn("550 5.1.1 <nobody@remote.example>: no such user", status)
        self.assertIn("Subject: bounced", parts[2].as_string())
        # The report went from the null sender and is not itself queued out.
        self.assertEqual(self.sql("SELECT count(*) FROM queue_messages WHERE sender = ''"), "0")

    def test_null_sender_mail_is_never_reported_on(self):
        self.relay.rcpt_rules["gone@remote.example"] = ["550 5.1.1 gone"]
        with smtplib.SMTP("127.0.0.1", self.server.ports["smtp"], timeout=10) as c:
            c.sendmail("<>", ["gone@remote.example"], message("from nobody", "gone@remote.example", "<>"))
        wait_for(lambda: self.recipient_state("gone@remote.example") == "failed", 30, "the failure")
        time.sleep(1)
        self.assertIsNone(self.report_for("gone@remote.example"))

    # --- direct by MX --------------------------------------------------------
    def test_direct_mx_tries_the_preferred_host_then_the_next(self):
        self.send("by mx", "someone@direct.test.example")
        wait_for(lambda: self.mx.messages_for("someone@direct.test.example"), 30, "the MX to get the message")
        wait_for(lambda: self.recipient_state("someone@direct.test.example") == "delivered", 10, "the record")
        [(outcome, reply)] = self.attempts("someone@direct.test.example")
        self.assertEqual(outcome, "delivered")
        self.assertEqual(self.sql("SELECT remote_mta FROM queue_recipients WHERE address = "
                                  "'someone@direct.test.example'"), "live.test.example")
        self.assertEqual(self.relay.messages_for("someone@direct.test.example"), [])

    def test_a_domain_without_mx_gets_mail_at_its_own_address(self):
        self.send("implicit mx", "someone@plain.test.example")
        wait_for(lambda: self.mx.messages_for("someone@plain.test.example"), 30, "the implicit MX to get it")
        wait_for(lambda: self.recipient_state("someone@plain.test.example") == "delivered", 10, "the record")
        self.assertEqual(self.sql("SELECT remote_mta FROM queue_recipients WHERE address = "
                                  "'someone@plain.test.example'"), "plain.test.example")

    def test_null_mx_and_unknown_domains_bounce_at_once(self):
        self.send("to null mx", "a@nomail.test.example")
        self.send("to nowhere", "b@nowhere.test.example")
        wait_for(lambda: self.report_for("a@nomail.test.example"), 30, "the null MX report")
        wait_for(lambda: self.report_for("b@nowhere.test.example"), 30, "the NXDOMAIN report")
        self.assertIn(b"Status: 5.1.10", self.report_for("a@nomail.test.example"))
        self.assertIn(b"Status: 5.1.2", self.report_for("b@nowhere.test.example"))
        self.assertEqual(self.attempts("a@nomail.test.example")[0][0], "failed")

    def test_success_report_when_the_mx_lacks_dsn(self):
        with smtplib.SMTP("127.0.0.1", self.server.ports["smtp"], timeout=10) as c:
            c.ehlo()
            c.sendmail(f"joe@{DOMAIN}", ["tell@direct.test.example"], message("tell me", "tell@direct.test.example"),
                       rcpt_options=["NOTIFY=SUCCESS,FAILURE"])
        wait_for(lambda: self.report_for("tell@direct.test.example"), 30, "the relayed report")
        self.assertEqual(self.recipient_state("tell@direct.test.example"), "relayed")
        self.assertIn(b"Action: relayed", self.report_for("tell@direct.test.example"))

    def test_sender_hears_of_a_delay_once_then_of_the_expiry(self):
        self.server.configure("setting", "set", "sender.delay_warning", "2")
        self.server.configure("setting", "set", "sender.max_age", "8")
        self.relay.rcpt_rules["stuck@remote.example"] = ["451 4.2.1 mailbox temporarily disabled"] * 1000
        self.send("stuck", "stuck@remote.example")
        wait_for(lambda: self.recipient_state("stuck@remote.example") == "failed", 40, "expiry")
        reports = self.sql("SELECT b.subject FROM mailbox_messages mm JOIN bodies b ON b.id = mm.body_id "
                           "WHERE position('stuck@remote.example' in convert_from(b.raw, 'UTF8')) > 0 "
                           "AND b.subject <> 'stuck' ORDER BY mm.uid").splitlines()
        self.assertEqual(reports, ["Delayed Mail (still being retried)", "Undelivered Mail Returned to Sender"])
        final = self.sql("SELECT convert_from(b.raw, 'UTF8') FROM mailbox_messages mm JOIN bodies b ON b.id = mm.body_id "
                         "WHERE b.subject = 'Undelivered Mail Returned to Sender' "
                         "AND position('stuck@remote.example' in convert_from(b.raw, 'UTF8')) > 0")
        self.assertIn("Action: failed", final)
        self.assertIn("Status: 4.2.1", final)
        outcomes = [o for o, _ in self.attempts("stuck@remote.example")]
        self.assertGreaterEqual(outcomes.count("deferred"), 2)
        self.assertEqual(outcomes[-1], "failed")
        self.assertTrue(all("451 4.2.1 mailbox temporarily disabled" in r for _, r in self.attempts("stuck@remote.example")))

    # --- queue -------------------------------------------------------------
    def test_held_messages_wait_until_released(self):
        self.relay.rcpt_rules["held@remote.example"] = ["451 4.3.0 not yet"]
        self.send("held one", "held@remote.example")
        wait_for(lambda: self.attempts("held@remote.example"), 20, "the first attempt")
        qid = self.sql("SELECT message_id FROM queue_recipients WHERE address = 'held@remote.example'")
        self.server.cli("queue", "hold", qid)
        time.sleep(3)  # several retry intervals
        self.assertEqual(len(self.attempts("held@remote.example")), 1)
        self.assertIn("held", self.server.cli("queue", "show", qid))
        self.assertIn(qid, self.server.cli("queue", "list").split())
        self.server.cli("queue", "release", qid)
        wait_for(lambda: self.recipient_state("held@remote.example") == "delivered", 20, "delivery after release")
        self.assertNotIn(qid, self.server.cli("queue", "list").split())  # finished
        self.assertIn(qid, self.server.cli("queue", "list", "--all").split())
        shown = self.server.cli("queue", "show", qid)
        self.assertIn("451 4.3.0 not yet", shown)
        self.assertIn("250 2.0.0 queued", shown)

    def test_queue_retry_and_delete(self):
        self.relay.rcpt_rules["later2@remote.example"] = ["451 4.3.0 not now"]
        self.server.configure("setting", "set", "sender.retry_interval", "3600")
        self.send("retry me", "later2@remote.example")
        wait_for(lambda: self.attempts("later2@remote.example"), 20, "the first attempt")
        qid = self.sql("SELECT message_id FROM queue_recipients WHERE address = 'later2@remote.example'")
        self.server.cli("queue", "retry", qid)
        wait_for(lambda: self.recipient_state("later2@remote.example") == "delivered", 20, "the retry")
        self.relay.rcpt_rules["never@remote.example"] = ["451 4.3.0 never"] * 100
        self.send("delete me", "never@remote.example")
        wait_for(lambda: self.attempts("never@remote.example"), 20, "the first attempt")
        qid = self.sql("SELECT message_id FROM queue_recipients WHERE address = 'never@remote.example'")
        self.server.cli("queue", "delete", qid)
        self.assertEqual(self.sql(f"SELECT count(*) FROM queue_messages WHERE id = {qid}"), "0")
        out = run_cli(["queue", "show", qid], self.server.config)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"no queued message {qid}", out.stderr)

    def test_kill_9_mid_delivery_is_recovered(self):
        self.relay.data_delay = 4
        stalled = self.relay.stalled
        self.send("killed mid data", "steady@remote.example")
        wait_for(lambda: self.relay.stalled > stalled, 20, "senderd to be in DATA")
        [pid] = self.server.daemon_pids("senderd")
        os.kill(pid, signal.SIGKILL)
        self.relay.data_delay = 0
        wait_for(lambda: self.server.daemon_pids("senderd") and self.server.daemon_pids("senderd") != [pid], 20,
                 "the master to restart senderd")
        wait_for(lambda: self.recipient_state("steady@remote.example") == "delivered", 30, "recovery")
        self.assertGreaterEqual(len(self.relay.messages_for("steady@remote.example")), 1)
        self.assertEqual(self.sql("SELECT attempts FROM queue_recipients WHERE address = 'steady@remote.example'"),
                         "2")


class TwoSendersTest(unittest.TestCase):
    """Two senderd processes (two nodes) on one queue: every message once."""

    @classmethod
    def setUpClass(cls):
        cls.a = Server(daemons=("smtpd", "senderd"))
        cls.b = None
        cls.peer = SmtpPeer(name="sink.test")
        try:
            cls.a.start()
            cls.a.configure("route", "add", "sink", "--relay", f"127.0.0.1:{cls.peer.port}", "--tls", "none")
            cls.b = Server(daemons=("senderd",), database=cls.a.conninfo())
            cls.b.start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.b:
            cls.b.cleanup()
        cls.a.cleanup()
        cls.peer.close()

    def test_every_message_is_delivered_exactly_once(self):
        count = 40
        with smtplib.SMTP("127.0.0.1", self.a.ports["smtp"], timeout=10) as c:
            for i in range(count):
                to = f"user{i}@far.example"
                c.sendmail(f"someone@{DOMAIN}", [to], message(f"once {i}", to, f"someone@{DOMAIN}"))
        wait_for(lambda: len(self.peer.accepted) >= count, 60, "every message at the sink")
        time.sleep(1)  # a duplicate would arrive now
        ids = sorted(m.data.split(b"Message-ID: ")[1].split(b"\r\n")[0] for m in self.peer.accepted)
        self.assertEqual(len(ids), count)
        self.assertEqual(len(set(ids)), count)
        self.assertEqual(self.a.psql("SELECT count(*) FROM queue_recipients WHERE status = 'delivered'"), str(count))


if __name__ == "__main__":
    unittest.main()
