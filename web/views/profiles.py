"""\"Who's watching?\", switching profile, and managing profiles (create, edit, delete)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.errors import LastProfile, ProfileLimitReached, ProfileNameTaken
from core.forms import form_error
from core.maturity import Maturity
from web.forms import ProfileForm
from web.middleware import LANGUAGE_SESSION_KEY
from web.viewer import profile_select


def _own_profile(request: HttpRequest, profile_id: int):
    profile = account_selectors.profile_for_request(user=request.user, profile_id=profile_id)
    if profile is None:
        raise Http404
    return profile


def _next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/profiles.html",
        {
            "profiles": (profiles := list(account_selectors.profiles_for(user=request.user))),
            "can_add": len(profiles) < settings.ACCOUNTS_MAX_PROFILES,
            "current_id": request.session.get(account_selectors.PROFILE_SESSION_KEY),
            "next": _next(request),
        },
    )


@login_required
@require_POST
def profile_choose(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _own_profile(request, profile_id)
    profile_select(request, profile)
    return redirect(_next(request))


@login_required
def profiles_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/profiles_manage.html",
        {"profiles": list(account_selectors.profiles_for(user=request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_new(request: HttpRequest) -> HttpResponse:
    # A new profile starts at a safe limit (M): the account holder raises it for a grown-up on purpose.
    form = ProfileForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE or "en", "maturity_limit": int(Maturity.M)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = account_services.profile_create(user=request.user, **form.cleaned_data)
        except (ProfileLimitReached, ProfileNameTaken) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Profile %(name)s added.") % {"name": profile.name})
            return redirect("web:profiles-manage")
    return render(request, "web/profile_form.html", {"form": form, "profile": None})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _own_profile(request, profile_id)
    initial = {
        "name": profile.name,
        "language": profile.language,
        "is_kids": profile.is_kids,
        "maturity_limit": profile.maturity_limit,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = account_services.profile_update(profile=profile, **form.cleaned_data)
        except ProfileNameTaken as error:
            form_error(form, error)
        else:
            if request.session.get(account_selectors.PROFILE_SESSION_KEY) == profile.pk:
                profile_select(request, profile)  # its language may have changed
            messages.success(request, _("Profile %(name)s saved.") % {"name": profile.name})
            return redirect("web:profiles-manage")
    return render(request, "web/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def profile_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = _own_profile(request, profile_id)
    name = profile.name
    try:
        account_services.profile_delete(profile=profile)
    except LastProfile as error:
        messages.error(request, str(error.message))
        return redirect("web:profiles-manage")
    if request.session.get(account_selectors.PROFILE_SESSION_KEY) == profile_id:
        request.session.pop(account_selectors.PROFILE_SESSION_KEY, None)
        request.session.pop(LANGUAGE_SESSION_KEY, None)
    messages.success(request, _("Profile %(name)s deleted.") % {"name": name})
    return redirect("web:profiles-manage")
