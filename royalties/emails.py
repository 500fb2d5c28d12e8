"""The payee's "your statement is ready" email, plain Django email (the notifications app will carry it once it
lands: this is the one function to rewire)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.money import money_display
from royalties.models import Statement


def statement_ready_send(*, statement: Statement) -> None:
    payee = statement.payee
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "payee": payee,
            "statement": statement,
            "month": statement.period.strftime("%Y-%m"),
            "closing": money_display(statement.closing_minor, statement.currency),
            "url": settings.WANS_SITE_URL.rstrip("/") + reverse(settings.ROYALTIES_STATEMENT_PAGE, args=[statement.pk])
            if payee.user_id else "",
        }
        subject = _("Your WANS royalty statement for %(month)s (%(currency)s)") % {
            "month": context["month"], "currency": statement.currency}
        body = render_to_string("royalties/email/statement_ready.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [payee.email])
