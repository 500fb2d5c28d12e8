"""Sign-up's last step: send the confirmation link again. Says the same whatever the address (no way to learn
who has an account here) and sends at most once a minute per address."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from web.forms import ResendConfirmationForm

RESEND_EVERY_SECONDS = 60


@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST)
    if not form.is_valid():
        return render(request, "account/verification_sent.html", {"form": form}, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if cache.add(f"web:resend-confirmation:{email}", 1, RESEND_EVERY_SECONDS):
        address = EmailAddress.objects.filter(email__iexact=email, verified=False).first()
        if address is not None:
            address.send_confirmation(request)
    messages.info(request, _("If %(email)s is waiting to be confirmed, a new link is on its way.") % {"email": email})
    return redirect("account_email_verification_sent")
