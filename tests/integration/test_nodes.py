"""Two Pillarbox nodes on one database (DESIGN.md §5): node A runs smtpd and
imapd with the embedded PostgreSQL, node B runs its own imapd against A's
database. Sessions on the two imapd processes see each other's changes, and
an IDLE on node B hears mail that node A's smtpd accepted through the bus
bridge (NOTIFY pillarbox_bus), not the periodic re-check."""

import imaplib
import smtplib
import time
import unittest

from harness import Server, wait_for

DOMAIN = "mail.test.example"


def message(subject):
    return (f"From: sender@example.net\r\nTo: joe@{DOMAIN}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n\r\nAcross nodes.\r\n")


class TwoNodesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = Server(daemons=("smtpd", "imapd"))
        cls.b = None
        try:
            cls.a.start()
            cls.a.configure("account", "add", "joe", "--password-stdin", stdin="joe-secret-1\n")
            cls.b = Server(daemons=("imapd",), database=cls.a.conninfo())
            cls.b.start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.b:
            cls.b.cleanup()
        cls.a.cleanup()

    def deliver(self, subject):
        with smtplib.SMTP("127.0.0.1", self.a.ports["smtp"], timeout=10) as c:
            c.sendmail("sender@example.net", [f"joe@{DOMAIN}"], message(subject))

    def login(self, node):
        m = imaplib.IMAP4("127.0.0.1", node.ports["imap"], timeout=10)
        m.login("joe", "joe-secret-1")
        self.addCleanup(self.logout, m)
        return m

    @staticmethod
    def logout(m):
        try:
            m.logout()
        except (imaplib.IMAP4.error, OSError):
            pass

    def ok(self, result):
        typ, data = result
        self.assertEqual(typ, "OK", data)
        return data

    def test_nodes_share_one_database_and_separate_processes(self):
        self.assertEqual(self.b.postmaster_pid(), 0)  # B started no PostgreSQL of its own
        self.assertNotEqual(self.a.daemon_pids("imapd"), self.b.daemon_pids("imapd"))
        self.assertEqual(len(self.b.daemon_pids("imapd")), 1)

    def test_idle_on_one_node_hears_mail_accepted_by_the_other(self):
        m = self.login(self.b)
        self.ok(m.select("INBOX"))
        tag = m._new_tag().decode()
        m.send(f"{tag} IDLE\r\n".encode())
        self.assertTrue(m.readline().startswith(b"+"))
        started = time.monotonic()
        self.deliver("wake node b")
        line = m.readline()
        elapsed = time.monotonic() - started
        self.assertRegex(line.decode(), r"^\* \d+ EXISTS")
        # The re-check runs every 30 s: this came through the bridge.
        self.assertLess(elapsed, 1.5)
        m.send(b"DONE\r\n")
        while not (line := m.readline()).startswith(tag.encode()):
            pass
        self.assertIn(b"OK", line)

    def test_sessions_on_two_imapd_processes_stay_consistent(self):
        self.deliver("consistent one")
        self.deliver("consistent two")
        a = self.login(self.a)
        b = self.login(self.b)
        self.ok(a.select("INBOX"))
        self.ok(b.select("INBOX"))
        _, data = b.uid("SEARCH", None, "ALL")
        before = data[0].split()
        _, data = a.uid("SEARCH", None, "SUBJECT", '"consistent one"')
        one = data[0].split()[-1].decode()
        _, data = a.uid("SEARCH", None, "SUBJECT", '"consistent two"')
        two = data[0].split()[-1].decode()
        # B waits in IDLE on the other node while A flags one message and
        # expunges another; B hears both within a second or so.
        tag = b._new_tag().decode()
        b.send(f"{tag} IDLE\r\n".encode())
        self.assertTrue(b.readline().startswith(b"+"))
        started = time.monotonic()
        self.ok(a.uid("STORE", one, "+FLAGS", "(\\Flagged)"))
        self.ok(a.uid("STORE", two, "+FLAGS", "(\\Deleted)"))
        self.ok(a.expunge())
        heard = []
        while not (any(b"EXPUNGE" in l for l in heard) and any(b"\\Flagged" in l for l in heard)):
            heard.append(b.readline())
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 2.0, heard)
        b.send(b"DONE\r\n")
        while not (line := b.readline()).startswith(tag.encode()):
            heard.append(line)
        self.assertTrue(any(b"EXPUNGE" in l for l in heard), heard)
        self.assertTrue(any(b"FETCH" in l and b"\\Flagged" in l for l in heard), heard)

        # Sequence numbers and UIDs agree on both nodes afterwards.
        _, data_b = b.uid("SEARCH", None, "ALL")
        _, data_a = a.uid("SEARCH", None, "ALL")
        self.assertEqual(data_a, data_b)
        self.assertEqual(len(data_b[0].split()), len(before) - 1)
        self.assertNotIn(two.encode(), data_b[0].split())
        _, flagged = b.uid("SEARCH", None, "FLAGGED")
        self.assertIn(one.encode(), flagged[0].split())


if __name__ == "__main__":
    unittest.main()
