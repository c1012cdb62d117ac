#!/usr/bin/env python3
"""The comparison peer of the sending benchmark: a private Postfix (the
set-up of peer_postfix_dovecot.py: own configuration, queue and data
directories in a fresh temporary directory, nothing in /etc read or changed)
that has no local domain, relays for 127.0.0.0/8 (mynetworks) and sends
everything to `relayhost = [127.0.0.1]:PORT`, a private smtp-sink, without
TLS. smtp_load.py injects the load with remote recipients
(user1..user10@remote.example); the clock runs from its first connect until
the last message reaches the sink; then the sink's dump is checked for
duplicates and gaps, Postfix's log for one `status=sent` per recipient and
its queue for being empty. Everything else is Postfix's default, in
particular the delivery concurrency (initial_destination_concurrency 5,
default_destination_concurrency_limit 20, default_process_limit 100) and the
connection cache (smtp_connection_cache_on_demand = yes). Prints one JSON
line, stops everything, removes the directory. Needs root and the Debian
package postfix.

    sudo tests/bench/send_peer_postfix.py --messages 2000 --sessions 10
    sudo tests/bench/send_peer_postfix.py --serve         # manual poking
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import peer_postfix_dovecot  # noqa: E402

# The SMTP benchmark's services plus the SMTP client, as Debian's master.cf
# has it (without chroot, as there).
MASTER_CF = peer_postfix_dovecot.MASTER_CF + """\
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
"""

MAIN_CF = """\
# Private Postfix for the Pillarbox sending benchmark: no local domain,
# relaying for loopback clients, everything to the smtp-sink. Everything not
# set here is Postfix's default (queue file fsync before each 250, delivery
# concurrency, connection cache).
compatibility_level = 3.6
queue_directory = {root}/postfix/spool
data_directory = {root}/postfix/data
maillog_file = {root}/postfix/maillog
maillog_file_prefixes = {root}/postfix
myhostname = mx.peer.invalid
mydomain = peer.invalid
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
smtpd_banner = $myhostname ESMTP Postfix (benchmark peer)
biff = no
relayhost = [127.0.0.1]:{sink_port}
smtp_tls_security_level = none
"""

POSTQUEUE = "/usr/sbin/postqueue"


class RelayingPostfix(peer_postfix_dovecot.Postfix):
    def __init__(self, root, port, sink_port):
        super().__init__(root, port)
        self.sink_port = sink_port

    def main_cf(self):
        return MAIN_CF.format(root=self.root, sink_port=self.sink_port)

    def master_cf(self):
        return MASTER_CF.format(listen=f"127.0.0.1:{self.port}")

    def maillog(self):
        try:
            with open(os.path.join(self.root, "postfix", "maillog"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def sent(self):
        return len(re.findall(r" status=sent ", self.maillog()))

    def queued(self):
        """Messages still in Postfix's queue (postqueue -j: one JSON object each)."""
        out = subprocess.run([POSTQUEUE, "-c", self.etc, "-j"], capture_output=True, text=True, timeout=60)
        return sum(1 for line in out.stdout.splitlines() if line.startswith("{"))


def postfix_check(postfix, result, expected):
    """Waits (briefly: postlogd writes the log a moment later) for one
    status=sent per accepted recipient, then adds the log and queue counts."""
    try:
        benchlib.wait_for(lambda: postfix.sent() >= expected, 30, "Postfix's log to show the deliveries",
                          interval=0.2)
    except RuntimeError:
        pass
    sent, queued = postfix.sent(), postfix.queued()
    deferred = len(re.findall(r" status=deferred ", postfix.maillog()))
    result.update({"postfix_sent": sent, "postfix_deferred": deferred, "postfix_queued": queued,
                   "postfix_connections_reused": len(re.findall(r"postfix/smtp\[\d+\]: .* conn_use=",
                                                                postfix.maillog()))})
    result["queue_ok"] = sent == expected and queued == 0
    if not result["queue_ok"]:
        result["errors"].append(f"Postfix logged {sent} status=sent ({deferred} deferred) for {expected} "
                                f"accepted recipients; {queued} messages left in its queue")


def main():
    p = benchlib.send_common_options("Postfix relaying benchmark peer")
    args = p.parse_args()
    peer_postfix_dovecot.check_installed()
    benchlib.require_root("send_peer_postfix")
    benchlib.sigterm_as_interrupt()

    root = tempfile.mkdtemp(prefix="pbx-bench-send-pf-", dir="/tmp")
    os.chmod(root, 0o755)  # the postfix user and the sink's user must reach their parts
    sink = benchlib.SmtpSink(root)
    postfix = None
    status = 1
    try:
        sink.start()
        postfix = RelayingPostfix(root, benchlib.free_port(), sink.port)
        postfix.start()
        rcpt = f"{benchlib.SEND_USER_PREFIX}1@{benchlib.SEND_DOMAIN}"
        if not benchlib.smtp_accepts(postfix.port, rcpt):
            raise RuntimeError(f"Postfix refuses to relay to {rcpt}")
        if args.serve:
            benchlib.serve_until_interrupted(postfix.port, f", relaying to smtp-sink on 127.0.0.1:{sink.port}")
            return 0
        cpu0, sink0 = benchlib.process_cpu([postfix.master_pid]), benchlib.process_cpu([sink.proc.pid])
        result = benchlib.run_send_load(postfix.port, args, "Postfix")
        sink.wait(result["messages"], args.delivery_timeout, args.stall_seconds)
        cpu1, sink1 = benchlib.process_cpu([postfix.master_pid]), benchlib.process_cpu([sink.proc.pid])
        ok = benchlib.sink_check(result, sink)
        postfix_check(postfix, result, result["messages"] * args.rcpts_per_message)
        result.update({"server_cpu": benchlib.cpu_used(cpu0, cpu1),
                       "sink_cpu_seconds": benchlib.cpu_used(sink0, sink1)["total"],
                       "sink_sessions": sink.sessions_when_idle()})
        print(json.dumps(result), flush=True)
        status = 0 if ok and result["queue_ok"] and result["messages"] == args.messages else 1
    except KeyboardInterrupt:
        print("send_peer_postfix: interrupted", file=sys.stderr)
    except RuntimeError as e:
        print(f"send_peer_postfix: {e}", file=sys.stderr)
        if postfix is not None and postfix.maillog():
            print("--- postfix/maillog (last lines)\n" + "".join(postfix.maillog().splitlines(True)[-20:]),
                  file=sys.stderr)
    finally:
        if postfix is not None:
            postfix.stop()
        sink.stop()
        if args.keep:
            print(f"send_peer_postfix: kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
