#!/usr/bin/env python3
"""smtp_multi.py - several messages on one SMTP connection.

SYNOPSIS
    smtp_multi.py PORT MSGFILE...

DESCRIPTION
    Connects once to 127.0.0.1:PORT, says EHLO, then for each MSGFILE
    sends MAIL FROM:<e2e@example.org>, RCPT TO:<the file's To: address>
    and the file as DATA, on the same connection (no QUIT, no RSET
    between them: smtplib only sends RSET after a refused command, as a
    client would). Prints one line per message, in order:

        <file> <code> <reply text on one line>

    Exit status 0 when every message got an answer, 1 on a broken
    connection. Acceptance or refusal is for the caller to judge.
"""
import email
import smtplib
import sys


class _SMTP(smtplib.SMTP):
    """smtplib.SMTP that remembers the reply to the message data."""

    vigie_reply = None

    def data(self, msg):
        code, text = super().data(msg)
        self.vigie_reply = (code, text)
        return code, text


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    port = int(sys.argv[1])
    smtp = _SMTP("127.0.0.1", port, local_hostname="client.vigie-test.example", timeout=60)
    try:
        smtp.ehlo()
        for path in sys.argv[2:]:
            with open(path, "rb") as f:
                raw = f.read()
            rcpt = email.message_from_bytes(raw)["To"]
            smtp.vigie_reply = None
            try:
                smtp.sendmail("e2e@example.org", [rcpt], raw)
                code, text = smtp.vigie_reply or (250, "queued")
            except smtplib.SMTPDataError as e:
                code, text = e.smtp_code, e.smtp_error
            except smtplib.SMTPRecipientsRefused as e:
                code, text = list(e.recipients.values())[0]
            except smtplib.SMTPSenderRefused as e:
                code, text = e.smtp_code, e.smtp_error
            if isinstance(text, bytes):
                text = text.decode("ascii", "replace")
            print(path, code, " ".join(text.split()), flush=True)
        smtp.quit()
    except (smtplib.SMTPServerDisconnected, OSError) as e:
        print("connection broken:", e, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
