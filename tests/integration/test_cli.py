"""Integration tests of the `pillarbox` admin CLI: a real pillarboxd with its
embedded PostgreSQL, the CLI run as a subprocess on the master's config, and
every command checked by its output, its JSON, its exit status and the rows
psql sees. Usage errors and an unreachable database need no master."""

import json
import os
import subprocess
import tempfile
import unittest

from harness import Master, need_env, run_cli


class CliCase(unittest.TestCase):
    def check(self, out, status, stderr=None, stdout=None):
        where = f"\nstdout: {out.stdout!r}\nstderr: {out.stderr!r}"
        self.assertEqual(out.returncode, status, "exit status" + where)
        if stderr is not None:
            self.assertEqual(out.stderr, stderr, where)
        if stdout is not None:
            self.assertEqual(out.stdout, stdout, where)
        return out


class CliWithServerTest(CliCase):
    def setUp(self):
        self.master = Master()
        self.addCleanup(self.master.cleanup)
        self.master.start()
        # What the first start created (administrator, domain, access rules,
        # its marker) is removed, so each test sees exactly what it adds.
        self.master.psql("DELETE FROM access_rules; DELETE FROM domains; DELETE FROM mappings; DELETE FROM accounts; "
                         "DELETE FROM settings WHERE key = 'setup.initialized'")

    def cli(self, *args, status=0, stdin="", stderr=None):
        out = run_cli(args, self.master.config, stdin)
        return self.check(out, status, "" if status == 0 and stderr is None else stderr)

    def cli_json(self, *args, stdin=""):
        return json.loads(self.cli("--json", *args, stdin=stdin).stdout)

    def fails(self, message, *args, stdin=""):
        """The command fails with exit status 1 and exactly this one line."""
        return self.cli(*args, status=1, stdin=stdin, stderr=f"pillarbox: {message}\n")

    def sql(self, query):
        return self.master.psql(query)

    # --- domains ---------------------------------------------------------
    def test_domain_add_list_del(self):
        out = self.cli("domain", "add", "example.com", "--comment", "main domain")
        self.assertEqual(out.stdout, "added local domain 'example.com'\n")
        added = self.cli_json("domain", "add", "*.partner.example", "--accepted")
        self.assertEqual(added["name"], "*.partner.example")
        self.assertEqual(added["kind"], "accepted")
        self.assertIsInstance(added["id"], int)
        self.assertEqual(self.sql("SELECT name, kind, comment FROM domains ORDER BY id"),
                         "example.com|local|main domain\n*.partner.example|accepted|")

        self.fails("domain add: local domain 'Example.COM' already exists", "domain", "add", "Example.COM")
        self.fails("domain add: invalid domain 'bad_domain': use labels of letters, digits or '-' joined by '.'",
                   "domain", "add", "bad_domain")
        self.fails("domain add: invalid domain '*.x.example': use labels of letters, digits or '-' joined by '.'",
                   "domain", "add", "*.x.example")

        listed = self.cli_json("domain", "list")
        self.assertEqual([(d["name"], d["kind"], d["comment"]) for d in listed],
                         [("example.com", "local", "main domain"), ("*.partner.example", "accepted", "")])
        human = self.cli("domain", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["NAME", "KIND", "COMMENT"])
        self.assertEqual(human[1].split(None, 2), ["example.com", "local", "main domain"])
        # Aligned columns: every KIND starts in the same place.
        self.assertEqual(len({line.index(word) for line, word in zip(human, ["KIND", "local", "accepted"])}), 1)

        self.fails("domain del: no local domain 'partner.example'", "domain", "del", "partner.example")
        self.fails("domain del: no local domain '*.partner.example'", "domain", "del", "*.partner.example")
        self.assertEqual(self.cli_json("domain", "del", "*.partner.example", "--accepted"),
                         {"deleted": {"name": "*.partner.example", "kind": "accepted"}})
        self.assertEqual(self.cli("domain", "del", "example.com").stdout, "deleted local domain 'example.com'\n")
        self.assertEqual(self.sql("SELECT count(*) FROM domains"), "0")
        self.assertEqual(self.cli_json("domain", "list"), [])

    # --- accounts --------------------------------------------------------
    def test_account_add_with_password_stores_an_argon2id_hash_and_the_mailboxes(self):
        out = self.cli("account", "add", "bob", "--password-stdin", "--comment", "Bob Smith",
                       stdin="s3cret-Pass\n")
        self.assertEqual(out.stdout, "added account 'bob' with mailboxes INBOX, Drafts, Junk, Sent, Trash\n")
        row = self.sql("SELECT password_hash, admin, enabled, comment FROM accounts WHERE name = 'bob'")
        hash_, admin, enabled, comment = row.split("|")
        self.assertTrue(hash_.startswith("$argon2id$v=19$"), hash_)
        self.assertNotIn("s3cret-Pass", hash_)
        self.assertEqual((admin, enabled, comment), ("f", "t", "Bob Smith"))
        boxes = self.sql("SELECT m.name || ':' || coalesce(m.special_use, '') FROM mailboxes m "
                         "JOIN accounts a ON a.id = m.account_id WHERE a.name = 'bob' ORDER BY m.name")
        self.assertEqual(boxes.splitlines(), ["Drafts:\\Drafts", "INBOX:", "Junk:\\Junk", "Sent:\\Sent",
                                              "Trash:\\Trash"])

        admin = self.cli_json("account", "add", "alice", "--admin", "--password-stdin", stdin="another-one")
        self.assertEqual((admin["name"], admin["admin"], admin["has_password"], admin["enabled"]),
                         ("alice", True, True, True))
        self.assertEqual(sorted(admin["mailboxes"]), ["Drafts", "INBOX", "Junk", "Sent", "Trash"])
        self.assertIsNone(admin["expires_at"])

        nopass = self.cli("account", "add", "carol")
        self.assertIn("no password set", nopass.stdout)
        self.assertEqual(self.sql("SELECT password_hash IS NULL FROM accounts WHERE name = 'carol'"), "t")

        listed = self.cli_json("account", "list")
        self.assertEqual([(a["name"], a["admin"], a["has_password"]) for a in listed],
                         [("alice", True, True), ("bob", False, True), ("carol", False, False)])
        human = self.cli("account", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["NAME", "ADMIN", "ENABLED", "PASSWORD", "EXPIRES", "COMMENT"])
        self.assertEqual(human[2].split(), ["bob", "no", "yes", "set", "-", "Bob", "Smith"])

        shown = self.cli_json("account", "show", "BOB")
        self.assertEqual(shown["name"], "bob")
        self.assertEqual([m["name"] for m in shown["mailboxes"]][0], "INBOX")
        self.assertIn("INBOX", self.cli("account", "show", "bob").stdout)

    def test_account_add_errors(self):
        self.fails("account add: invalid account name 'a b': use 1-32 letters, digits, '.', '_' or '-'",
                   "account", "add", "a b")
        self.fails("account add: invalid account name '" + "x" * 33 + "': use 1-32 letters, digits, '.', '_' or '-'",
                   "account", "add", "x" * 33)
        self.fails("account add: invalid account name 'a b': use 1-32 letters, digits, '.', '_' or '-'",
                   "account", "add", "a b", "--password-stdin", stdin="good-password\n")
        self.fails("account add: invalid password: use at least 5 characters and no spaces",
                   "account", "add", "bob", "--password-stdin", stdin="abcd\n")
        self.fails("account add: invalid password: use at least 5 characters and no spaces",
                   "account", "add", "bob", "--password-stdin", stdin="with space\n")
        self.fails("account add: no password on standard input", "account", "add", "bob", "--password-stdin")
        self.assertEqual(self.sql("SELECT count(*) FROM accounts"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM mailboxes"), "0")

        self.cli("account", "add", "bob")
        self.fails("account add: account 'Bob' already exists", "account", "add", "Bob")
        self.cli("list", "add", "sales", "--member", "bob")
        self.fails("account add: 'sales' is already the name of a list", "account", "add", "sales")
        self.fails("account add: comment must be one line", "account", "add", "dave", "--comment", "a\nb")
        self.assertEqual(self.sql("SELECT string_agg(name, ',') FROM accounts"), "bob")

    def test_account_passwd(self):
        self.cli("account", "add", "bob", "--password-stdin", stdin="first-pass\n")
        before = self.sql("SELECT password_hash FROM accounts WHERE name = 'bob'")
        out = self.cli("account", "passwd", "bob", stdin="second-pass\n")
        self.assertEqual(out.stdout, "changed the password of account 'bob'\n")
        after = self.sql("SELECT password_hash FROM accounts WHERE name = 'bob'")
        self.assertNotEqual(before, after)
        self.assertTrue(after.startswith("$argon2id$"), after)

        self.fails("account passwd: invalid password: use at least 5 characters and no spaces",
                   "account", "passwd", "bob", stdin="1234\n")
        self.fails("account passwd: invalid password: use at least 5 characters and no spaces",
                   "account", "passwd", "bob", stdin="has a space\n")
        self.fails("account passwd: no password on standard input", "account", "passwd", "bob")
        self.assertEqual(self.sql("SELECT password_hash FROM accounts WHERE name = 'bob'"), after)
        self.fails("account passwd: no account 'nobody'", "account", "passwd", "nobody", stdin="whatever\n")

        # The minimum length is the store's setting.
        self.cli("setting", "set", "auth.password_min_length", "12")
        self.fails("account passwd: invalid password: use at least 12 characters and no spaces",
                   "account", "passwd", "bob", stdin="only-eleven\n")
        self.assertEqual(self.cli_json("account", "passwd", "bob", stdin="twelve-chars\n"),
                         {"name": "bob", "password": "changed"})

    def test_account_del_refuses_an_account_with_messages(self):
        self.cli("account", "add", "carol")
        self.cli("account", "add", "empty")
        self.cli("mapping", "add", "c.jones", "carol")
        self.sql("WITH b AS (INSERT INTO bodies (sha256, size, raw) "
                 "VALUES (sha256('hello'::bytea), 5, 'hello'::bytea) RETURNING id) "
                 "INSERT INTO mailbox_messages (mailbox_id, uid, body_id, size, modseq) "
                 "SELECT m.id, 1, b.id, 5, 1 FROM mailboxes m JOIN accounts a ON a.id = m.account_id, b "
                 "WHERE a.name = 'carol' AND m.name = 'INBOX'")
        self.fails("account del: account 'carol' still holds 1 message; "
                   "add --delete-messages to delete them with the account", "account", "del", "carol")
        self.assertEqual(self.sql("SELECT count(*) FROM mailbox_messages"), "1")
        self.assertEqual(self.cli_json("account", "show", "carol")["mailboxes"][0]["messages"], 1)

        self.assertEqual(self.cli("account", "del", "empty").stdout, "deleted account 'empty'\n")
        self.assertEqual(self.cli_json("account", "del", "carol", "--delete-messages"),
                         {"deleted": {"name": "carol"}})
        self.assertEqual(self.sql("SELECT count(*) FROM accounts"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM mailboxes"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM mailbox_messages"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM mappings"), "0", "the account's aliases go with it")
        self.fails("account del: no account 'carol'", "account", "del", "carol")
        self.fails("account del: no account 'carol'", "account", "del", "carol", "--delete-messages")

    # --- mappings --------------------------------------------------------
    def test_mapping_add_list_del(self):
        self.cli("account", "add", "bob")
        first = self.cli_json("mapping", "add", "info", "bob", "--comment", "front desk")
        self.assertEqual((first["pattern"], first["type"], first["target"], first["comment"]),
                         ("info", "always", "bob", "front desk"))
        self.assertIsNone(first["collector_id"])
        out = self.cli("mapping", "add", "/^sales-.*@example\\.com$/i", "bob", "--type", "SMTP")
        self.assertRegex(out.stdout, r"^added mapping \d+: /\^sales-\.\*@example\\\.com\$/i -> bob \(smtp\)\n$")
        self.cli("mapping", "add", "*@old.example", "someone@elsewhere.example", "--type", "from")
        self.cli("mapping", "add", "spam*", "no-one", "--type", "pop3")

        self.fails("mapping add: unknown mapping target 'ghost': not an account, a list, an address, "
                   "'remote' or 'no-one'", "mapping", "add", "x", "ghost")
        self.fails("mapping add: mapping 'INFO' -> 'bob' already exists", "mapping", "add", "INFO", "bob")
        self.fails("mapping add: invalid mapping type 'sometimes': use always, smtp, pop3 or from",
                   "mapping", "add", "y", "bob", "--type", "sometimes")
        self.fails("mapping add: invalid mapping pattern 'a b': use an address, a local part, a wildcard (* ?), "
                   "~@domain or /regex/flags (i s m)", "mapping", "add", "a b", "bob")

        listed = self.cli_json("mapping", "list")
        self.assertEqual([(m["pattern"], m["type"], m["target"]) for m in listed],
                         [("info", "always", "bob"), ("/^sales-.*@example\\.com$/i", "smtp", "bob"),
                          ("*@old.example", "from", "someone@elsewhere.example"), ("spam*", "pop3", "no-one")])
        self.assertEqual(self.sql("SELECT pattern || ' ' || type || ' ' || target FROM mappings ORDER BY id"),
                         "info always bob\n/^sales-.*@example\\.com$/i smtp bob\n"
                         "*@old.example from someone@elsewhere.example\nspam* pop3 no-one")
        human = self.cli("mapping", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["ID", "PATTERN", "TYPE", "TARGET", "COLLECTOR", "COMMENT"])
        self.assertEqual(human[1].split(), [str(first["id"]), "info", "always", "bob", "-", "front", "desk"])

        self.assertEqual(self.cli("mapping", "del", str(first["id"])).stdout, f"deleted mapping {first['id']}\n")
        self.fails(f"mapping del: no mapping {first['id']}", "mapping", "del", str(first["id"]))
        self.fails("mapping del: invalid mapping id 'info': use the ID that 'pillarbox mapping list' shows",
                   "mapping", "del", "info")
        self.assertEqual(self.sql("SELECT count(*) FROM mappings"), "3")

    # --- lists -----------------------------------------------------------
    def test_list_add_members_and_del(self):
        self.cli("account", "add", "bob")
        self.cli("account", "add", "alice")
        created = self.cli_json("list", "add", "sales", "--member", "bob", "alice", "--internet",
                                "--member", "partner@remote.example", "--comment", "sales team")
        self.assertEqual(created["members"], ["bob", "alice", "partner@remote.example"])
        self.assertTrue(created["allow_internet"])
        out = self.cli("list", "add", "staff", "--member", "bob,alice")
        self.assertEqual(out.stdout, "added list 'staff' with 2 members\n")
        self.assertEqual(self.sql("SELECT name || ' ' || allow_internet FROM lists ORDER BY name"),
                         "sales true\nstaff false")
        self.assertEqual(self.sql("SELECT string_agg(address, ',' ORDER BY m.id) FROM list_members m "
                                  "JOIN lists l ON l.id = m.list_id WHERE l.name = 'sales'"),
                         "bob,alice,partner@remote.example")

        self.fails("list add: list 'Sales' already exists", "list", "add", "Sales", "--member", "bob")
        self.fails("list add: 'bob' is already the name of an account", "list", "add", "bob", "--member", "alice")
        self.fails("list add: invalid list name 'no way': use 1-32 letters, digits, '.', '_' or '-'",
                   "list", "add", "no way", "--member", "bob")

        self.assertEqual(self.cli("list", "member", "add", "staff", "x@remote.example").stdout,
                         "added 'x@remote.example' to list 'staff'\n")
        self.fails("list member add: 'X@remote.example' is already a member of list 'staff'",
                   "list", "member", "add", "staff", "X@remote.example")
        self.fails("list member add: no list 'ghost'", "list", "member", "add", "ghost", "bob")
        self.cli("list", "member", "del", "staff", "alice")
        self.fails("list member del: 'alice' is not a member of list 'staff'",
                   "list", "member", "del", "staff", "alice")

        listed = self.cli_json("list", "list")
        self.assertEqual([(l["name"], l["members"]) for l in listed],
                         [("sales", ["bob", "alice", "partner@remote.example"]),
                          ("staff", ["bob", "x@remote.example"])])
        human = self.cli("list", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["NAME", "INTERNET", "MEMBERS", "COMMENT"])
        self.assertTrue(human[2].startswith("staff"), human)
        self.assertIn("bob, x@remote.example", human[2])
        self.assertEqual(self.cli_json("list", "show", "staff")["members"], ["bob", "x@remote.example"])

        self.cli("mapping", "add", "team", "staff")
        self.assertEqual(self.cli_json("list", "del", "staff"), {"deleted": {"name": "staff"}})
        self.fails("list del: no list 'staff'", "list", "del", "staff")
        self.assertEqual(self.sql("SELECT count(*) FROM mappings"), "0", "the list's mappings go with it")
        self.assertEqual(self.sql("SELECT count(*) FROM lists"), "1")

    # --- access rules ----------------------------------------------------
    def test_access_add_list_del(self):
        self.cli("access", "add", "smtp", "allow", "127.0.0.1", "--no-auth", "--comment", "this host")
        self.cli("access", "add", "smtp", "deny", "any")
        rule = self.cli_json("access", "add", "smtp", "allow", "10.0.0.0/8", "--position", "2",
                             "--users", "bob,alice")
        self.assertEqual((rule["service"], rule["position"], rule["action"], rule["network"], rule["users"]),
                         ("smtp", 2, "allow", "10.0.0.0/8", ["bob", "alice"]))
        self.assertEqual(self.cli("access", "add", "IMAP", "allow", "2001:db8::/32", "--no-global").stdout,
                         "added imap rule 1: allow 2001:db8::/32\n")
        self.cli("access", "add", "global", "deny", "*")
        self.assertEqual(self.sql("SELECT service || ' ' || position || ' ' || action || ' ' || network || ' ' || "
                                  "array_to_string(users, ',') || ' ' || no_auth || ' ' || no_global "
                                  "FROM access_rules ORDER BY service, position"),
                         "global 1 deny any  false false\n"
                         "imap 1 allow 2001:db8::/32  false true\n"
                         "smtp 1 allow 127.0.0.1  true false\n"
                         "smtp 2 allow 10.0.0.0/8 bob,alice false false\n"
                         "smtp 3 deny any  false false")

        self.fails('access add: bad network "10.0.0.0/33": an IPv4 prefix must be 0..32',
                   "access", "add", "smtp", "allow", "10.0.0.0/33")
        self.fails('access add: bad network "10.1.2.3/8": host bits are set (the network is 10.0.0.0/8)',
                   "access", "add", "smtp", "allow", "10.1.2.3/8")
        self.fails("access add: rule 2: NOAUTH is only meaningful for smtp and submission, not imap",
                   "access", "add", "imap", "allow", "any", "--no-auth")
        self.fails("access add: rule 4: users can only be named on ALLOW rules",
                   "access", "add", "smtp", "deny", "192.0.2.1", "--users", "bob")
        self.fails("access add: NOGLOBAL belongs in a service list, not in the global list",
                   "access", "add", "global", "allow", "any", "--no-global")
        self.fails('access add: unknown service "mail" (expected global, smtp, submission, pop3, imap or admin)',
                   "access", "add", "mail", "allow", "any")
        self.fails('access add: unknown action "permit" (expected ALLOW or DENY)',
                   "access", "add", "smtp", "permit", "any")
        self.fails("access add: position 9 out of range 1-4", "access", "add", "smtp", "allow", "any",
                   "--position", "9")
        self.fails("access add: invalid position 'first': use a number from 1", "access", "add", "smtp", "allow",
                   "any", "--position", "first")
        self.assertEqual(self.sql("SELECT count(*) FROM access_rules"), "5")

        smtp = self.cli_json("access", "list", "smtp")
        self.assertEqual([(r["position"], r["network"]) for r in smtp],
                         [(1, "127.0.0.1"), (2, "10.0.0.0/8"), (3, "any")])
        self.assertEqual(len(self.cli_json("access", "list")), 5)
        human = self.cli("access", "list", "smtp").stdout.splitlines()
        self.assertEqual(human[0].split(), ["SERVICE", "POS", "ACTION", "NETWORK", "USERS", "FLAGS", "COMMENT"])
        self.assertEqual(human[1].split(), ["smtp", "1", "allow", "127.0.0.1", "-", "noauth", "this", "host"])

        self.assertEqual(self.cli("access", "del", "smtp", "1").stdout, "deleted smtp rule 1\n")
        self.assertEqual(self.sql("SELECT string_agg(position || '=' || network, ' ' ORDER BY position) "
                                  "FROM access_rules WHERE service = 'smtp'"), "1=10.0.0.0/8 2=any")
        self.fails("access del: no smtp access rule at position 7", "access", "del", "smtp", "7")
        self.fails("access del: invalid position 'x': use a number from 1", "access", "del", "smtp", "x")
        self.fails('access list: unknown service "web" (expected global, smtp, submission, pop3, imap or admin)',
                   "access", "list", "web")

    # --- settings --------------------------------------------------------
    def test_setting_get_set_list_del(self):
        self.assertEqual(self.cli("setting", "set", "smtp.require_auth", "true").stdout,
                         "smtp.require_auth = true\n")
        self.assertEqual(self.cli_json("setting", "set", "smtp.max_message_size", "10485760"),
                         {"key": "smtp.max_message_size", "value": 10485760})
        self.cli("setting", "set", "smtp.require_auth_local_exception", "false")
        self.cli("setting", "set", "route.catch_all_account", "postmaster")  # a bare word for a text setting
        self.cli("setting", "set", "custom.thing", '{"a": [1, 2]}')
        self.assertEqual(self.sql("SELECT key || '=' || value::text FROM settings ORDER BY key"),
                         'custom.thing={"a": [1, 2]}\nroute.catch_all_account="postmaster"\n'
                         "smtp.max_message_size=10485760\nsmtp.require_auth=true\n"
                         "smtp.require_auth_local_exception=false")
        self.assertEqual(self.sql("SELECT jsonb_typeof(value) FROM settings WHERE key = 'smtp.require_auth'"),
                         "boolean")

        self.assertEqual(self.cli("setting", "get", "smtp.require_auth").stdout, "true\n")
        self.assertEqual(self.cli_json("setting", "get", "custom.thing"),
                         {"key": "custom.thing", "value": {"a": [1, 2]}})
        listed = self.cli_json("setting", "list")
        self.assertEqual([s["key"] for s in listed], ["custom.thing", "route.catch_all_account",
                                                      "smtp.max_message_size", "smtp.require_auth",
                                                      "smtp.require_auth_local_exception"])
        self.assertEqual(listed[1]["value"], "postmaster")
        human = self.cli("setting", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["KEY", "VALUE"])
        self.assertEqual(human[4].split(), ["smtp.require_auth", "true"])

        self.fails("setting set: setting smtp.require_auth: use true or false",
                   "setting", "set", "smtp.require_auth", "yes")
        self.fails("setting set: setting smtp.max_message_size: use a whole number, 0 or more",
                   "setting", "set", "smtp.max_message_size", "-1")
        self.fails("setting set: setting smtp.max_message_size: use a whole number, 0 or more",
                   "setting", "set", "smtp.max_message_size", "10MB")
        self.assertEqual(self.cli_json("setting", "set", "route.catch_all_account", "42")["value"], "42")
        self.fails("setting set: setting custom.x: not valid JSON: {oops", "setting", "set", "custom.x", "{oops")
        self.fails("setting set: invalid setting name 'bad key': use letters, digits, '.', '_' or '-'",
                   "setting", "set", "bad key", "1")
        self.fails("setting get: setting smtp.foo is not set", "setting", "get", "smtp.foo")

        self.assertEqual(self.cli("setting", "del", "smtp.max_message_size").stdout,
                         "deleted setting smtp.max_message_size\n")
        self.fails("setting get: setting smtp.max_message_size is not set (the default is 20971520)",
                   "setting", "get", "smtp.max_message_size")
        self.fails("setting del: no setting smtp.max_message_size", "setting", "del", "smtp.max_message_size")
        self.assertEqual(self.sql("SELECT value::text FROM settings WHERE key = 'smtp.require_auth'"), "true")

    # --- forwarding and assistants ---------------------------------------
    def test_forward_and_assistant_set_show(self):
        self.cli("account", "add", "bob")
        shown = self.cli_json("forward", "show", "bob")
        self.assertEqual((shown["enabled"], shown["addresses"], shown["redirect"]), (False, [], False))

        out = self.cli("forward", "set", "bob", "--to", "bob@home.example; alice", "--redirect")
        self.assertEqual(out.stdout, "forwarding of bob: on, redirect (no local copy)\n"
                                     "addresses: bob@home.example; alice\nwindow: always\n")
        self.assertEqual(self.sql("SELECT kind || ' ' || array_to_string(addresses, ',') || ' ' || f.enabled || ' ' "
                                  "|| redirect FROM account_forwarding f JOIN accounts a ON a.id = f.account_id "
                                  "WHERE a.name = 'bob'"), "forward bob@home.example,alice true true")

        off = self.cli_json("forward", "set", "bob", "--off")
        self.assertEqual((off["enabled"], off["addresses"], off["redirect"]),
                         (False, ["bob@home.example", "alice"], True))
        self.assertEqual(self.cli_json("forward", "show", "bob")["enabled"], False)

        assistant = self.cli_json("assistant", "set", "bob", "--to", "carol@example.com")
        self.assertEqual((assistant["enabled"], assistant["addresses"], assistant["redirect"]),
                         (True, ["carol@example.com"], False))
        self.assertIn("assistants of bob: on, copy", self.cli("assistant", "show", "bob").stdout)
        self.assertEqual(self.sql("SELECT kind || ' ' || enabled FROM account_forwarding ORDER BY kind"),
                         "assistant true\nforward false")

        self.fails("forward set: no account 'ghost'", "forward", "set", "ghost", "--to", "x@example.com")
        self.fails("forward show: no account 'ghost'", "forward", "show", "ghost")
        self.fails("forward set: invalid forward address 'a b': use a local name or name@domain, without spaces",
                   "forward", "set", "bob", "--to", "a b")
        self.fails("assistant set: invalid assistant address 'x@': use a local name or name@domain, without spaces",
                   "assistant", "set", "bob", "--to", "x@")
        self.cli("forward", "set", "bob", status=2,
                 stderr="pillarbox: forward set: give --to ADDR[;ADDR...] or --off\n"
                        "usage: pillarbox forward set ACCOUNT --to ADDR[;ADDR...] [--redirect] [--off]\n")

    # --- global options --------------------------------------------------
    def test_data_dir_option_finds_the_config(self):
        out = run_cli(["--data-dir", self.master.dir, "--json", "domain", "add", "example.org"])
        self.check(out, 0, "")
        self.assertEqual(json.loads(out.stdout)["name"], "example.org")
        # Global options may also follow the command.
        out = run_cli(["domain", "list", "--json", "--data-dir", self.master.dir])
        self.assertEqual([d["name"] for d in json.loads(self.check(out, 0, "").stdout)], ["example.org"])


class CliWithoutServerTest(CliCase):
    """Usage errors (exit status 2) are found before any file or database is
    touched; a database that is not running is named in the error."""

    MISSING = "/nonexistent/pillarbox.conf"

    def usage(self, args, message, usage_line=None):
        out = run_cli(args, self.MISSING)
        expected = f"pillarbox: {message}\n" + (f"usage: pillarbox {usage_line}\n" if usage_line else "")
        return self.check(out, 2, expected, "")

    def test_usage_errors_exit_2(self):
        self.usage(["domain", "add"], "domain add: missing NAME", "domain add NAME [--accepted] [--comment TEXT]")
        self.usage(["domain", "add", "a.example", "b.example"], "domain add: unexpected argument 'b.example'",
                   "domain add NAME [--accepted] [--comment TEXT]")
        self.usage(["domain", "add", "a.example", "--frob"], "domain add: unknown option '--frob'",
                   "domain add NAME [--accepted] [--comment TEXT]")
        self.usage(["domain", "add", "a.example", "--comment"], "domain add: option '--comment' needs a value",
                   "domain add NAME [--accepted] [--comment TEXT]")
        self.usage(["domain", "list", "--accepted=yes"], "domain list: unknown option '--accepted'", "domain list")
        self.usage(["account", "add", "bob", "--admin=1"], "account add: option '--admin' takes no value",
                   "account add NAME [--password-stdin] [--admin] [--comment TEXT]")
        self.usage(["mapping", "add", "info"], "mapping add: missing TARGET",
                   "mapping add PATTERN TARGET [--type always|smtp|pop3|from] [--comment TEXT]")
        self.usage(["list", "member", "add", "sales"], "list member add: missing ADDR", "list member add NAME ADDR")
        self.usage(["list", "add", "sales", "--member"], "list add: option '--member' needs a value",
                   "list add NAME [--member ADDR...] [--internet] [--comment TEXT]")
        self.usage(["access", "add", "smtp", "allow"], "access add: missing NETWORK",
                   "access add SERVICE allow|deny NETWORK [--position N] [--users a,b] [--no-auth] [--no-global] "
                   "[--comment TEXT]")
        self.usage(["access", "del", "smtp"], "access del: missing POSITION", "access del SERVICE POSITION")
        self.usage(["setting", "set", "smtp.require_auth"], "setting set: missing JSON", "setting set KEY JSON")
        self.usage(["assistant", "show"], "assistant show: missing ACCOUNT", "assistant show ACCOUNT")

    def test_unknown_and_missing_commands_exit_2(self):
        out = self.check(run_cli(["frobnicate"], self.MISSING), 2, stdout="")
        self.assertEqual(out.stderr, "pillarbox: unknown command 'frobnicate' (see pillarbox --help)\n")
        out = self.check(run_cli(["domain", "rename", "a", "b"], self.MISSING), 2, stdout="")
        self.assertEqual(out.stderr.splitlines()[:2], ["pillarbox: domain: unknown command 'rename'", "usage:"])
        self.assertIn("  domain add NAME [--accepted] [--comment TEXT]", out.stderr.splitlines())
        out = self.check(run_cli(["list", "member"], self.MISSING), 2, stdout="")
        self.assertEqual(out.stderr.splitlines()[0], "pillarbox: list member: missing command")
        out = self.check(run_cli(["list", "member", "move", "a", "b"], self.MISSING), 2, stdout="")
        self.assertEqual(out.stderr.splitlines()[0], "pillarbox: list member: unknown command 'move'")
        out = self.check(run_cli(["account"], self.MISSING), 2, stdout="")
        self.assertEqual(out.stderr.splitlines()[0], "pillarbox: account: missing command")
        out = self.check(run_cli([], None), 2, stdout="")
        self.assertTrue(out.stderr.startswith("usage: pillarbox "), out.stderr)
        self.check(run_cli(["--config"]), 2, "pillarbox: usage: option '--config' needs a value\n", "")
        self.check(run_cli(["--config", "a", "--data-dir", "b", "domain", "list"]), 2,
                   "pillarbox: usage: give --config or --data-dir, not both\n", "")

    def test_help(self):
        out = self.check(run_cli(["--help"]), 0, "")
        for line in ["  domain add NAME [--accepted] [--comment TEXT]", "  account passwd NAME",
                     "  mapping del ID", "  list member del NAME ADDR", "  access list [SERVICE]",
                     "  setting list", "  forward show ACCOUNT", "  assistant set ACCOUNT --to ADDR[;ADDR...] "
                     "[--redirect] [--off]"]:
            self.assertIn(line, out.stdout.splitlines())
        out = self.check(run_cli(["account", "del", "--help"], self.MISSING), 0, "")
        self.assertTrue(out.stdout.startswith("usage: pillarbox account del NAME [--delete-messages]\n"), out.stdout)
        self.assertIn("unless --delete-messages is given", out.stdout)
        out = self.check(run_cli(["list", "--help"], self.MISSING), 0, "")
        self.assertIn("  list member add NAME ADDR", out.stdout.splitlines())

    def test_missing_config_file(self):
        self.check(run_cli(["domain", "list"], self.MISSING), 1,
                   f"pillarbox: domain list: cannot read config file {self.MISSING}: No such file or directory\n", "")

    def test_database_not_running(self):
        with tempfile.TemporaryDirectory(prefix="pbx-cli-") as d:
            config = os.path.join(d, "pillarbox.conf")
            with open(config, "w") as f:
                f.write('{"data_dir": "."}\n')
            out = self.check(run_cli(["account", "list"], config), 1, stdout="")
            prefix = f"pillarbox: account list: cannot connect to the database 'host={d}/run dbname=pillarbox " \
                     "user=pillarbox': "
            self.assertTrue(out.stderr.startswith(prefix), out.stderr)
            self.assertTrue(out.stderr.endswith(" (is pillarboxd running?)\n"), out.stderr)
            self.assertEqual(len(out.stderr.splitlines()), 1)

            # An external database: named, with its password hidden.
            with open(config, "w") as f:
                f.write('{"database": "postgresql://pbx:s3cret@127.0.0.1:1/pillarbox"}\n')
            out = self.check(run_cli(["--json", "domain", "list"], config), 1, stdout="")
            self.assertTrue(out.stderr.startswith("pillarbox: domain list: cannot connect to the database "
                                                  "'postgresql://pbx:***@127.0.0.1:1/pillarbox': "), out.stderr)
            self.assertNotIn("s3cret", out.stderr)


if __name__ == "__main__":
    unittest.main()
