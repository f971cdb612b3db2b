"""E-mail backends that fail like a real mail server can, for the delivery tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class UnreachableBackend(EmailBackend):
    """The mail server cannot be reached: nothing is ever handed over."""

    def open(self):
        raise ConnectionRefusedError("Connection refused")


class DropsMidwayBackend(EmailBackend):
    """The server hangs up during the hand-over: nobody knows if the message went out."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusesSomeRecipientsBackend(EmailBackend):
    """The server refuses addresses starting with "refuse" and accepts the others."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("refuse"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)
