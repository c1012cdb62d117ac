"""End-to-end tests of imapd: a real pillarboxd running smtpd and imapd with
its embedded PostgreSQL. Mail goes in through smtpd (smtplib) or APPEND and is
read and organised through Python's imaplib and curl; what the store holds is
read with psql."""

import os
import re
import signal
import smtplib
import socket
import ssl
import subprocess
import threading
import time
import unittest
import imaplib

from harness import Server, wait_for

DOMAIN = "mail.test.example"


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(subject, body="Hello over IMAP.\r\n", sender="Sender <sender@example.net>"):
    return (f"From: {sender}\r\nTo: joe@{DOMAIN}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 09:30:00 +0000\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n\r\n{body}")


class ImapdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(daemons=("smtpd", "imapd"))
        try:
            cls.server.start()
            cls.configure("account", "add", "joe", "--password-stdin", stdin="joe-secret-1\n")
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

    def deliver(self, subject, body="Hello over IMAP.\r\n", to="joe"):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.sendmail("sender@example.net", [f"{to}@{DOMAIN}"], message(subject, body))

    def stored(self, subject):
        return bytes.fromhex(self.sql(f"SELECT encode(raw, 'hex') FROM bodies WHERE subject = '{subject}'"))

    def login(self):
        m = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=10)
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

    # --- login and capabilities --------------------------------------------
    def test_capabilities_login_and_special_use_folders(self):
        m = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=10)
        for cap in ("IMAP4REV1", "IDLE", "UIDPLUS", "MOVE", "NAMESPACE", "SPECIAL-USE", "CONDSTORE", "QRESYNC",
                    "ENABLE", "ID", "SASL-IR", "UNSELECT", "CHILDREN", "QUOTA", "STARTTLS", "AUTH=PLAIN"):
            self.assertIn(cap, m.capabilities)
        with self.assertRaises(imaplib.IMAP4.error):
            m.login("joe", "wrong")
        m.login("joe", "joe-secret-1")
        self.addCleanup(self.logout, m)
        listing = b"\n".join(self.ok(m.list()))
        for line in (rb'\Sent', rb'\Drafts', rb'\Trash', rb'\Junk'):
            self.assertIn(line, listing)
        self.assertIn(b'"INBOX"', listing.replace(b" INBOX", b' "INBOX"'))
        self.assertEqual(self.sql("SELECT service, account, kind FROM security_events"), "imap|joe|login_failed")

    def test_logindisabled_without_tls_from_untrusted_networks(self):
        self.configure(psql="DELETE FROM access_rules WHERE service = 'imap'")
        m = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=10)
        self.assertIn("LOGINDISABLED", m.capabilities)
        m.starttls(ssl_context=tls_context())
        self.assertNotIn("LOGINDISABLED", m.capabilities)
        m.login("joe", "joe-secret-1")
        m.logout()
        s = imaplib.IMAP4_SSL("127.0.0.1", self.port("imaps"), ssl_context=tls_context(), timeout=10)
        s.login("joe", "joe-secret-1")
        s.logout()

    def test_denied_address_gets_bye(self):
        self.configure("access", "add", "imap", "deny", "127.0.0.6", "--position", "1")
        with socket.create_connection(("127.0.0.1", self.port("imap")), timeout=5,
                                      source_address=("127.0.0.6", 0)) as s:
            f = s.makefile("rb")
            self.assertEqual(f.readline(), b"* BYE Server access not allowed!\r\n")
            self.assertEqual(f.readline(), b"")

    # --- reading -----------------------------------------------------------
    def test_fetch_serves_stored_bytes_envelope_and_structure(self):
        self.deliver("fetch me", body="First line\r\n.dot line\r\n")
        m = self.login()
        data = self.ok(m.select("INBOX"))
        self.assertEqual(data, [b"1"])
        typ, fetched = m.uid("FETCH", "1", "(BODY.PEEK[] RFC822.SIZE ENVELOPE BODYSTRUCTURE FLAGS)")
        self.assertEqual(typ, "OK")
        head, body = fetched[0]
        # Items after the literal come in the next element.
        head = head + b"".join(x if isinstance(x, bytes) else x[0] for x in fetched[1:])
        self.assertEqual(body, self.stored("fetch me"))
        self.assertIn(b"RFC822.SIZE %d" % len(body), head)
        self.assertIn(b'"fetch me"', head)
        self.assertIn(b'("text" "plain"', head.lower())
        self.assertNotIn(b"\\Seen", head)
        typ, fetched = m.fetch("1", "(BODY[HEADER.FIELDS (SUBJECT)])")
        self.assertEqual(fetched[0][1], b"Subject: fetch me\r\n\r\n")
        typ, fetched = m.fetch("1", "(BODY[TEXT] FLAGS)")
        self.assertEqual(fetched[0][1], b"First line\r\n.dot line\r\n")
        typ, fetched = m.fetch("1", "(FLAGS)")
        self.assertIn(b"\\Seen", fetched[0])
        typ, fetched = m.fetch("1", "(BODY.PEEK[]<0.10>)")
        self.assertEqual(fetched[0][1], body[:10])

    def test_search_uses_the_stored_text(self):
        self.deliver("apples", body="We grow apples and pears.\r\n")
        self.deliver("oranges", body="Citrus only.\r\n")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.assertEqual(self.ok(m.search(None, "TEXT", "pears")), [b"1"])
        self.assertEqual(self.ok(m.search(None, "SUBJECT", "orange")), [b"2"])
        self.assertEqual(self.ok(m.search(None, "FROM", "sender@example.net")), [b"1 2"])
        self.assertEqual(self.ok(m.uid("SEARCH", "UNSEEN")), [b"1 2"])
        self.assertEqual(self.ok(m.search("UTF-8", "NOT", "SUBJECT", "apples")), [b"2"])

    # --- writing -----------------------------------------------------------
    def test_store_copy_move_expunge_and_append(self):
        self.deliver("one")
        self.deliver("two")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("1", "+FLAGS", "(\\Flagged $Important)"))
        typ, data = m.fetch("1", "(FLAGS)")
        self.assertIn(b"\\Flagged", data[0])
        self.assertIn(b"$Important", data[0])
        typ, data = m.uid("COPY", "1", "Trash")
        self.assertEqual(typ, "OK")
        # imaplib keeps the response code's arguments under its name.
        self.assertRegex(m.untagged_responses["COPYUID"][0].decode(), r"^\d+ 1 1$")
        typ, data = m._simple_command("UID", "MOVE", "2", "Junk")
        self.assertEqual(typ, "OK")
        self.assertEqual(self.sql("SELECT count(*) FROM mailbox_messages mm JOIN mailboxes b ON b.id = mm.mailbox_id "
                                  "WHERE b.name = 'Junk'"), "1")
        self.ok(m.store("1", "+FLAGS", "(\\Deleted)"))
        self.ok(m.expunge())
        self.assertEqual(self.ok(m.select("INBOX")), [b"0"])
        typ, data = m.append("Drafts", "(\\Draft)", imaplib.Time2Internaldate(time.time()),
                             message("a draft").encode())
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0].decode(), r"APPENDUID \d+ 1")
        self.assertEqual(self.ok(m.select("Drafts")), [b"1"])
        typ, data = m.fetch("1", "(FLAGS BODY.PEEK[])")
        self.assertIn(b"\\Draft", data[0][0])
        self.assertEqual(data[0][1], message("a draft").encode())

    def test_create_rename_delete_and_subscriptions(self):
        m = self.login()
        self.ok(m.create("Projects/2026"))
        self.ok(m.subscribe("Projects/2026"))
        self.assertIn(b"Projects/2026", b"\n".join(self.ok(m.lsub())))
        self.ok(m.rename("Projects", "Archive"))
        listing = b"\n".join(self.ok(m.list()))
        self.assertIn(b"Archive/2026", listing)
        self.assertNotIn(b"Projects", listing)
        self.ok(m.delete("Archive/2026"))
        typ, _ = m.delete("INBOX")
        self.assertEqual(typ, "NO")
        typ, data = m.status("INBOX", "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)")
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0].decode(), r"MESSAGES \d+ UIDNEXT \d+ UIDVALIDITY \d+ UNSEEN \d+")

    def test_status_counts(self):
        self.deliver("status one")
        self.deliver("status two")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("2", "+FLAGS", "(\\Deleted \\Seen)"))
        self.ok(m.unselect() if hasattr(m, "unselect") else m.close())
        typ, data = m.status("INBOX", "(MESSAGES UNSEEN DELETED SIZE)")
        self.assertEqual(typ, "OK")
        size = int(self.sql("SELECT sum(size) FROM mailbox_messages"))
        self.assertEqual(data[0].decode(), f'"INBOX" (MESSAGES 2 UNSEEN 1 DELETED 1 SIZE {size})'
                         if data[0].startswith(b'"') else f"INBOX (MESSAGES 2 UNSEEN 1 DELETED 1 SIZE {size})")

    # --- several sessions ----------------------------------------------------
    def test_two_sessions_see_each_others_changes(self):
        self.deliver("shared one")
        self.deliver("shared two")
        a = self.login()
        b = self.login()
        self.ok(a.select("INBOX"))
        self.ok(b.select("INBOX"))
        self.ok(a.store("1", "+FLAGS", "(\\Seen)"))
        self.ok(a.store("2", "+FLAGS", "(\\Deleted)"))
        self.ok(a.expunge())
        self.deliver("shared three")
        typ, _ = b.noop()
        self.assertEqual(typ, "OK")
        responses = b.untagged_responses
        self.assertIn("EXPUNGE", responses)
        self.assertEqual(responses["EXPUNGE"], [b"2"])
        self.assertIn("EXISTS", responses)
        # The NOOP's unsolicited FETCH (message 1 now \Seen) was kept by imaplib.
        self.assertIn("FETCH", responses)
        self.assertIn(b"\\Seen", b" ".join(responses["FETCH"]))
        b.untagged_responses.clear()
        typ, data = b.fetch("1:*", "(UID FLAGS)")
        lines = [d.decode() for d in data if d]
        self.assertEqual(len(lines), 2, lines)
        self.assertIn("\\Seen", lines[0])
        self.assertNotIn("\\Seen", lines[1])

    def test_idle_hears_new_mail_within_a_second(self):
        m = self.login()
        self.ok(m.select("INBOX"))
        tag = m._new_tag().decode()
        m.send(f"{tag} IDLE\r\n".encode())
        self.assertTrue(m.readline().startswith(b"+"))
        started = time.monotonic()
        self.deliver("wake up")
        line = m.readline()
        elapsed = time.monotonic() - started
        self.assertRegex(line.decode(), r"^\* \d+ EXISTS")
        self.assertLess(elapsed, 1.5)
        m.send(b"DONE\r\n")
        while True:
            line = m.readline()
            if line.startswith(tag.encode()):
                break
        self.assertIn(b"OK", line)

    def test_sessions_per_account_are_limited(self):
        self.configure("setting", "set", "imap.max_connections_per_account", "2")
        first, second = self.login(), self.login()
        third = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=10)
        with self.assertRaises(imaplib.IMAP4.error) as refused:
            third.login("joe", "joe-secret-1")
        self.assertIn("[LIMIT]", str(refused.exception))
        first.logout()
        wait_for(lambda: self.try_login(third), 10, "a free session slot")
        third.logout()

    @staticmethod
    def try_login(m):
        try:
            m.login("joe", "joe-secret-1")
            return True
        except imaplib.IMAP4.error:
            return False

    def test_literal_over_the_message_size_limit_is_refused(self):
        self.configure("setting", "set", "smtp.max_message_size", "10000")
        m = self.login()
        typ, data = m.append("INBOX", None, None, message("too big", body="x" * 20000 + "\r\n").encode())
        self.assertEqual(typ, "NO")
        self.assertIn(b"TOOBIG", data[0])
        self.assertEqual(self.sql("SELECT count(*) FROM bodies WHERE subject = 'too big'"), "0")

    # --- other clients -------------------------------------------------------
    def test_curl_imap_fetches_a_message(self):
        self.deliver("for curl")
        url = f"imap://127.0.0.1:{self.port('imap')}/INBOX;UID=1"
        out = subprocess.run(["curl", "-s", "-S", "--user", "joe:joe-secret-1", url], capture_output=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, self.stored("for curl"))

    def test_kill_9_loses_no_acknowledged_flags(self):
        self.deliver("durable")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("1", "+FLAGS", "(\\Answered)"))
        pids = self.server.daemon_pids("imapd")
        self.assertEqual(len(pids), 1)
        os.kill(pids[0], signal.SIGKILL)
        wait_for(lambda: self.server.daemon_pids("imapd") and self.server.daemon_pids("imapd") != pids, 10,
                 "a new imapd")
        def fresh():
            try:
                n = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=5)
                n.login("joe", "joe-secret-1")
                return n
            except (OSError, imaplib.IMAP4.error):
                return None
        n = wait_for(fresh, 10, "imapd to serve again")
        self.addCleanup(self.logout, n)
        self.ok(n.select("INBOX"))
        typ, data = n.fetch("1", "(FLAGS)")
        self.assertIn(b"\\Answered", data[0])


if __name__ == "__main__":
    unittest.main()
