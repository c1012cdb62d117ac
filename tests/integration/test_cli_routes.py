"""Integration tests of `pillarbox route ...`: the outgoing routes and their
relays, run as a subprocess against a real pillarboxd with its embedded
PostgreSQL. Checked: the exact output, JSON, exit status and the rows psql
sees; that an AUTH password is stored sealed (never in clear) and never
printed; validation and usage errors; and the evaluation order."""

import base64
import json
import unittest

from harness import Master, run_cli

SECRET = "Relay-Secret-42"


class RouteCliTest(unittest.TestCase):
    def setUp(self):
        self.master = Master()
        self.addCleanup(self.master.cleanup)
        self.master.start()
        self.master.psql("DELETE FROM outgoing_routes")

    def check(self, out, status, stderr=None, stdout=None):
        where = f"\nstdout: {out.stdout!r}\nstderr: {out.stderr!r}"
        self.assertEqual(out.returncode, status, "exit status" + where)
        if stderr is not None:
            self.assertEqual(out.stderr, stderr, where)
        if stdout is not None:
            self.assertEqual(out.stdout, stdout, where)
        return out

    def cli(self, *args, status=0, stdin="", stderr=None, stdout=None):
        out = run_cli(args, self.master.config, stdin)
        return self.check(out, status, "" if status == 0 and stderr is None else stderr, stdout)

    def cli_json(self, *args, stdin=""):
        return json.loads(self.cli("--json", *args, stdin=stdin).stdout)

    def fails(self, message, *args, stdin=""):
        """The command fails with exit status 1 and exactly this one line."""
        return self.cli(*args, status=1, stdin=stdin, stderr=f"pillarbox: {message}\n")

    def usage(self, command, message, usage_line, *args, stdin=""):
        """A usage error: exit status 2, the message and the usage line."""
        return self.cli(*args, status=2, stdin=stdin,
                        stderr=f"pillarbox: {command}: {message}\nusage: pillarbox {usage_line}\n")

    def sql(self, query):
        return self.master.psql(query)

    def order(self):
        return [(r["position"], r["name"]) for r in self.cli_json("route", "list")]

    # --- adding, and the password ----------------------------------------
    def test_relay_route_with_auth_stores_the_password_sealed_and_never_prints_it(self):
        out = self.cli("route", "add", "smarthost", "--relay", "smtp.example.net:587", "--auth-user", "joe@example.com",
                       "--password-stdin", stdin=SECRET + "\n")
        self.assertEqual(out.stdout, "added outgoing route 'smarthost' at position 1: through relay smtp.example.net:587\n")
        self.assertEqual(self.sql("SELECT name, position, sender_pattern, domain_pattern, method, enabled "
                                  "FROM outgoing_routes"), "smarthost|1|*|*|relay|t")
        row = self.sql("SELECT host, port, tls, auth_user FROM outgoing_relays")
        self.assertEqual(row, "smtp.example.net|587|starttls|joe@example.com", "AUTH defaults to required STARTTLS")

        sealed = self.sql("SELECT convert_from(auth_password, 'UTF8') FROM outgoing_relays")
        self.assertTrue(sealed.startswith("v1:"), sealed)
        raw = base64.b64decode(sealed[3:])
        self.assertEqual(len(raw), 12 + len(SECRET) + 16, "nonce, ciphertext and tag")
        self.assertNotIn(SECRET.encode(), raw)
        self.assertNotIn(SECRET, self.sql("SELECT encode(auth_password, 'escape') FROM outgoing_relays"))
        self.assertNotIn(SECRET, self.sql("SELECT encode(auth_password, 'hex') FROM outgoing_relays"))
        self.assertNotIn(SECRET, self.sql("SELECT * FROM outgoing_routes_overview"))

        # The same password sealed again differs (a fresh nonce each time).
        self.cli("route", "relay", "add", "smarthost", "backup.example.net:465", "--auth-user", "joe@example.com",
                 "--password-stdin", stdin=SECRET + "\n")
        second = self.sql("SELECT convert_from(auth_password, 'UTF8') FROM outgoing_relays WHERE position = 2")
        self.assertTrue(second.startswith("v1:"))
        self.assertNotEqual(sealed, second)

        shown = self.cli("route", "show", "SMARTHOST").stdout
        self.assertEqual(shown,
                         "route     smarthost\n"
                         "position  1\n"
                         "enabled   yes\n"
                         "sender    *\n"
                         "domain    *\n"
                         "method    relay (tried in order, the next when one fails)\n"
                         "relays    2\n"
                         "  1. smtp.example.net:587  tls starttls  auth: joe@example.com (password set)\n"
                         "  2. backup.example.net:465  tls implicit  auth: joe@example.com (password set)\n")
        doc = self.cli_json("route", "show", "smarthost")
        self.assertEqual(doc["relays"][0], {"position": 1, "host": "smtp.example.net", "port": 587, "tls": "starttls",
                                            "auth_user": "joe@example.com", "password_set": True})
        for text in (shown, json.dumps(doc), self.cli("route", "list").stdout, json.dumps(self.cli_json("route", "list"))):
            self.assertNotIn(SECRET, text)
            self.assertNotIn(sealed, text)
            self.assertNotIn(sealed[3:20], text)

    def test_relay_route_without_auth_and_an_mx_route(self):
        added = self.cli_json("route", "add", "smarthost", "--relay", "[2001:db8::25]", "--tls", "NONE",
                              "--domain", "*.example.org")
        self.assertEqual(added["relays"], [{"position": 1, "host": "2001:db8::25", "port": 25, "tls": "none",
                                            "auth_user": "", "password_set": False}])
        self.assertEqual((added["method"], added["domain_pattern"], added["enabled"]), ("relay", "*.example.org", True))
        self.assertEqual(self.sql("SELECT auth_user = '' AND auth_password IS NULL FROM outgoing_relays"), "t")
        self.cli("route", "add", "plain", "--relay", "mail.example.net",
                 stdout="added outgoing route 'plain' at position 2: through relay mail.example.net:25\n")
        self.assertEqual(self.sql("SELECT tls FROM outgoing_relays WHERE host = 'mail.example.net'"), "opportunistic")

        out = self.cli("route", "add", "direct", "--mx", "--disabled")
        self.assertEqual(out.stdout, "added outgoing route 'direct' at position 3: directly by MX\n"
                                     "note: direct delivery needs this server's host name to be a real FQDN with "
                                     "matching reverse DNS, or many receivers refuse the mail\n")
        self.assertEqual(self.sql("SELECT method, enabled FROM outgoing_routes WHERE name = 'direct'"), "mx|f")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_relays r JOIN outgoing_routes o ON o.id = r.route_id "
                                  "WHERE o.name = 'direct'"), "0")
        shown = self.cli("route", "show", "direct").stdout
        self.assertIn("method    mx (directly to each recipient domain's MX hosts)\n", shown)
        self.assertIn("enabled   no\n", shown)
        self.assertEqual(self.cli("route", "show", "smarthost").stdout.splitlines()[-1],
                         "  1. [2001:db8::25]:25  tls none  auth: none")

    # --- order -------------------------------------------------------------
    def test_routes_are_listed_and_checked_in_position_order(self):
        self.cli("route", "add", "smarthost", "--relay", "smtp.example.net")
        self.cli("route", "add", "direct", "--mx", "--domain", "partner.example")
        self.cli("route", "add", "sales", "--relay", "relay.sales.example.net:2525", "--sender", "*@sales.example.com",
                 "--position", "1", stdout="added outgoing route 'sales' at position 1: through relay "
                                           "relay.sales.example.net:2525\n")
        self.assertEqual(self.order(), [(1, "sales"), (2, "smarthost"), (3, "direct")])
        self.assertEqual(self.sql("SELECT string_agg(name, ',' ORDER BY position) FROM outgoing_routes"),
                         "sales,smarthost,direct")

        human = self.cli("route", "list").stdout.splitlines()
        self.assertEqual(human[0].split(), ["POS", "NAME", "ENABLED", "SENDER", "DOMAIN", "METHOD", "RELAYS"])
        self.assertEqual(human[1].split(), ["1", "sales", "yes", "*@sales.example.com", "*", "relay",
                                            "relay.sales.example.net:2525"])
        self.assertEqual(human[3].split(), ["3", "direct", "yes", "*", "partner.example", "mx", "-"])
        self.assertEqual(len(human), 4, "a catch-all route is enabled: no note")
        self.assertEqual(len({line.index(word) for line, word in zip(human, ["NAME", "sales", "smarthost"])}), 1)

        self.cli("route", "edit", "sales", "--position", "3", stdout="changed outgoing route 'sales'\n")
        self.assertEqual(self.order(), [(1, "smarthost"), (2, "direct"), (3, "sales")])
        self.cli("route", "edit", "direct", "--position", "1")
        self.assertEqual(self.order(), [(1, "direct"), (2, "smarthost"), (3, "sales")])
        self.fails("route edit: position 4 out of range 1-3", "route", "edit", "direct", "--position", "4")
        self.fails("route add: position 5 out of range 1-4", "route", "add", "late", "--mx", "--position", "5")

        self.cli("route", "del", "direct", stdout="deleted outgoing route 'direct'\n")
        self.assertEqual(self.order(), [(1, "smarthost"), (2, "sales")])
        self.assertEqual(self.cli_json("route", "del", "smarthost"), {"deleted": {"name": "smarthost"}})
        self.assertEqual(self.order(), [(1, "sales")])
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_relays"), "1", "relays go with their route")
        self.fails("route del: no outgoing route 'smarthost'", "route", "del", "smarthost")

    def test_the_listing_says_when_mail_is_not_sent(self):
        self.cli("route", "list", stdout="no outgoing routes: mail to remote recipients is not sent "
                                         "(add one with 'pillarbox route add')\n")
        self.assertEqual(self.cli_json("route", "list"), [])
        self.cli("route", "add", "sales", "--relay", "relay.example.net", "--sender", "*@sales.example.com")
        lines = self.cli("route", "list").stdout.splitlines()
        self.assertEqual(lines[-1], "note: no enabled route takes every sender and domain: mail that matches none is "
                                    "not sent")
        self.cli("route", "edit", "sales", "--disable", "--sender", "*")
        lines = self.cli("route", "list").stdout.splitlines()
        self.assertEqual(lines[1].split()[:3], ["1", "sales", "no"])
        self.assertEqual(lines[-1], "no enabled outgoing route: mail to remote recipients is not sent "
                                    "(add one with 'pillarbox route add')")
        self.cli("route", "edit", "sales", "--enable")
        self.assertEqual(len(self.cli("route", "list").stdout.splitlines()), 2)

    # --- edits ---------------------------------------------------------------
    def test_route_edit_changes_only_what_is_given(self):
        self.cli("route", "add", "smarthost", "--relay", "smtp.example.net")
        changed = self.cli_json("route", "edit", "SMARTHOST", "--sender", "*@example.com", "--domain", "*.example.org",
                                "--rename", "main")
        self.assertEqual((changed["name"], changed["sender_pattern"], changed["domain_pattern"], changed["enabled"]),
                         ("main", "*@example.com", "*.example.org", True))
        self.assertEqual(self.sql("SELECT name, sender_pattern, domain_pattern, enabled FROM outgoing_routes"),
                         "main|*@example.com|*.example.org|t")
        self.cli("route", "edit", "main", "--disable")
        self.assertEqual(self.sql("SELECT enabled, sender_pattern FROM outgoing_routes"), "f|*@example.com")
        self.cli("route", "add", "other", "--mx")
        self.fails("route edit: outgoing route 'Other' already exists", "route", "edit", "main", "--rename", "Other")
        self.fails("route edit: no outgoing route 'smarthost'", "route", "edit", "smarthost", "--enable")

    def test_relays_are_added_changed_and_deleted(self):
        self.cli("route", "add", "smarthost", "--relay", "a.example.net")
        self.cli("route", "relay", "add", "smarthost", "c.example.net:2525",
                 stdout="added relay c.example.net:2525 to outgoing route 'smarthost' at position 2\n")
        added = self.cli_json("route", "relay", "add", "smarthost", "b.example.net", "--position", "2")
        self.assertEqual((added["route"], added["position"], added["host"], added["port"], added["tls"]),
                         ("smarthost", 2, "b.example.net", 25, "opportunistic"))
        self.assertEqual(self.sql("SELECT string_agg(host || ':' || port, ',' ORDER BY position) FROM outgoing_relays"),
                         "a.example.net:25,b.example.net:25,c.example.net:2525")
        self.fails("route relay add: outgoing route 'smarthost' already has relay B.example.net:25",
                   "route", "relay", "add", "smarthost", "B.example.net")

        # AUTH on a relay whose TLS is opportunistic is refused before the password is read.
        self.fails("route relay edit: relay AUTH needs TLS starttls or implicit: with 'opportunistic' the password "
                   "could cross the network in clear", "route", "relay", "edit", "smarthost", "c.example.net",
                   "--auth-user", "joe", "--password-stdin", stdin=SECRET + "\n")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_relays WHERE auth_user <> ''"), "0")
        self.cli("route", "relay", "add", "smarthost", "a.example.net:2525")
        self.fails("route relay del: outgoing route 'smarthost' has 2 relays on a.example.net: give HOST:PORT or the "
                   "position", "route", "relay", "del", "smarthost", "a.example.net")
        self.cli("route", "relay", "del", "smarthost", "a.example.net:2525")
        self.cli("route", "relay", "del", "smarthost", "2")
        self.assertEqual(self.sql("SELECT string_agg(host || ':' || port, ',' ORDER BY position) FROM outgoing_relays"),
                         "a.example.net:25,c.example.net:2525")

    def test_relay_edit_and_delete(self):
        self.cli("route", "add", "smarthost", "--relay", "a.example.net")
        self.cli("route", "relay", "add", "smarthost", "b.example.net:587")
        out = self.cli("route", "relay", "edit", "smarthost", "b.example.net", "--tls", "starttls", "--auth-user", "joe",
                       "--password-stdin", stdin=SECRET + "\n")
        self.assertEqual(out.stdout, "changed relay b.example.net:587 of outgoing route 'smarthost': tls starttls, "
                                     "auth: joe (password set)\n")
        row = self.sql("SELECT tls, auth_user, convert_from(auth_password, 'UTF8') LIKE 'v1:%' FROM outgoing_relays "
                       "WHERE position = 2")
        self.assertEqual(row, "starttls|joe|t")
        self.fails("route relay edit: relay AUTH needs TLS starttls or implicit: with 'none' the password could cross "
                   "the network in clear", "route", "relay", "edit", "smarthost", "2", "--tls", "none")
        self.cli("route", "relay", "edit", "smarthost", "b.example.net:587", "--no-auth", "--tls", "none",
                 stdout="changed relay b.example.net:587 of outgoing route 'smarthost': tls none, auth: none\n")
        self.assertEqual(self.sql("SELECT auth_user = '' AND auth_password IS NULL FROM outgoing_relays "
                                  "WHERE position = 2"), "t")

        self.fails("route relay del: outgoing route 'smarthost' has no relay b.example.net:25",
                   "route", "relay", "del", "smarthost", "b.example.net:25")
        self.fails("route relay del: outgoing route 'smarthost' has no relay at position 3",
                   "route", "relay", "del", "smarthost", "3")
        self.cli("route", "relay", "del", "smarthost", "a.example.net",
                 stdout="deleted relay a.example.net:25 from outgoing route 'smarthost'\n")
        self.assertEqual(self.sql("SELECT host || ' ' || position FROM outgoing_relays"), "b.example.net 1")
        self.fails("route relay del: relay b.example.net:587 is the last relay of outgoing route 'smarthost': add "
                   "another first, or delete the route", "route", "relay", "del", "smarthost", "1")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_relays"), "1")

        self.cli("route", "add", "direct", "--mx")
        self.fails("route relay add: outgoing route 'direct' delivers by MX: it takes no relays",
                   "route", "relay", "add", "direct", "x.example.net", "--auth-user", "joe", "--password-stdin",
                   stdin=SECRET + "\n")
        self.fails("route relay add: no outgoing route 'nope'", "route", "relay", "add", "nope", "x.example.net")

    # --- errors --------------------------------------------------------------
    def test_validation_errors_name_the_field_and_change_nothing(self):
        self.fails("route add: invalid route name 'a b': use 1-64 letters, digits, '.', '_' or '-'",
                   "route", "add", "a b", "--mx")
        self.fails("route add: invalid sender pattern 'a b@example.com': use * (any sender), <> (the null sender) "
                   "or an address wildcard such as *@example.com", "route", "add", "r", "--mx", "--sender",
                   "a b@example.com")
        self.fails("route add: invalid domain pattern 'exa_mple.com': use * (any domain) or a domain wildcard such as "
                   "*.example.com", "route", "add", "r", "--mx", "--domain", "exa_mple.com")
        self.fails("route add: invalid relay host 'smtp_1.example.net': use a host name or an IP address",
                   "route", "add", "r", "--relay", "smtp_1.example.net")
        self.fails("route add: invalid relay port '70000' in 'smtp.example.net:70000': use 1-65535",
                   "route", "add", "r", "--relay", "smtp.example.net:70000")
        self.fails("route add: invalid relay TLS mode 'ssl': use none, starttls, opportunistic or implicit",
                   "route", "add", "r", "--relay", "smtp.example.net", "--tls", "ssl")
        self.fails("route add: relay AUTH needs TLS starttls or implicit: with 'opportunistic' the password could "
                   "cross the network in clear", "route", "add", "r", "--relay", "smtp.example.net", "--tls",
                   "opportunistic", "--auth-user", "joe", "--password-stdin", stdin=SECRET + "\n")
        self.fails("route add: no password on standard input", "route", "add", "r", "--relay", "smtp.example.net",
                   "--auth-user", "joe", "--password-stdin")
        self.fails("route add: invalid position 'first': use a number from 1", "route", "add", "r", "--mx",
                   "--position", "first")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_routes"), "0")

        self.cli("route", "add", "r", "--mx")
        self.fails("route add: outgoing route 'R' already exists", "route", "add", "R", "--relay", "smtp.example.net")
        self.fails("route show: no outgoing route 'nope'", "route", "show", "nope")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_relays"), "0")

    def test_usage_errors_exit_2(self):
        add = ("route add NAME (--relay HOST[:PORT] [--tls none|starttls|opportunistic|implicit] "
               "[--auth-user USER --password-stdin] | --mx) [--sender PATTERN] [--domain PATTERN] [--position N] "
               "[--disabled]")
        self.usage("route add", "give --relay HOST[:PORT] or --mx", add, "route", "add", "r")
        self.usage("route add", "give --relay or --mx, not both", add, "route", "add", "r", "--mx", "--relay", "a.example")
        self.usage("route add", "--tls, --auth-user and --password-stdin go with --relay", add,
                   "route", "add", "r", "--mx", "--tls", "none")
        self.usage("route add", "--auth-user needs --password-stdin", add,
                   "route", "add", "r", "--relay", "a.example", "--auth-user", "joe")
        self.usage("route add", "--password-stdin needs --auth-user", add,
                   "route", "add", "r", "--relay", "a.example", "--password-stdin", stdin="x\n")
        self.usage("route add", "missing NAME", add, "route", "add")
        edit = "route edit NAME [--sender PATTERN] [--domain PATTERN] [--position N] [--rename NEW] [--enable|--disable]"
        self.usage("route edit", "nothing to change: give --sender, --domain, --position, --rename, --enable or "
                   "--disable", edit, "route", "edit", "r")
        self.usage("route edit", "give --enable or --disable, not both", edit, "route", "edit", "r", "--enable",
                   "--disable")
        self.usage("route relay add", "missing HOST[:PORT]",
                   "route relay add NAME HOST[:PORT] [--tls MODE] [--auth-user USER --password-stdin] [--position N]",
                   "route", "relay", "add", "r")
        relay_edit = "route relay edit NAME RELAY [--tls MODE] [--auth-user USER --password-stdin | --no-auth]"
        self.usage("route relay edit", "nothing to change: give --tls, --auth-user with --password-stdin, or --no-auth",
                   relay_edit, "route", "relay", "edit", "r", "1")
        self.usage("route relay edit", "give --auth-user or --no-auth, not both", relay_edit,
                   "route", "relay", "edit", "r", "1", "--no-auth", "--auth-user", "joe", "--password-stdin")
        self.assertEqual(self.sql("SELECT count(*) FROM outgoing_routes"), "0")

    def test_psql_edits_are_held_to_the_same_rules(self):
        self.cli("route", "add", "smarthost", "--relay", "smtp.example.net")
        for sql in ("UPDATE outgoing_routes SET method = 'direct'",
                    "UPDATE outgoing_relays SET tls = 'ssl'",
                    "UPDATE outgoing_relays SET auth_user = 'joe'",
                    "UPDATE outgoing_relays SET port = 0"):
            with self.assertRaises(AssertionError, msg=sql):
                self.sql(sql)
        self.assertEqual(self.sql("SELECT position, name, method, relays FROM outgoing_routes_overview"),
                         "1|smarthost|relay|smtp.example.net:25 opportunistic")


if __name__ == "__main__":
    unittest.main()
