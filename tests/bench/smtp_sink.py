#!/usr/bin/env python3
"""A null SMTP server that accepts and discards everything at once, to measure
the ceiling of smtp_load.py itself: if the generator reaches far more messages
per second against this sink than against a real server, the generator is not
what limits the real figure. asyncio, standard library only; pipelining-safe
(replies are produced per command, in order). Not a mail server: no checks,
no storage, loopback only.

    python3 smtp_sink.py --port 2599            # serve until Ctrl-C
    python3 smtp_sink.py --selftest 20000 10    # sink + generator, print both
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


async def handle(reader, writer):
    writer.write(b"220 sink.bench.test ESMTP null sink\r\n")
    in_data = False
    try:
        while True:
            if in_data:
                # The whole message up to the final dot in one call (the
                # generator never sends a message starting with ".\r\n").
                await reader.readuntil(b"\r\n.\r\n")
                in_data = False
                writer.write(b"250 2.0.0 Ok: discarded\r\n")
                await writer.drain()
                continue
            line = await reader.readline()
            if not line:
                break
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250-sink.bench.test\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n"
                             b"250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n")
            elif verb == b"DATA":
                in_data = True
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                break
            else:
                writer.write(b"250 2.0.0 Ok\r\n")
            # Flush only when no more pipelined input is already buffered.
            if not reader._buffer:  # noqa: SLF001 - the cheap way to batch replies
                await writer.drain()
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def serve(port, ready_fd=None):
    server = await asyncio.start_server(handle, "127.0.0.1", port, limit=1 << 20)
    if ready_fd is not None:
        os.write(ready_fd, b"ready\n")
    async with server:
        await server.serve_forever()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def selftest(messages, sessions):
    """Runs the sink in a child process and the generator against it."""
    port = free_port()
    sink = subprocess.Popen([sys.executable, __file__, "--port", str(port)], stdout=subprocess.PIPE)
    try:
        assert sink.stdout.readline().strip() == b"ready", "sink did not start"
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, os.path.join(HERE, "smtp_load.py"), "--port", str(port),
                              "--messages", str(messages), "--sessions", str(sessions), "--label", "null sink"],
                             capture_output=True, text=True)
        result = json.loads(out.stdout)
        result["wall_including_startup"] = round(time.perf_counter() - t0, 2)
        print(json.dumps(result))
        return 0 if out.returncode == 0 else 1
    finally:
        sink.terminate()
        sink.wait()


def main():
    p = argparse.ArgumentParser(description="null SMTP sink for measuring smtp_load.py")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--selftest", nargs=2, type=int, metavar=("MESSAGES", "SESSIONS"))
    args = p.parse_args()
    if args.selftest:
        return selftest(*args.selftest)
    try:
        asyncio.run(serve(args.port, ready_fd=sys.stdout.fileno()))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
