"""The payee's emails, as plain Django email (the notifications app is being built beside this one; this function is
the one place to move when it lands)."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _


def account_changed_email(*, to: str, name: str, account_text: str, hold_until: datetime | None) -> None:
    """Tell the payee their payout account changed (whoever changed it), and how long payouts are held."""
    if not to:
        return
    lines = [
        _("Hello %(name)s,") % {"name": name},
        "",
        _("Your WANS payout account was changed to: %(account)s.") % {"account": account_text},
    ]
    if hold_until is not None:
        lines.append(_("For your safety, payouts are on hold until %(when)s UTC.")
                     % {"when": f"{hold_until:%Y-%m-%d %H:%M}"})
    lines += ["", _("If you did not make this change, reply to this email or contact WANS support at once.")]
    send_mail(_("Your WANS payout account was changed"), "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [to])
