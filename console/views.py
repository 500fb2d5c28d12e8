"""The console's pages, inside the admin site (its login, its permissions, its look). Thin: a selector, a template."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin import site
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from console import selectors
from console.audit import staff_action_record
from core.exceptions import DomainError
from core.request_stats import request_stats
from transcoding import selectors as transcoding_selectors
from transcoding import services as transcoding_services

ROWS_SHOWN = 50


def _context(request, title: str) -> dict:
    return {**site.each_context(request), "title": title}


def _rows(key: str, items) -> list[dict]:
    """What each pending row says and where it is acted on."""
    rows = []
    for item in items:
        if key == "films":
            rows.append({"text": item.title, "detail": f"by {item.creator}, unchanged since {item.updated_at:%Y-%m-%d}",
                         "url": reverse("admin:console_review", args=[item.pk]), "action": "Review"})
        elif key == "jobs":
            rows.append({"text": f"Job {item.pk}: {item.film.title}",
                         "detail": f"{item.state}, attempt {item.attempts}: {(item.error or 'no heartbeat')[:120]}",
                         # the console's jobs page, where it is retried or cancelled, at its row
                         "url": f"{reverse('admin:console_jobs')}?state={item.state}#job-{item.pk}",
                         "action": "Retry or cancel"})
        elif key == "transfers":
            rows.append({"text": f"{item.reference}: {item.currency} {item.amount_minor / 100:,.2f}",
                         "detail": f"{item.user}, since {item.created_at:%Y-%m-%d %H:%M}",
                         "url": reverse("admin:billing_payment_reconcile"), "action": "Reconcile"})
        elif key == "stuck":
            rows.append({"text": f"{item.reference}: {item.currency} {item.amount_minor / 100:,.2f} via "
                                 f"{item.provider}",
                         "detail": f"expired at {item.expires_at:%Y-%m-%d %H:%M}; is the beat sweep running?",
                         "url": reverse("admin:billing_payment_change", args=[item.pk]), "action": "Open payment"})
        elif key == "lockouts":
            rows.append({"text": item.username or item.ip_address, "detail": f"{item.failures_since_start} "
                         f"failures, last {item.attempt_time:%Y-%m-%d %H:%M}",
                         "url": reverse("admin:axes_accessattempt_change", args=[item.pk]), "action": "Unlock"})
        elif key == "payout_runs":
            rows.append({"text": f"{item.reference}: prepared by {item.prepared_by}",
                         "detail": f"since {item.prepared_at:%Y-%m-%d %H:%M}; someone else approves it",
                         "url": reverse("admin:payouts_payoutrun_change", args=[item.pk]), "action": "Review"})
    return rows


def pending(request):
    if not request.user.has_perm("console.view_pending"):
        raise PermissionDenied
    lists = selectors.pending_querysets(now=timezone.now())
    sections = []
    for key, label in selectors.PENDING:
        items = lists[key]
        count = len(items) if isinstance(items, list) else items.count()
        sections.append({"key": key, "label": label, "count": count, "rows": _rows(key, list(items[:ROWS_SHOWN]))})
    context = {**_context(request, "Pending actions"), "sections": sections, "shown": ROWS_SHOWN}
    return TemplateResponse(request, "console/pending.html", context)


def review_queue(request):
    if not request.user.has_perm("console.review_film"):
        raise PermissionDenied
    films = catalog_selectors.films_in_state(status="in_review")
    return TemplateResponse(request, "console/review_queue.html", {**_context(request, "Films awaiting review"),
                                                                   "films": films})


@require_http_methods(["GET", "POST"])
def review(request, film_id: int):
    """The review page; POST action=approve, or action=reject with a reason (which the creator sees)."""
    if not request.user.has_perm("console.review_film"):
        raise PermissionDenied
    data = selectors.film_review(film_id=film_id, user=request.user)
    if data is None:
        raise Http404("No such film.")
    film = data["film"]
    if request.method == "POST":
        action, note = request.POST.get("action"), request.POST.get("reason", "")
        try:
            before = {"status": film.status}
            if action == "approve":
                catalog_services.film_approve(film=film, by=request.user, note=note[:2000])
                messages.success(request, f"{film.title} is published.")
            elif action == "reject":
                catalog_services.film_reject(film=film, by=request.user, reason=note[:2000])
                messages.success(request, f"{film.title} went back to its creator with your reason.")
            else:
                messages.error(request, "Choose approve or reject.")
                return HttpResponseRedirect(request.path)
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.path)
        staff_action_record(request=request, action=f"film_{action}", target=film, before=before,
                            after={"status": film.status}, why=note)
        return HttpResponseRedirect(reverse("admin:console_review_queue"))
    context = {**_context(request, f"Review: {film.title}"), **data,
               "watch_url": reverse("playback:watch", args=[film.slug])}
    return TemplateResponse(request, "console/review.html", context)


JOB_STATES = ["queued", "probing", "transcoding", "packaging", "uploading", "completed", "failed", "cancelled"]


@require_http_methods(["GET", "POST"])
def jobs(request):
    """Transcoding oversight: the queue's depth, throughput per day, and the jobs (progress, stage, worker,
    attempts, failure, per-rung outputs); POST action=retry|cancel with job=<id> through transcoding's services."""
    if not request.user.has_perm("console.manage_jobs"):
        raise PermissionDenied
    if request.method == "POST":
        job_id = request.POST.get("job", "")
        job = transcoding_selectors.job_get(job_id=int(job_id)) if job_id.isdigit() else None
        if job is None:
            messages.error(request, "No such job.")
            return HttpResponseRedirect(request.get_full_path())
        before, action = {"state": job.state}, request.POST.get("action")
        try:
            if action == "retry":
                job = transcoding_services.job_retry(job=job, by=request.user)
                messages.success(request, f"Job {job.pk} is queued again.")
            elif action == "cancel":
                job = transcoding_services.job_cancel(job=job, by=request.user)
                messages.success(request, f"Job {job.pk} is cancelled.")
            else:
                messages.error(request, "Choose retry or cancel.")
                return HttpResponseRedirect(request.get_full_path())
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())
        staff_action_record(request=request, action=f"job_{action}", target=job, before=before,
                            after={"state": job.state})
        return HttpResponseRedirect(request.get_full_path())
    state = request.GET.get("state") if request.GET.get("state") in JOB_STATES else None
    now = timezone.now()
    per_day = transcoding_selectors.jobs_finished_per_day(since=now - timedelta(days=14))
    context = {
        **_context(request, "Transcoding jobs"),
        "state": state, "states": JOB_STATES, "stats": transcoding_selectors.queue_stats(),
        "jobs": transcoding_selectors.jobs_for_staff(state=state)[:100],
        "per_day": sorted(per_day.items()),
    }
    return TemplateResponse(request, "console/jobs.html", context)


def health(request):
    """System health (console.health): each check green, amber or red, with the thresholds."""
    from console import health as console_health

    if not request.user.has_perm("console.view_health"):
        raise PermissionDenied
    now = timezone.now()
    stats = request_stats(now=now)
    checks = console_health.system_health(now=now, request_stats=stats)
    context = {**_context(request, "System health"), "checks": checks, "thresholds": console_health.thresholds(),
               "requests": stats, **console_health.request_figures(stats),
               "worst": "red" if any(c.status == "red" for c in checks) else
               "amber" if any(c.status == "amber" for c in checks) else "green"}
    return TemplateResponse(request, "console/health.html", context)


def people(request):
    if not request.user.has_perm("console.manage_people"):
        raise PermissionDenied
    from accounts import selectors as accounts_selectors

    q = request.GET.get("q", "")
    return TemplateResponse(request, "console/people.html", {**_context(request, "People"), "q": q,
                                                             "users": accounts_selectors.users_search(q=q)})


@require_http_methods(["GET", "POST"])
def person(request, user_id: int):
    """One person: role, subscriptions, payments, entitlements, streams and devices; POST action=suspend,
    reactivate or sign_out."""
    if not request.user.has_perm("console.manage_people"):
        raise PermissionDenied
    from accounts import selectors as accounts_selectors
    from billing import selectors as billing_selectors
    from console import services
    from playback import selectors as playback_selectors

    user = accounts_selectors.user_get(user_id=user_id)
    if user is None:
        raise Http404("No such person.")
    if request.method == "POST" and request.POST.get("action") == "grant":
        return _grant(request, user)
    if request.method == "POST" and request.POST.get("action") == "erase":
        return _erase(request, user)
    if request.method == "POST":
        action = request.POST.get("action")
        before = {"is_active": user.is_active}
        if action == "suspend" and user.pk != request.user.pk:
            ended = services.user_suspend(user=user, by=request.user)
            streams = "1 stream" if ended == 1 else f"{ended} streams"
            messages.success(request, f"Suspended {user}: {streams} ended, every device signed out.")
        elif action == "reactivate":
            services.user_reactivate(user=user)
            messages.success(request, f"Reactivated {user}: they can sign in again.")
        elif action == "sign_out":
            count = services.user_sign_out_everywhere(user=user)
            messages.success(request, f"Signed out {count} device{'' if count == 1 else 's'} of {user}.")
        else:
            messages.error(request, "That action is not possible here.")
            return HttpResponseRedirect(request.path)
        user.refresh_from_db()
        staff_action_record(request=request, action=f"user_{action}", target=user, before=before,
                            after={"is_active": user.is_active}, why=request.POST.get("reason", ""))
        return HttpResponseRedirect(request.path)
    context = {
        **_context(request, str(user)), "person": user, "role": accounts_selectors.user_role(user=user),
        "subscriptions": billing_selectors.subscriptions_of(user=user)[:20],
        "payments": billing_selectors.payments_of(user=user)[:20],
        "entitlements": billing_selectors.entitlements_of(user=user, live_only=False)[:20],
        "streams": playback_selectors.sessions_active_for(user=user),
        "devices": accounts_selectors.devices_active_for(user=user),
        "plans": billing_selectors.plans_offered() if request.user.has_perm("console.grant_access") else None,
        "can_export": request.user.has_perm("console.export_person"),
        "can_erase": request.user.has_perm("console.erase_person") and user.pk != request.user.pk,
    }
    return TemplateResponse(request, "console/person.html", context)


def _grant(request, user):
    """POST action=grant with plan=<code> (and interval) or window=<id>, and a reason: billing's complimentary grant
    (a zero staff payment, an entry-less ledger transaction), recorded in the audit log."""
    from billing import services as billing_services

    if not request.user.has_perm("console.grant_access"):
        raise PermissionDenied
    plan_code, window = request.POST.get("plan", ""), request.POST.get("window", "").strip()
    reason = request.POST.get("reason", "")
    if window and not window.isdigit():
        messages.error(request, "window: give the window's number.")
        return HttpResponseRedirect(request.path)
    try:
        payment = billing_services.complimentary_grant(
            user=user, by=request.user, reason=reason, plan_code=plan_code,
            interval=request.POST.get("interval", "month"), window_id=int(window) if window else None)
    except DomainError as error:
        fields = getattr(error, "fields", None) or {}
        detail = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in fields.items())
        messages.error(request, detail or error.message)
        return HttpResponseRedirect(request.path)
    what = f"plan {plan_code}" if plan_code else f"window {window}"
    staff_action_record(request=request, action="user_grant", target=user, before={"grant": ""},
                        after={"grant": f"{what}, payment {payment.reference}"}, why=reason)
    messages.success(request, f"Granted {what} for free ({payment.reference}).")
    return HttpResponseRedirect(request.path)


def person_export(request, user_id: int):
    """A person's data as a JSON download (account, profiles, devices, subscriptions, payments, entitlements,
    sessions), each part read by its owning app's selector; recorded in the audit log."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse

    from accounts import selectors as accounts_selectors
    from billing import selectors as billing_selectors
    from playback import selectors as playback_selectors

    if not request.user.has_perm("console.export_person"):
        raise PermissionDenied
    user = accounts_selectors.user_get(user_id=user_id)
    if user is None:
        raise Http404("No such person.")
    data = {**accounts_selectors.user_data_export(user=user), **billing_selectors.user_data_export(user=user),
            **playback_selectors.user_data_export(user=user), "exported_at": timezone.now()}
    staff_action_record(request=request, action="user_export", target=user, before={}, after={})
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="wans-user-{user.pk}.json"'
    return response


def _erase(request, user):
    """POST action=erase with confirm=<the person's email> and a reason: personal data anonymised (console's
    user_erase over accounts, billing and playback), payments and ledger kept; audited."""
    from console import services

    if not request.user.has_perm("console.erase_person"):
        raise PermissionDenied
    reason = request.POST.get("reason", "").strip()
    if user.pk == request.user.pk:
        messages.error(request, "You cannot erase your own account.")
    elif request.POST.get("confirm", "").strip().lower() != user.email.lower():
        messages.error(request, "confirm: type the person's email to confirm.")
    elif not reason:
        messages.error(request, "reason: say why (the request's reference, say).")
    else:
        services.user_erase(user=user, by=request.user)
        # The log keeps no personal data: not the old email, only that the erasure happened and why.
        staff_action_record(request=request, action="user_erase", target=user, before={"erased": False},
                            after={"erased": True}, why=reason)
        messages.success(request, "Their personal data is erased; payments and the ledger are kept.")
    return HttpResponseRedirect(request.path)
