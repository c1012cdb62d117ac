"""Independent check of the golden delivery reports in tests/data/dsn with
Python's email package: the multipart/report structure of RFC 6522, the
RFC 3464 fields a bounce parser looks for, and the returned message. The
C++ golden tests make sure these files are exactly what the builder writes.
Usage: check_reports.py DIR"""

import email
import email.policy
import pathlib
import sys

REQUIRED_PER_RECIPIENT = ("Final-Recipient", "Action", "Status")


def check(path):
    raw = path.read_bytes().replace(b"\n", b"\r\n")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/report", msg.get_content_type()
    assert msg.get_param("report-type") == "delivery-status", msg.get_param("report-type")
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["From"].addresses[0].username == "MAILER-DAEMON"
    parts = msg.get_payload()
    assert len(parts) == 3, len(parts)
    assert parts[0].get_content_type() == "text/plain"
    assert parts[1].get_content_type() == "message/delivery-status"
    blocks = parts[1].get_payload()
    assert len(blocks) >= 2, len(blocks)
    assert blocks[0]["Reporting-MTA"].startswith("dns; ")
    for block in blocks[1:]:
        for name in REQUIRED_PER_RECIPIENT:
            assert block[name], f"{path.name}: {name} missing"
        assert block["Action"] in ("failed", "delayed", "delivered", "relayed", "expanded")
        status = block["Status"].split(".")
        assert len(status) == 3 and status[0] in ("2", "4", "5"), block["Status"]
        if block["Diagnostic-Code"]:
            assert str(block["Diagnostic-Code"]).startswith("smtp; "), block["Diagnostic-Code"]
    third = parts[2]
    if third.get_content_type() == "message/rfc822":
        inner = third.get_payload()[0]
        assert inner["Message-ID"], "returned message has no Message-ID"
    else:
        assert third.get_content_type() == "text/rfc822-headers", third.get_content_type()
        assert "Message-ID:" in third.get_content()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998


def main():
    files = sorted(pathlib.Path(sys.argv[1]).glob("*.eml"))
    if not files:
        sys.exit(f"no .eml files in {sys.argv[1]}")
    for path in files:
        check(path)
        print(f"ok {path.name}")


if __name__ == "__main__":
    main()
