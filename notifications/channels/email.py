"""Email through Django's mail framework: the console backend by default, a provider's API through django-anymail
when NOTIFICATIONS_EMAIL_ESP names one (wans/settings/base.py). Transport only: it never touches the outbox."""

import smtplib

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from notifications.channels.base import ChannelError, Outgoing, Sent


class EmailChannel:
    name = "email"

    def send(self, message: Outgoing) -> Sent:
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to],
            headers=dict(message.headers),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        # Providers that accept one (anymail passes metadata through) see the outbox's key: a retried send is
        # recognisable as the same message in their logs.
        email.metadata = {"idempotency_key": message.idempotency_key}
        try:
            email.send(fail_silently=False)
        except AnymailRecipientsRefused as refused:
            raise ChannelError(f"recipient refused: {refused}", retryable=False) from refused
        except AnymailError as error:
            status = getattr(error, "status_code", None)
            raise ChannelError(str(error)[:500], retryable=status is None or status >= 500 or status == 429) from error
        except smtplib.SMTPRecipientsRefused as refused:
            raise ChannelError(f"recipient refused: {refused}", retryable=False) from refused
        except (OSError, smtplib.SMTPException, TimeoutError) as error:
            raise ChannelError(f"{type(error).__name__}: {error}"[:500], retryable=True) from error
        status = getattr(email, "anymail_status", None)
        return Sent(provider_id=(status.message_id or "") if status is not None else "")
