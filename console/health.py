"""System health for staff: each dependency with its latency, Celery workers per queue, beat's periodic tasks
against their schedules, free disk, the pipeline's programs, and the last hour's 5xx and slow requests (counted by
the request log, core.request_stats). Green / amber / red by the thresholds of thresholds(), which the page shows.
/readyz stays the machine-readable form (core.health); its checks are reused here."""

import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from core import health as core_health
from core.request_stats import RequestStats
from transcoding import selectors as transcoding_selectors

THRESHOLDS = {
    "latency": "green under 100 ms, amber under 1 s, red at 1 s or on an error",
    "workers": "green when a worker answers the ping for the queue, red when none does (1 s timeout)",
    "beat": "green when the last run is within one interval of now, amber within three, red beyond or never",
    "disk": "green with 15% or more free, amber under 15%, red under 5% or under 2 GB",
    "tools": "green when present and executable, red when missing",
}
QUEUES = ["default", "billing", "transcoding"]


@dataclass(frozen=True)
class Check:
    group: str
    name: str
    status: str  # green, amber or red
    detail: str


def _latency_status(ms: float, ok: bool) -> str:
    if not ok or ms >= 1000:
        return "red"
    return "green" if ms < 100 else "amber"


def dependencies() -> list[Check]:
    out = []
    for name, check in core_health.CHECKS.items():
        began = time.perf_counter()
        try:
            check()
            ok, error = True, ""
        except Exception as exc:  # a health page reports every failure, whatever its type
            ok, error = False, f"{type(exc).__name__}: {exc}"[:200]
        ms = (time.perf_counter() - began) * 1000
        out.append(Check("Dependencies", name, _latency_status(ms, ok), f"{ms:.1f} ms" + (f" — {error}" if error
                                                                                             else "")))
    return out


def workers(*, timeout: float = 1.0) -> list[Check]:
    """`inspect active_queues` (a ping that also says which queues each worker consumes)."""
    from wans.celery import app

    try:
        answers = app.control.inspect(timeout=timeout).active_queues() or {}
    except Exception as exc:  # the broker itself is down or does not support remote control
        return [Check("Celery workers", queue, "red", f"cannot ask: {type(exc).__name__}: {exc}"[:200])
                for queue in QUEUES]
    by_queue: dict[str, list[str]] = {queue: [] for queue in QUEUES}
    for worker, queues in answers.items():
        for queue in queues:
            by_queue.setdefault(queue["name"], []).append(worker)
    return [Check("Celery workers", queue, "green" if names else "red",
                  ", ".join(sorted(names)) if names else "no worker answered") for queue, names in by_queue.items()]


def beat(*, now: datetime) -> list[Check]:
    """Every enabled periodic task stored by django-celery-beat, its last run against its interval."""
    from django_celery_beat.models import PeriodicTask

    out = []
    for task in PeriodicTask.objects.filter(enabled=True).select_related("interval").order_by("name"):
        if task.interval is None:
            out.append(Check("Beat", task.name, "green" if task.last_run_at else "amber",
                             f"last run {task.last_run_at or 'never'} (crontab schedule)"))
            continue
        every = timedelta(**{task.interval.period: task.interval.every})
        if task.last_run_at is None:
            status, detail = "red", f"never run; every {every}"
        else:
            late = now - task.last_run_at
            status = "green" if late <= every else "amber" if late <= 3 * every else "red"
            detail = f"last run {late.total_seconds():.0f} s ago; every {every}"
        out.append(Check("Beat", task.name, status, detail))
    return out or [Check("Beat", "periodic tasks", "amber", "none stored: beat has not started yet")]


def disks() -> list[Check]:
    folders = {"media": settings.MEDIA_ROOT, "uploads": settings.TRANSCODING_UPLOAD_ROOT,
               "transcode work": settings.TRANSCODING_WORK_ROOT}
    out = []
    for name, folder in folders.items():
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent  # a folder not made yet: the disk it will be on
        usage = shutil.disk_usage(probe)
        free = usage.free / usage.total
        status = "red" if free < 0.05 or usage.free < 2e9 else "amber" if free < 0.15 else "green"
        out.append(Check("Disk", name, status, f"{usage.free / 1e9:,.1f} GB free of {usage.total / 1e9:,.1f} GB "
                                               f"({free:.0%}) at {folder}"))
    return out


def tools() -> list[Check]:
    return [Check("Programs", name, "green" if path else "red", path or "missing")
            for name, path in transcoding_selectors.tools_present().items()]


def thresholds() -> dict[str, str]:
    """THRESHOLDS and the request shares', which come from settings."""
    errors = (settings.WANS_HEALTH_5XX_AMBER_PERCENT, settings.WANS_HEALTH_5XX_RED_PERCENT)
    slow = (settings.WANS_HEALTH_SLOW_AMBER_PERCENT, settings.WANS_HEALTH_SLOW_RED_PERCENT)
    return {
        **THRESHOLDS,
        "5xx": f"share of the last hour's requests answered 5xx: green under {errors[0]}%, amber from {errors[0]}%, "
               f"red from {errors[1]}%",
        "slow": f"share of the last hour's requests slower than {settings.WANS_SLOW_REQUEST_MS} ms: green under "
                f"{slow[0]}%, amber from {slow[0]}%, red from {slow[1]}%",
    }


def _share_status(part: int, total: int, *, amber: int, red: int) -> str:
    """Integer arithmetic (part / total against a whole percentage): no rounding decides a colour."""
    if total == 0:
        return "green"
    if part * 100 >= red * total and part:
        return "red"
    return "amber" if part * 100 >= amber * total and part else "green"


def _rate(part: int, total: int) -> str:
    return f"{part / total:.2%}" if total else "—"


def request_figures(stats: RequestStats) -> dict:
    """The shares of 5xx and slow requests, written out, and their colours."""
    return {
        "error_rate": _rate(stats.errors, stats.total),
        "error_status": _share_status(stats.errors, stats.total, amber=settings.WANS_HEALTH_5XX_AMBER_PERCENT,
                                      red=settings.WANS_HEALTH_5XX_RED_PERCENT),
        "slow_rate": _rate(stats.slow, stats.total),
        "slow_status": _share_status(stats.slow, stats.total, amber=settings.WANS_HEALTH_SLOW_AMBER_PERCENT,
                                     red=settings.WANS_HEALTH_SLOW_RED_PERCENT),
    }


def requests(stats: RequestStats) -> list[Check]:
    """The last hour's requests (core.request_stats): 5xx and slow, each with its share and colour."""
    figures = request_figures(stats)
    return [
        Check("Requests", f"5xx in the last {stats.minutes} min", figures["error_status"],
              f"{stats.errors:,} of {stats.total:,} ({figures['error_rate']})"),
        Check("Requests", f"slower than {stats.slow_ms} ms in the last {stats.minutes} min", figures["slow_status"],
              f"{stats.slow:,} of {stats.total:,} ({figures['slow_rate']})"),
    ]


def system_health(*, now: datetime, request_stats: RequestStats | None = None) -> list[Check]:
    """Every check; the request rows when the caller read `request_stats` (core.request_stats.request_stats)."""
    rows = requests(request_stats) if request_stats is not None else []
    return [*dependencies(), *workers(), *beat(now=now), *disks(), *tools(), *rows]
