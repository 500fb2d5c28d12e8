"""The creator's team: invite a collaborator by email as an editor or an analyst, remove them. Only the creator
(the owner's seat) sees this page; accounts' team services decide."""

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from core.exceptions import DomainError
from core.forms import form_error
from studio.access import Seat, seat_required
from studio.forms import TeamInviteForm


@seat_required(owner=True)
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = accounts_services.team_invite(creator=seat.creator, by=request.user,
                                                   email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        except DomainError as error:
            form_error(form, error)
        else:
            profile = accounts_selectors.creator_profile_for(user=seat.creator)
            send_mail(
                _("%(name)s invited you to their WANS studio") % {"name": profile.display_name},
                _("Sign in (or join) with this email address, then open %(url)s") % {
                    "url": request.build_absolute_uri(reverse("studio:home"))},
                settings.DEFAULT_FROM_EMAIL, [member.email], fail_silently=True,
            )
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": member.email})
            return redirect("studio:team")
    return render(request, "studio/team.html", {
        "form": form, "members": list(accounts_selectors.team_members_of(creator=seat.creator)),
    }, status=400 if form.errors else 200)


@seat_required(owner=True)
@require_POST
def team_remove(request: HttpRequest, seat: Seat, member_id: int) -> HttpResponse:
    member = accounts_selectors.team_member_get(creator=seat.creator, member_id=member_id)
    if member is None:
        raise Http404
    accounts_services.team_remove(member=member, by=request.user)
    messages.success(request, _("%(email)s is no longer on your team.") % {"email": member.email})
    return redirect("studio:team")
