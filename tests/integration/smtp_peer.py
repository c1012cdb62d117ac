"""A small SMTP server for senderd's tests, on loopback in a thread: the far
side of a delivery (a smart host or an MX). It speaks ESMTP with PIPELINING,
8BITMIME, DSN and SIZE, can require STARTTLS (with a self-signed certificate
made by openssl) and AUTH PLAIN/LOGIN, answers RCPT and the final dot as the
test scripts, and keeps every accepted message with its envelope."""

import base64
import os
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
import time


def self_signed(directory):
    cert, key = os.path.join(directory, "peer.crt"), os.path.join(directory, "peer.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=relay.test"], check=True, capture_output=True)
    return cert, key


class Accepted:
    def __init__(self, mail_from, mail_params, rcpts, data, tls, auth_user):
        self.mail_from, self.mail_params, self.rcpts = mail_from, mail_params, rcpts
        self.data, self.tls, self.auth_user = data, tls, auth_user


class Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def setup(self):
        super().setup()
        self.tls = False

    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def line(self):
        raw = self.rfile.readline(65536)
        if not raw:
            raise EOFError
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def handle(self):
        peer = self.server.peer
        with peer.lock:
            peer.connections += 1
        try:
            self.session(peer)
        except (EOFError, OSError, ssl.SSLError):
            pass

    def session(self, peer):
        self.reply(f"220 {peer.name} ESMTP test peer")
        auth_user = None
        mail_from, mail_params, rcpts = None, "", []
        while True:
            cmd = self.line()
            verb = cmd.split(" ", 1)[0].upper()
            arg = cmd[len(verb):].strip()
            if verb in ("EHLO", "HELO"):
                peer.helo.append(arg)
                if verb == "HELO":
                    self.reply(f"250 {peer.name}")
                    continue
                caps = ["PIPELINING", "8BITMIME", "SIZE 10485760", "ENHANCEDSTATUSCODES"]
                if peer.dsn:
                    caps.append("DSN")
                if peer.cert and not self.tls:
                    caps.append("STARTTLS")
                if peer.auth and (self.tls or not peer.cert):
                    caps.append("AUTH PLAIN LOGIN")
                lines = [peer.name] + caps
                for l in lines[:-1]:
                    self.wfile.write(f"250-{l}\r\n".encode())
                self.reply(f"250 {lines[-1]}")
            elif verb == "STARTTLS" and peer.cert and not self.tls:
                self.reply("220 2.0.0 go ahead")
                ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                ctx.load_cert_chain(*peer.cert)
                self.request = ctx.wrap_socket(self.request, server_side=True)
                self.rfile = self.request.makefile("rb")
                self.wfile = self.request.makefile("wb")
                self.tls = True
            elif verb == "AUTH":
                auth_user = self.authenticate(peer, arg)
                if auth_user is None:
                    self.reply("535 5.7.8 authentication failed")
                else:
                    self.reply("235 2.7.0 authenticated")
            elif verb == "MAIL":
                if peer.cert and peer.require_tls and not self.tls:
                    self.reply("530 5.7.0 must issue STARTTLS first")
                    continue
                if peer.auth and auth_user is None:
                    self.reply("530 5.7.0 authentication required")
                    continue
                addr, _, params = arg[5:].partition(">")
                mail_from, mail_params, rcpts = addr.lstrip("<"), params.strip(), []
                self.reply("250 2.1.0 ok")
            elif verb == "RCPT":
                addr = arg[3:].split(">", 1)[0].lstrip("<")
                answer = peer.rcpt_answer(addr)
                if answer:
                    self.reply(answer)
                else:
                    rcpts.append(addr)
                    self.reply("250 2.1.5 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("554 5.5.1 no valid recipients")
                    continue
                self.reply("354 go ahead")
                data = []
                while True:
                    l = self.rfile.readline(1 << 20)
                    if not l:
                        raise EOFError
                    if l in (b".\r\n", b".\n"):
                        break
                    data.append(l[1:] if l.startswith(b"..") else l)
                if peer.data_delay:
                    with peer.lock:
                        peer.stalled += 1
                    time.sleep(peer.data_delay)
                answer = peer.data_answer(rcpts)
                if answer:
                    self.reply(answer)
                else:
                    with peer.lock:
                        peer.accepted.append(Accepted(mail_from, mail_params, list(rcpts), b"".join(data),
                                                      self.tls, auth_user))
                    self.reply("250 2.0.0 queued")
                mail_from, rcpts = None, []
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.reply("250 2.0.0 ok")
            elif verb == "NOOP":
                self.reply("250 2.0.0 ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 bye")
                return
            else:
                self.reply("502 5.5.2 command not recognised")

    def authenticate(self, peer, arg):
        mech, _, initial = arg.partition(" ")
        mech = mech.upper()
        if mech == "PLAIN":
            if not initial:
                self.reply("334 ")
                initial = self.line()
            parts = base64.b64decode(initial).split(b"\0")
            user, password = parts[1].decode(), parts[2].decode()
        elif mech == "LOGIN":
            self.reply("334 VXNlcm5hbWU6")
            user = base64.b64decode(self.line()).decode()
            self.reply("334 UGFzc3dvcmQ6")
            password = base64.b64decode(self.line()).decode()
        else:
            return None
        return user if (user, password) == peer.auth else None


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpPeer:
    """Starts at once on 127.0.0.1 (or `host`) at a free port (or `port`)."""

    def __init__(self, name="peer.test", host="127.0.0.1", port=0, tls=False, require_tls=False, auth=None,
                 dsn=True):
        self.name, self.dsn = name, dsn
        self.lock = threading.Lock()
        self.accepted, self.helo = [], []
        self.connections = self.stalled = 0
        self.data_delay = 0
        self.rcpt_rules = {}   # address -> list of replies to give in turn (then 250)
        self.data_rules = []   # replies to give to final dots in turn (then 250)
        self.auth = auth       # (user, password) required, or None
        self.require_tls = require_tls
        self.tmp = tempfile.mkdtemp(prefix="pbx-peer-")
        self.cert = self_signed(self.tmp) if tls else None
        self.server = Server((host, port), Handler)
        self.server.peer = self
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rcpt_answer(self, addr):
        with self.lock:
            replies = self.rcpt_rules.get(addr.lower())
            if replies:
                return replies.pop(0) if len(replies) > 1 or not replies[0].startswith("5") else replies[0]
        return None

    def data_answer(self, rcpts):
        with self.lock:
            return self.data_rules.pop(0) if self.data_rules else None

    def messages_for(self, address):
        with self.lock:
            return [m for m in self.accepted if address in m.rcpts]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
