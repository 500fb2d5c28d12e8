"""Become a creator: any account applies with a public creator profile; staff approve it in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from accounts.errors import CreatorApplicationRefused
from core.exceptions import DomainError
from core.forms import form_error
from studio.forms import CreatorApplyForm


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    profile = accounts_selectors.creator_profile_for(user=request.user)
    if profile is not None and profile.status != profile.Status.REJECTED:
        return redirect("studio:home")  # applied already: the home page says where the application stands
    initial = {}
    if profile is not None:  # refused: apply again from the profile as it was
        initial = {"display_name": profile.display_name, "slug": profile.slug, "bio": profile.bio,
                   "country": profile.country.code, "links": "\n".join(profile.links)}
    form = CreatorApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts_services.creator_apply(
                user=request.user, display_name=data["display_name"], slug=data["slug"], bio=data["bio"],
                country=data["country"], links=data["links"], avatar=data["avatar"] or None,
            )
        except CreatorApplicationRefused:
            return redirect("studio:home")
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Thank you: staff will review your application. Meanwhile, prepare your films.")
            )
            return redirect("studio:home")
    return render(request, "studio/apply.html", {"form": form, "profile": profile})
