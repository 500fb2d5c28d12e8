"""The console's pages, inside the admin site (its login, its permissions, its look). Thin: a selector, a template."""

from django.contrib.admin import site
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from console import selectors

ROWS_SHOWN = 50


def _context(request, title: str) -> dict:
    return {**site.each_context(request), "title": title}


def _rows(key: str, items) -> list[dict]:
    """What each pending row says and where it is acted on."""
    rows = []
    for item in items:
        if key == "films":
            rows.append({"text": item.title, "detail": f"by {item.creator}, unchanged since {item.updated_at:%Y-%m-%d}",
                         "url": reverse("admin:catalog_film_change", args=[item.pk]), "action": "Review"})
        elif key == "jobs":
            rows.append({"text": f"Job {item.pk}: {item.film.title}",
                         "detail": f"{item.state}, attempt {item.attempts}: {(item.error or 'no heartbeat')[:120]}",
                         "url": reverse("admin:transcoding_job_change", args=[item.pk]), "action": "Open job"})
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
