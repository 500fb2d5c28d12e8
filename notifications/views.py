"""The site's pages for notifications: the bell's list and read marks, the settings page (what we send, where and
when), and one-click unsubscribe, which works without signing in. Views parse input and call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import events, selectors, services
from notifications.errors import NotificationInvalid
from notifications.forms import DeliveryForm
from notifications.models import Category, Channel
from notifications.tokens import ALL, unsubscribe_read


def _back(request: HttpRequest, default: str = "notifications:list") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.in_app_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread": selectors.unread_count(
        user=request.user)})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.notifications_mark_read(user=request.user, ids=[notification_id])
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications marked read."))
    return _back(request)


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark read and go where it points (the list's links are small forms, so reading is a POST)."""
    row = selectors.in_app_for(user=request.user).filter(pk=notification_id).first()
    if row is None:
        return redirect("notifications:list")
    services.notifications_mark_read(user=request.user, ids=[row.pk])
    return redirect(row.url or "notifications:list")


def _grid(preferences: dict, *, staff: bool) -> list[dict]:
    return [
        {"category": category, "label": label, "locked": events.is_transactional(category),
         "channels": [{"channel": channel, "label": channel_label, "on": preferences[(category, channel)],
                       "name": f"pref-{category}-{channel}"} for channel, channel_label in Channel.choices]}
        for category, label in Category.choices if category != Category.STAFF or staff
    ]


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    delivery = selectors.delivery_for(user=user)
    row = selectors.delivery_settings_row(user=user)
    initial = {"time_zone": delivery.time_zone, "quiet_start": delivery.quiet_start, "quiet_end": delivery.quiet_end,
               "language": row.language if row else "", "phone": delivery.phone}
    form = DeliveryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delivery_settings_update(user=user, time_zone=data["time_zone"], quiet_start=data["quiet_start"],
                                              quiet_end=data["quiet_end"], language=data["language"],
                                              phone=data["phone"])
        except NotificationInvalid as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            enabled = {(category, channel) for category in Category.values for channel in Channel.values
                       if request.POST.get(f"pref-{category}-{channel}") == "on"}
            services.preferences_update(user=user, enabled=enabled)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {
        "form": form, "grid": _grid(selectors.preferences_for(user=user), staff=user.is_staff),
        "push_count": selectors.push_subscriptions_for(user=user).count(),
    })


def _described(category: str, channel: str) -> dict:
    labels = dict(Category.choices)
    return {"category": _("everything that is not about payments, your account or your films") if category == ALL
            else labels.get(category, category), "channel": dict(Channel.choices).get(channel, channel)}


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie or token; the link is signed
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page asking to confirm (mail scanners follow links, so a GET changes nothing). POST: unsubscribe,
    signed in or not."""
    found = unsubscribe_read(token)
    if found is None:
        return HttpResponseBadRequest(render(request, "notifications/unsubscribe.html", {"invalid": True}).content)
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token, **_described(found.category,
                                                                                                found.channel)})
    done = services.unsubscribe(token=token)
    if done is None:
        return HttpResponseBadRequest(render(request, "notifications/unsubscribe.html", {"invalid": True}).content)
    return render(request, "notifications/unsubscribe.html", {"done": True, **_described(found.category,
                                                                                          found.channel)})
