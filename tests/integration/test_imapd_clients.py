"""End-to-end tests of imapd with real clients beyond test_imapd.py: mbsync
(isync) syncing INBOX both ways against a local maildir, and a broad imaplib
suite with exact expectations for NAMESPACE, ENABLE, ID, QUOTA, EXAMINE,
CLOSE/UNSELECT, UID EXPUNGE, CONDSTORE/QRESYNC, SEARCH, APPEND, RENAME INBOX,
LIST/LSUB, STARTTLS, AUTHENTICATE, LOGOUT and the literal size limit. Mail
goes in through smtpd (smtplib), APPEND or mbsync; the store is read with psql."""

import datetime
import imaplib
import os
import re
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import unittest

from harness import Server, wait_for

DOMAIN = "mail.test.example"
PASSWORD = "joe-secret-1"

# imaplib refuses commands it does not know; RFC 2971 ID is allowed in every state.
imaplib.Commands.setdefault("ID", ("NONAUTH", "AUTH", "SELECTED", "LOGOUT"))


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(subject, body="Hello over IMAP.\r\n", headers=()):
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return (f"From: Sender <sender@example.net>\r\nTo: joe@{DOMAIN}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 09:30:00 +0000\r\n{extra}"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n\r\n{body}")


def imap_date(day):
    """A date as SEARCH wants it (RFC 3501 date: 1-Jan-2026), English month names."""
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{day.day}-{months[day.month - 1]}-{day.year}"


class ImapdClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(daemons=("smtpd", "imapd"))
        try:
            cls.server.start()
            cls.configure("account", "add", "joe", "--password-stdin", stdin=PASSWORD + "\n")
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

    def deliver(self, subject, body="Hello over IMAP.\r\n", headers=()):
        with smtplib.SMTP("127.0.0.1", self.port("smtp"), timeout=10) as c:
            c.sendmail("sender@example.net", [f"joe@{DOMAIN}"], message(subject, body, headers))

    def mailbox_sql(self, mailbox="INBOX"):
        return ("(SELECT b.id FROM mailboxes b JOIN accounts a ON a.id = b.account_id "
                f"WHERE a.name = 'joe' AND b.name = '{mailbox}')")

    def mailbox_state(self, mailbox="INBOX"):
        """(uidnext, highest_modseq) of one of joe's mailboxes."""
        row = self.sql(f"SELECT uidnext, highest_modseq FROM mailboxes WHERE id = {self.mailbox_sql(mailbox)}")
        uidnext, modseq = row.split("|")
        return int(uidnext), int(modseq)

    def entries(self, mailbox="INBOX"):
        """{uid: sorted flags} of what the store holds in one of joe's mailboxes."""
        rows = self.sql(f"SELECT uid, array_to_string(flags || keywords, ' ') FROM mailbox_messages "
                        f"WHERE mailbox_id = {self.mailbox_sql(mailbox)} ORDER BY uid")
        result = {}
        for row in filter(None, rows.splitlines()):
            uid, flags = row.split("|")
            result[int(uid)] = sorted(flags.split())
        return result

    def raw(self, uid, mailbox="INBOX"):
        return bytes.fromhex(self.sql(
            f"SELECT encode(b.raw, 'hex') FROM bodies b JOIN mailbox_messages mm ON mm.body_id = b.id "
            f"WHERE mm.mailbox_id = {self.mailbox_sql(mailbox)} AND mm.uid = {uid}"))

    def connect(self):
        m = imaplib.IMAP4("127.0.0.1", self.port("imap"), timeout=10)
        self.addCleanup(self.logout, m)
        return m

    def login(self):
        m = self.connect()
        m.login("joe", PASSWORD)
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

    def command(self, m, *args):
        """Sends one command; returns (tagged status, tagged text) and keeps the
        untagged responses in m.untagged_responses (cleared before sending)."""
        m.untagged_responses.clear()
        typ, data = m._simple_command(*args)
        return typ, data[0]

    @staticmethod
    def raw_command(m, text):
        """Sends TEXT under a fresh tag past imaplib's state checks; returns the tagged line."""
        tag = m._new_tag()
        m.send(tag + b" " + text.encode() + b"\r\n")
        while True:
            line = m.readline()
            if not line:
                raise ConnectionError("connection closed by the server")
            if line.startswith(tag + b" "):
                return line.rstrip(b"\r\n")

    @staticmethod
    def untagged(m, name):
        return m.untagged_responses.get(name, [])

    def search(self, m, *criteria, uid=False):
        typ, data = m.uid("SEARCH", *criteria) if uid else m.search(None, *criteria)
        self.assertEqual(typ, "OK", data)
        return (data[0] or b"").decode().split()

    def fetch_modseq(self, m, seq):
        typ, data = m.fetch(seq, "(MODSEQ)")
        self.assertEqual(typ, "OK", data)
        found = re.search(rb"MODSEQ \((\d+)\)", data[0])
        self.assertIsNotNone(found, data)
        return int(found.group(1))

    # --- mbsync --------------------------------------------------------------
    def mbsync_setup(self, starttls=False):
        """A temp dir with an mbsyncrc syncing joe's INBOX with a local maildir."""
        if shutil.which("mbsync") is None:
            self.fail("mbsync not found: install isync (packaging/install-deps.sh)")
        top = tempfile.mkdtemp(prefix="pbx-mbsync-", dir="/tmp")
        self.addCleanup(shutil.rmtree, top, True)
        self.maildir = os.path.join(top, "mail", "INBOX")
        os.mkdir(os.path.join(top, "mail"))
        tls = (f"SSLType STARTTLS\nCertificateFile {os.path.join(self.server.dir, 'tls', 'cert.pem')}\n"
               "SystemCertificates no\n") if starttls else "SSLType None\n"
        self.mbsyncrc = os.path.join(top, "mbsyncrc")
        with open(self.mbsyncrc, "w") as f:
            f.write(f"IMAPAccount pillarbox\nHost 127.0.0.1\nPort {self.port('imap')}\n"
                    f"User joe\nPass {PASSWORD}\n{tls}\n"
                    "IMAPStore remote\nAccount pillarbox\n\n"
                    f"MaildirStore local\nPath {os.path.join(top, 'mail')}/\nInbox {self.maildir}\n\n"
                    "Channel inbox\nFar :remote:INBOX\nNear :local:INBOX\n"
                    "Sync All\nCreate Both\nExpunge Both\nSyncState *\n")

    def mbsync(self):
        """Runs `mbsync -a` with network debugging; returns the IMAP commands it sent."""
        out = subprocess.run(["mbsync", "-c", self.mbsyncrc, "-Dn", "-a"], capture_output=True, text=True,
                             timeout=60)
        log = out.stdout + out.stderr
        self.assertEqual(out.returncode, 0, log)
        return [m.group(1) for m in re.finditer(r"^(?:\(\d+ in progress\) )?>>> \d+ (.*)$", log, re.M)]

    def local_files(self):
        """{path relative to the maildir: bytes} of every message file."""
        files = {}
        for sub in ("new", "cur"):
            d = os.path.join(self.maildir, sub)
            for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                with open(os.path.join(d, name), "rb") as f:
                    files[f"{sub}/{name}"] = f.read()
        return files

    def local_file_of(self, uid):
        """The maildir file mbsync tied to server UID (its name carries ,U=uid)."""
        found = [p for p in self.local_files() if re.search(rf",U={uid}(:|$)", p)]
        self.assertEqual(len(found), 1, (uid, list(self.local_files())))
        return found[0]

    def test_mbsync_pulls_delivered_messages_byte_identical(self):
        self.deliver("pull one", body="First line\r\n.dot line\r\n")
        self.deliver("pull two", body="x" * 3000 + "\r\n")
        self.mbsync_setup(starttls=True)
        commands = self.mbsync()
        self.assertTrue(any(c.startswith("STARTTLS") for c in commands), commands)
        files = self.local_files()
        self.assertEqual(len(files), 2, list(files))
        for uid in (1, 2):
            stored = self.raw(uid)
            # The store keeps CRLF; a maildir holds LF line ends, which mbsync
            # writes: the only difference allowed is that conversion.
            self.assertNotRegex(stored, rb"(?<!\r)\n")
            # mbsync also records its own X-TUID header in the copy it writes.
            local = re.sub(rb"\nX-TUID: [^\n]*\n\n", b"\n\n", files[self.local_file_of(uid)], count=1)
            self.assertEqual(local, stored.replace(b"\r\n", b"\n"))

    def test_mbsync_uploads_new_local_messages(self):
        self.mbsync_setup()
        self.mbsync()  # creates the maildir
        lf = b"From: me@example.net\nTo: joe@mail.test.example\nSubject: local lf\n\nline one\nline two\n"
        crlf = lf.replace(b"\n", b"\r\n").replace(b"local lf", b"local crlf")
        for name, data in (("1700000000.1.host", lf), ("1700000000.2.host", crlf)):
            with open(os.path.join(self.maildir, "new", name), "wb") as f:
                f.write(data)
        commands = self.mbsync()
        self.assertEqual(len([c for c in commands if c.startswith("APPEND")]), 2, commands)
        self.assertEqual(self.sql(f"SELECT count(*) FROM mailbox_messages WHERE mailbox_id = {self.mailbox_sql()}"),
                         "2")
        for data in (lf, crlf):
            subject = re.search(rb"Subject: ([^\r\n]+)", data).group(1).decode()
            uid = int(self.sql(f"SELECT mm.uid FROM mailbox_messages mm JOIN bodies b ON b.id = mm.body_id "
                               f"WHERE mm.mailbox_id = {self.mailbox_sql()} AND b.subject = '{subject}'"))
            stored = self.raw(uid)
            # mbsync adds its X-TUID header to what it uploads; apart from it
            # the server holds the local file with CRLF line ends.
            without_tuid = re.sub(rb"X-TUID: [^\r\n]*\r\n", b"", stored)
            self.assertEqual(without_tuid, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            self.local_file_of(uid)  # the local file now carries the server's UID

    def test_mbsync_pushes_local_flag_changes(self):
        self.deliver("flag me")
        self.deliver("leave me")
        self.mbsync_setup()
        self.mbsync()
        _, modseq_before = self.mailbox_state()
        path = self.local_file_of(1)
        name = os.path.basename(path)
        self.assertTrue(name.endswith(":2,"), name)
        os.rename(os.path.join(self.maildir, path), os.path.join(self.maildir, "cur", name + "S"))
        commands = self.mbsync()
        self.assertTrue(any(re.fullmatch(r"UID STORE 1 \+FLAGS(\.SILENT)? \(\\Seen\)", c) for c in commands),
                        commands)
        self.assertEqual(self.entries(), {1: ["\\Seen"], 2: []})
        _, modseq_after = self.mailbox_state()
        self.assertGreater(modseq_after, modseq_before)
        entry_modseq = int(self.sql(f"SELECT modseq FROM mailbox_messages WHERE mailbox_id = {self.mailbox_sql()} "
                                    "AND uid = 1"))
        self.assertEqual(entry_modseq, modseq_after)

    def test_mbsync_removes_messages_expunged_on_the_server(self):
        for subject in ("keep one", "expunge me", "keep two"):
            self.deliver(subject)
        self.mbsync_setup()
        self.mbsync()
        self.assertEqual(len(self.local_files()), 3)
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.uid("STORE", "2", "+FLAGS", "(\\Deleted)"))
        self.ok(m.expunge())
        self.mbsync()
        files = self.local_files()
        self.assertEqual(len(files), 2, list(files))
        self.assertFalse([p for p in files if ",U=2:" in p or p.endswith(",U=2")], list(files))
        self.local_file_of(1)
        self.local_file_of(3)
        self.assertEqual(sorted(self.entries()), [1, 3])

    def test_mbsync_second_run_has_nothing_to_do(self):
        self.deliver("steady one")
        self.deliver("steady two")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("2", "+FLAGS", "(\\Flagged)"))
        m.logout()
        self.mbsync_setup()
        self.mbsync()
        # Local changes of every kind, pushed by one run...
        with open(os.path.join(self.maildir, "new", "1700000000.3.host"), "wb") as f:
            f.write(b"From: me@example.net\nSubject: local\n\nlocal body\n")
        path = self.local_file_of(1)
        os.rename(os.path.join(self.maildir, path), os.path.join(self.maildir, "cur", os.path.basename(path) + "S"))
        pushed = self.mbsync()
        self.assertTrue(any(c.startswith("APPEND") for c in pushed), pushed)
        # ... and a run right after finds nothing to do: no UID is new on either
        # side, no APPEND, no STORE, no EXPUNGE, no body fetched, the maildir
        # is unchanged file for file and HIGHESTMODSEQ/UIDNEXT do not move.
        files, state, entries = self.local_files(), self.mailbox_state(), self.entries()
        again = self.mbsync()
        for command in again:
            self.assertFalse(re.match(r"(UID )?(APPEND|STORE|EXPUNGE|COPY|MOVE)\b", command), again)
            self.assertNotIn("BODY", command, again)
        self.assertEqual(self.local_files(), files)
        self.assertEqual(self.mailbox_state(), state)
        self.assertEqual(self.entries(), entries)
        self.assertEqual(entries, {1: ["\\Seen"], 2: ["\\Flagged"], 3: []})

    # --- session-level commands --------------------------------------------
    def test_namespace(self):
        m = self.login()
        self.assertEqual(self.ok(m.namespace()), [b'(("" "/")) NIL NIL'])

    def test_enable_condstore_and_qresync(self):
        m = self.login()
        typ, text = self.command(m, "ENABLE", "CONDSTORE", "QRESYNC")
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.untagged(m, "ENABLED"), [b"CONDSTORE QRESYNC"])
        # Enabling again lists nothing new (RFC 5161 §3.2).
        typ, text = self.command(m, "ENABLE", "QRESYNC")
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.untagged(m, "ENABLED"), [b""])
        self.deliver("enabled")
        self.ok(m.select("INBOX"))
        _, modseq = self.mailbox_state()
        self.assertEqual(self.untagged(m, "HIGHESTMODSEQ"), [str(modseq).encode()])
        typ, data = m.store("1", "+FLAGS", "(\\Flagged)")
        self.assertEqual(typ, "OK", data)
        self.assertRegex(data[0].decode(), r"^1 \(.*MODSEQ \(\d+\)")

    def test_id(self):
        m = self.login()
        typ, text = self.command(m, "ID", '("name" "imaplib" "version" "3")')
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.untagged(m, "ID"), [b'("name" "Pillarbox")'])
        typ, text = self.command(m, "ID", "NIL")
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.untagged(m, "ID"), [b'("name" "Pillarbox")'])

    def test_getquotaroot_and_getquota(self):
        self.configure(psql="UPDATE accounts SET quota_mb = 2 WHERE name = 'joe'")
        self.deliver("quota", body="q" * 5000 + "\r\n")
        used = int(self.sql("SELECT sum(size) FROM mailbox_messages mm JOIN mailboxes b ON b.id = mm.mailbox_id "
                            "JOIN accounts a ON a.id = b.account_id WHERE a.name = 'joe'"))
        kib = (used + 1023) // 1024
        m = self.login()
        typ, (roots, quotas) = m.getquotaroot("INBOX")
        self.assertEqual(typ, "OK")
        self.assertIn(roots, ([b'INBOX ""'], [b'"INBOX" ""']))
        self.assertEqual(quotas, [f'"" (STORAGE {kib} 2048)'.encode()])
        typ, quotas = m.getquota('""')
        self.assertEqual(typ, "OK")
        self.assertEqual(quotas, [f'"" (STORAGE {kib} 2048)'.encode()])

    def test_examine_is_read_only_and_fetch_does_not_set_seen(self):
        self.deliver("look only")
        m = self.login()
        typ, data = m.select("INBOX", readonly=True)
        self.assertEqual(typ, "OK", data)
        self.assertEqual(data, [b"1"])
        self.assertIn("READ-ONLY", m.untagged_responses)
        typ, data = m.fetch("1", "(BODY[])")
        self.assertEqual(typ, "OK", data)
        self.assertEqual(data[0][1], self.raw(1))
        self.assertNotIn(b"\\Seen", b" ".join(d if isinstance(d, bytes) else d[0] for d in data))
        typ, data = m.fetch("1", "(FLAGS)")
        self.assertEqual(data, [b"1 (FLAGS ())"])
        self.assertEqual(self.entries(), {1: []})
        typ, text = self.command(m, "STORE", "1", "+FLAGS", "(\\Seen)")
        self.assertEqual(typ, "NO", text)
        self.assertEqual(self.entries(), {1: []})

    def test_check(self):
        m = self.login()
        self.ok(m.select("INBOX"))
        typ, text = self.command(m, "CHECK")
        self.assertEqual((typ, text), ("OK", b"Check completed"))

    def test_close_expunges_deleted_silently(self):
        for subject in ("c1", "c2", "c3"):
            self.deliver(subject)
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("2", "+FLAGS", "(\\Deleted)"))
        typ, text = self.command(m, "CLOSE")
        self.assertEqual(typ, "OK", text)
        self.assertNotIn("EXPUNGE", m.untagged_responses)
        self.assertEqual(self.entries(), {1: [], 3: []})
        self.assertEqual(self.sql(f"SELECT uid FROM expunged_messages WHERE mailbox_id = {self.mailbox_sql()}"), "2")

    def test_close_after_examine_expunges_nothing(self):
        self.deliver("e1")
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("1", "+FLAGS", "(\\Deleted)"))
        self.ok(m.select("INBOX", readonly=True))
        typ, text = self.command(m, "CLOSE")
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.entries(), {1: ["\\Deleted"]})

    def test_unselect_does_not_expunge(self):
        for subject in ("u1", "u2"):
            self.deliver(subject)
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("1", "+FLAGS", "(\\Deleted)"))
        typ, text = self.command(m, "UNSELECT")
        self.assertEqual(typ, "OK", text)
        self.assertNotIn("EXPUNGE", m.untagged_responses)
        self.assertEqual(self.entries(), {1: ["\\Deleted"], 2: []})
        # Back in the authenticated state: commands that need a mailbox fail.
        typ, text = self.command(m, "FETCH", "1", "(FLAGS)")
        self.assertIn(typ, ("NO", "BAD"), text)

    def test_uid_expunge_only_within_the_set(self):
        for subject in ("x1", "x2", "x3", "x4"):
            self.deliver(subject)
        m = self.login()
        self.ok(m.select("INBOX"))
        self.ok(m.store("1:4", "+FLAGS", "(\\Deleted)"))
        m.untagged_responses.clear()
        typ, data = m.uid("EXPUNGE", "2:3")
        self.assertEqual(typ, "OK", data)
        # Two expunges, reported by sequence number at the time of each.
        self.assertIn(self.untagged(m, "EXPUNGE"), ([b"2", b"2"], [b"3", b"2"]))
        self.assertEqual(self.entries(), {1: ["\\Deleted"], 4: ["\\Deleted"]})
        typ, data = m.fetch("1:*", "(UID)")
        self.assertEqual(data, [b"1 (UID 1)", b"2 (UID 4)"])

    # --- CONDSTORE / QRESYNC -------------------------------------------------
    def test_store_unchangedsince_reports_modified(self):
        self.deliver("cs one")
        self.deliver("cs two")
        a, b = self.login(), self.login()
        self.ok(a.select("INBOX"))
        self.ok(b.select("INBOX"))
        before = {seq: self.fetch_modseq(a, seq) for seq in ("1", "2")}
        self.assertEqual(before["2"], int(self.sql(
            f"SELECT modseq FROM mailbox_messages WHERE mailbox_id = {self.mailbox_sql()} AND uid = 2")))
        unchanged_since = max(before.values())
        self.ok(b.store("1", "+FLAGS", "(\\Flagged)"))
        self.assertGreater(self.fetch_modseq(b, "1"), unchanged_since)
        typ, text = self.command(a, "STORE", "1:2", f"(UNCHANGEDSINCE {unchanged_since}) +FLAGS", "(\\Seen)")
        self.assertEqual(typ, "OK", text)
        self.assertRegex(text.decode(), r"^\[MODIFIED 1\] ")
        self.assertEqual(self.entries(), {1: ["\\Flagged"], 2: ["\\Seen"]})

    def test_select_qresync_reports_vanished_earlier(self):
        for subject in ("q1", "q2", "q3", "q4"):
            self.deliver(subject)
        uidvalidity = int(self.sql(f"SELECT uidvalidity FROM mailboxes WHERE id = {self.mailbox_sql()}"))
        _, modseq = self.mailbox_state()
        other = self.login()
        self.ok(other.select("INBOX"))
        self.ok(other.uid("STORE", "2:3", "+FLAGS", "(\\Deleted)"))
        self.ok(other.expunge())
        self.ok(other.uid("STORE", "4", "+FLAGS", "(\\Flagged)"))
        m = self.login()
        typ, text = self.command(m, "ENABLE", "QRESYNC")
        self.assertEqual(typ, "OK", text)
        typ, text = self.command(m, "SELECT", "INBOX", f"(QRESYNC ({uidvalidity} {modseq}))")
        self.assertEqual(typ, "OK", text)
        self.assertEqual(self.untagged(m, "VANISHED"), [b"(EARLIER) 2:3"])
        self.assertEqual(self.untagged(m, "EXISTS"), [b"2"])
        fetches = self.untagged(m, "FETCH")
        self.assertEqual(len(fetches), 1, fetches)
        self.assertRegex(fetches[0].decode(), r"^2 \(")
        self.assertIn(b"UID 4", fetches[0])
        self.assertIn(b"\\Flagged", fetches[0])
        self.assertRegex(fetches[0].decode(), r"MODSEQ \(\d+\)")

    # --- SEARCH ----------------------------------------------------------------
    def test_search_or_not_uid_larger_since_header(self):
        self.deliver("alpha report", body="short\r\n")
        self.deliver("beta notes", body="b" * 5000 + "\r\n")
        self.deliver("gamma", headers=(("X-Project", "pillarbox"),))
        self.deliver("delta", headers=(("X-Project", "other"),))
        m = self.login()
        self.ok(m.select("INBOX"))
        self.assertEqual(self.search(m, "OR", "SUBJECT", "alpha", "SUBJECT", "beta"), ["1", "2"])
        self.assertEqual(self.search(m, "NOT", "SUBJECT", "alpha"), ["2", "3", "4"])
        self.assertEqual(self.search(m, "UID", "2:3"), ["2", "3"])
        self.assertEqual(self.search(m, "UID", "2:*", "NOT", "UID", "4"), ["2", "3"])
        self.assertEqual(self.search(m, "UID", "3:*", uid=True), ["3", "4"])
        self.assertEqual(self.search(m, "LARGER", "3000"), ["2"])
        self.assertEqual(self.search(m, "SMALLER", "3000"), ["1", "3", "4"])
        today = datetime.date.today()
        self.assertEqual(self.search(m, "SINCE", imap_date(today - datetime.timedelta(days=2))), ["1", "2", "3", "4"])
        self.assertEqual(self.search(m, "SINCE", imap_date(today + datetime.timedelta(days=2))), [])
        self.assertEqual(self.search(m, "SENTON", "23-Nov-2026"), ["1", "2", "3", "4"])
        self.assertEqual(self.search(m, "HEADER", "X-Project", "pillarbox"), ["3"])
        self.assertEqual(self.search(m, "HEADER", "X-Project", '""'), ["3", "4"])
        self.assertEqual(self.search(m, "OR", "HEADER", "X-Project", "pillarbox", "LARGER", "3000"), ["2", "3"])
        self.assertEqual(self.search(m, "NOT", "OR", "LARGER", "3000", "HEADER", "X-Project", "other"), ["1", "3"])

    # --- APPEND ------------------------------------------------------------------
    def test_append_utf8_literal_with_date(self):
        raw = ("From: Jörg <joerg@example.net>\r\nTo: joe@mail.test.example\r\nSubject: Grüße aus Köln\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: 8bit\r\n\r\nSchöne Grüße — ünïcödé.\r\n").encode("utf-8")
        m = self.login()
        typ, data = m.append("INBOX", "(\\Seen)", '"05-Mar-2024 14:15:16 +0100"', raw)
        self.assertEqual(typ, "OK", data)
        self.assertRegex(data[0].decode(), r"^\[APPENDUID \d+ 1\] ")
        self.ok(m.select("INBOX"))
        typ, data = m.fetch("1", "(INTERNALDATE RFC822.SIZE FLAGS BODY.PEEK[])")
        self.assertEqual(typ, "OK", data)
        head = data[0][0]
        self.assertEqual(data[0][1], raw)
        self.assertIn(b"RFC822.SIZE %d" % len(raw), head)
        self.assertIn(b"\\Seen", head)
        date = re.search(rb'INTERNALDATE "([^"]+)"', head).group(1).decode()
        self.assertEqual(datetime.datetime.strptime(date.strip(), "%d-%b-%Y %H:%M:%S %z"),
                         datetime.datetime(2024, 3, 5, 13, 15, 16, tzinfo=datetime.timezone.utc))
        self.assertEqual(self.raw(1), raw)
        self.assertEqual(self.sql(f"SELECT subject FROM bodies b JOIN mailbox_messages mm ON mm.body_id = b.id "
                                  f"WHERE mm.mailbox_id = {self.mailbox_sql()}"), "Grüße aus Köln")
        m.literal = "Grüße".encode("utf-8")
        typ, data = m.search("UTF-8", "SUBJECT")
        self.assertEqual((typ, data), ("OK", [b"1"]))

    # --- mailboxes -----------------------------------------------------------------
    def test_rename_inbox_moves_messages_and_leaves_an_empty_inbox(self):
        self.deliver("old one")
        self.deliver("old two")
        m = self.login()
        self.ok(m.rename("INBOX", "Old-Inbox"))
        self.assertEqual(self.ok(m.select("Old-Inbox")), [b"2"])
        typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        self.assertEqual([d[1] for d in data if isinstance(d, tuple)],
                         [b"Subject: old one\r\n\r\n", b"Subject: old two\r\n\r\n"])
        self.assertEqual(self.ok(m.select("INBOX")), [b"0"])
        self.assertEqual(len(self.entries("Old-Inbox")), 2)
        self.assertEqual(self.entries("INBOX"), {})
        self.deliver("new one")
        self.assertEqual(len(self.entries("INBOX")), 1)
        self.assertEqual(len(self.entries("Old-Inbox")), 2)

    def list_names(self, data):
        """{name: attributes} from LIST/LSUB responses."""
        result = {}
        for line in data:
            if line is None:
                continue
            found = re.match(rb'^\(([^)]*)\) (?:"/"|NIL) (.*)$', line)
            self.assertIsNotNone(found, line)
            name = found.group(2).decode()
            if name.startswith('"'):
                name = name[1:-1]
            result[name] = sorted(found.group(1).decode().split())
        return result

    def test_list_with_percent_and_star_and_lsub(self):
        m = self.login()
        for name in ("Work", "Work/2026", "Work/2026/Q1"):
            self.ok(m.create(name))
        self.ok(m.subscribe("Work/2026"))
        defaults = ["INBOX", "Sent", "Drafts", "Trash", "Junk"]
        top = self.list_names(self.ok(m.list('""', "%")))
        self.assertEqual(sorted(top), sorted(defaults + ["Work"]))
        self.assertIn("\\HasChildren", top["Work"])
        self.assertIn("\\Sent", top["Sent"])
        everything = self.list_names(self.ok(m.list('""', "*")))
        self.assertEqual(sorted(everything), sorted(defaults + ["Work", "Work/2026", "Work/2026/Q1"]))
        self.assertIn("\\HasNoChildren", everything["Work/2026/Q1"])
        self.assertEqual(sorted(self.list_names(self.ok(m.list('""', "Work/%")))), ["Work/2026"])
        self.assertEqual(sorted(self.list_names(self.ok(m.list("Work/", "%")))), ["Work/2026"])
        self.assertEqual(sorted(self.list_names(self.ok(m.list('""', "Work*")))), ["Work", "Work/2026", "Work/2026/Q1"])
        # LIST "" "" gives the hierarchy delimiter (RFC 3501 §6.3.8).
        self.assertEqual(self.ok(m.list('""', '""')), [b'(\\Noselect) "/" ""'])
        subscribed = sorted(self.sql("SELECT s.name FROM subscriptions s JOIN accounts a ON a.id = s.account_id "
                                     "WHERE a.name = 'joe'").splitlines())
        self.assertIn("Work/2026", subscribed)
        self.assertEqual(sorted(self.list_names(self.ok(m.lsub('""', "*")))), subscribed)
        self.assertEqual(self.list_names(self.ok(m.lsub('""', "Work/*"))), {"Work/2026": []})
        # LSUB with %: the unsubscribed parent of a subscribed name is listed,
        # marked \Noselect (RFC 3501 §6.3.9).
        lsub_top = self.list_names(self.ok(m.lsub('""', "%")))
        self.assertEqual(lsub_top.get("Work"), ["\\Noselect"], lsub_top)
        self.assertNotIn("Work/2026", lsub_top)

    # --- authentication and connection -------------------------------------------
    def test_starttls_then_login(self):
        m = self.connect()
        self.assertIn("STARTTLS", m.capabilities)
        typ, data = m.starttls(ssl_context=tls_context())
        self.assertEqual(typ, "OK", data)
        self.assertIsInstance(m.sock, ssl.SSLSocket)
        self.assertNotIn("STARTTLS", m.capabilities)
        self.assertIn("AUTH=PLAIN", m.capabilities)
        typ, data = m.login("joe", PASSWORD)
        self.assertEqual(typ, "OK", data)
        self.deliver("over tls")
        self.assertEqual(self.ok(m.select("INBOX")), [b"1"])
        # A second STARTTLS on the protected, authenticated connection is refused
        # (RFC 3501 §6.2.1: not-authenticated state only) and the session goes on.
        self.assertRegex(self.raw_command(m, "STARTTLS"), rb"^\S+ (NO|BAD) ")
        self.ok(m.noop())

    def test_authenticate_plain(self):
        m = self.connect()
        typ, data = m.authenticate("PLAIN", lambda challenge: b"\0joe\0" + PASSWORD.encode())
        self.assertEqual(typ, "OK", data)
        self.assertEqual(m.state, "AUTH")
        self.ok(m.select("INBOX"))
        wrong = self.connect()
        with self.assertRaises(imaplib.IMAP4.error):
            wrong.authenticate("PLAIN", lambda challenge: b"\0joe\0not-the-password")
        self.assertEqual(self.sql("SELECT service, account, kind FROM security_events"), "imap|joe|login_failed")
        # The failed attempt leaves the connection usable for another try.
        typ, data = wrong.authenticate("PLAIN", lambda challenge: b"joe\0joe\0" + PASSWORD.encode())
        self.assertEqual(typ, "OK", data)

    def test_logout_sends_bye_then_ok_then_closes(self):
        with socket.create_connection(("127.0.0.1", self.port("imap")), timeout=10) as s:
            f = s.makefile("rb")
            self.assertTrue(f.readline().startswith(b"* OK "))
            s.sendall(b"a1 LOGIN joe " + PASSWORD.encode() + b"\r\n")
            self.assertTrue(f.readline().startswith(b"a1 OK"))
            s.sendall(b"a2 LOGOUT\r\n")
            self.assertTrue(f.readline().startswith(b"* BYE "))
            self.assertTrue(f.readline().startswith(b"a2 OK "))
            self.assertEqual(f.readline(), b"")
        m = self.login()
        typ, data = m.logout()
        self.assertEqual(typ, "BYE", data)

    def test_literal_over_the_message_size_limit_is_refused(self):
        self.configure("setting", "set", "smtp.max_message_size", "10000")
        big = message("too big", body="y" * 20000 + "\r\n").encode()
        m = self.login()
        typ, data = m.append("INBOX", None, None, big)
        self.assertEqual(typ, "NO", data)
        self.assertIn(b"[TOOBIG]", data[0])
        self.ok(m.noop())
        # On the wire: the synchronising literal is refused at once, without a
        # "+" continuation, and the connection stays usable.
        with socket.create_connection(("127.0.0.1", self.port("imap")), timeout=10) as s:
            f = s.makefile("rb")
            f.readline()
            s.sendall(b"a1 LOGIN joe " + PASSWORD.encode() + b"\r\n")
            self.assertTrue(f.readline().startswith(b"a1 OK"))
            s.sendall(b"a2 APPEND INBOX {%d}\r\n" % len(big))
            reply = f.readline()
            self.assertRegex(reply, rb"^a2 (NO|BAD) \[TOOBIG\] ")
            s.sendall(b"a3 NOOP\r\n")
            self.assertTrue(f.readline().startswith(b"a3 OK"))
        self.assertEqual(self.sql("SELECT count(*) FROM bodies WHERE subject = 'too big'"), "0")
        # A message under the limit is still accepted.
        self.assertEqual(m.append("INBOX", None, None, message("small enough").encode())[0], "OK")


if __name__ == "__main__":
    unittest.main()
