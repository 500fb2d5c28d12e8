"""Every event the platform tells people about: its category (for preferences), the channels it goes to, whether it
is urgent (urgent ones ignore quiet hours: the person just did something and expects the answer), its link, the
context keys its template needs and a sample context (the admin's preview, the Tok Pisin test).

An app raises an event with `notifications.services.notify(event=..., user=..., context=..., key=...)` inside its
own transaction; the template is `notifications/events/<name>.html` (blocks `subject`, `text`, `short`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.urls import reverse

from notifications.models import Category, Channel

E, S, P, A = Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP
TRANSACTIONAL = frozenset({Category.ACCOUNT, Category.BILLING, Category.CREATOR, Category.EARNINGS})
OPT_IN = frozenset({Category.MARKETING})  # off until the person turns it on
# Channels that interrupt: quiet hours and the daily cap apply to them; the bell waits quietly for the next visit.
INTERRUPTING = frozenset({E, S, P})


@dataclass(frozen=True)
class Event:
    name: str
    category: str
    channels: tuple[str, ...]
    needs: tuple[str, ...]
    sample: dict
    link: Callable[[dict], str] = lambda context: reverse("home")
    urgent: bool = False
    # A context key holding the moment after which the message is pointless (a rental's end): a message that quiet
    # hours would hold past it is not sent.
    stale_after: str = ""
    doc: str = ""
    extra: dict = field(default_factory=dict)


_SAMPLE_AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _film(context: dict) -> str:
    return reverse("web:film", kwargs={"slug": context["film_slug"]})


def _studio_film(context: dict) -> str:
    return reverse("studio:film-edit", kwargs={"film_id": context["film_id"]})


def _renew(context: dict) -> str:
    return reverse("web:renew") if context.get("pay_to_renew") else reverse("web:account")


EVENTS: dict[str, Event] = {
    event.name: event
    for event in (
        # --- viewers -----------------------------------------------------------------------------------------------
        Event("welcome", Category.ACCOUNT, (E, A), ("name",), {"name": "Kila"}, urgent=True,
              doc="accounts: a new account (user_onboard)."),
        Event(
            "payment_receipt", Category.BILLING, (E, A),
            ("reference", "amount_minor", "currency", "item", "paid_at", "payment_public_id", "provider"),
            {"reference": "WK7M2Q9RTA", "amount_minor": 1500, "currency": "PGK", "item": "Kokoda Dawn (rental)",
             "paid_at": _SAMPLE_AT, "payment_public_id": "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f",
             "provider": "Digicel CellMoni"},
            link=lambda c: reverse("web:receipt", kwargs={"public_id": c["payment_public_id"]}), urgent=True,
            doc="billing.payment_confirm: every paid payment.",
        ),
        Event(
            "payment_failed", Category.BILLING, (E, S, P, A), ("reference", "amount_minor", "currency", "item",
                                                             "reason"),
            {"reference": "WK7M2Q9RTA", "amount_minor": 2500, "currency": "PGK", "item": "Standard, monthly",
             "reason": "The wallet declined the payment."},
            link=lambda c: reverse("web:account"), urgent=True, doc="billing.payment_fail: the rail said no.",
        ),
        Event(
            "payment_timed_out", Category.BILLING, (E, S, P, A), ("reference", "amount_minor", "currency", "item"),
            {"reference": "WK7M2Q9RTA", "amount_minor": 2500, "currency": "PGK", "item": "Standard, monthly"},
            link=lambda c: reverse("web:account"), urgent=True,
            doc="billing.payment_fail(expired): the mobile-money request was never answered in time.",
        ),
        Event(
            "renewal_due", Category.BILLING, (E, S, P, A),
            ("plan", "amount_minor", "currency", "due_at", "pay_to_renew"),
            {"plan": "Standard", "amount_minor": 2500, "currency": "PGK", "due_at": _SAMPLE_AT + timedelta(days=3),
             "pay_to_renew": True},
            link=_renew, doc="billing beat (renewals_remind): 3 days before a period ends.",
        ),
        Event(
            "renewal_failed", Category.BILLING, (E, S, P, A), ("plan", "grace_until", "pay_to_renew"),
            {"plan": "Standard", "grace_until": _SAMPLE_AT + timedelta(days=7), "pay_to_renew": True},
            link=_renew, doc="billing: a period ended unpaid (subscription_renewal_failed): the grace period begins.",
        ),
        Event(
            "grace_ending", Category.BILLING, (E, S, P, A), ("plan", "grace_until", "pay_to_renew"),
            {"plan": "Standard", "grace_until": _SAMPLE_AT + timedelta(days=1), "pay_to_renew": True},
            link=_renew, doc="billing beat (renewals_remind): a day before the grace period ends.",
        ),
        Event(
            "rental_started", Category.REMINDERS, (E, A), ("film_title", "film_slug", "ends_at"),
            {"film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn", "ends_at": _SAMPLE_AT + timedelta(hours=48)},
            link=_film, urgent=True, doc="billing.rental_start: the first play starts the rental clock.",
        ),
        Event(
            "rental_ending", Category.REMINDERS, (P, S, A), ("film_title", "film_slug", "ends_at"),
            {"film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn", "ends_at": _SAMPLE_AT + timedelta(hours=6)},
            link=_film, stale_after="ends_at", doc="billing beat (renewals_remind): 6 hours before a rental ends.",
        ),
        Event(
            "my_list_available", Category.NEW_FILMS, (E, P, A), ("film_title", "film_slug", "window_type"),
            {"film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn", "window_type": "svod"},
            link=_film, doc="rights beat (my_list_openings_notify): a saved film opens to the viewer's plan or region.",
        ),
        Event(
            "followed_creator_film", Category.NEW_FILMS, (E, P, A), ("creator_name", "film_title", "film_slug"),
            {"creator_name": "Rabaul Pictures", "film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn"},
            link=_film, doc="catalog: a followed creator's film is published for the first time.",
        ),
        # --- creators ------------------------------------------------------------------------------------------------
        Event("transcode_finished", Category.CREATOR, (E, A), ("film_title", "film_id", "job_id"),
              {"film_title": "Kokoda Dawn", "film_id": 7, "job_id": 12}, link=_studio_film,
              doc="transcoding: a job completed."),
        Event("transcode_failed", Category.CREATOR, (E, A), ("film_title", "film_id", "job_id", "error"),
              {"film_title": "Kokoda Dawn", "film_id": 7, "job_id": 12, "error": "The master has no video stream."},
              link=_studio_film, doc="transcoding: a job failed for good."),
        Event("film_approved", Category.CREATOR, (E, A), ("film_title", "film_id", "film_slug"),
              {"film_title": "Kokoda Dawn", "film_id": 7, "film_slug": "kokoda-dawn"}, link=_studio_film,
              doc="catalog.film_approve."),
        Event("film_rejected", Category.CREATOR, (E, A), ("film_title", "film_id", "reason"),
              {"film_title": "Kokoda Dawn", "film_id": 7, "reason": "The subtitles do not match the audio."},
              link=_studio_film, doc="catalog.film_reject, with the reviewer's reason."),
        # Raised by royalties and payouts (issue 14), one notify call each: the keys below are the contract.
        Event("statement_ready", Category.EARNINGS, (E, A), ("period", "amount_minor", "currency"),
              {"period": "October 2026", "amount_minor": 184250, "currency": "PGK"},
              link=lambda c: c.get("url") or reverse("studio:revenue"),
              doc="royalties: a monthly statement is ready (key: the statement's id)."),
        Event("payout_sent", Category.EARNINGS, (E, S, A), ("amount_minor", "currency", "method", "reference"),
              {"amount_minor": 184250, "currency": "PGK", "method": "BSP account ending 4567",
               "reference": "PO-2026-11-0042"},
              link=lambda c: c.get("url") or reverse("studio:revenue"), doc="payouts: money sent to a payee."),
        Event("payout_failed", Category.EARNINGS, (E, S, A), ("amount_minor", "currency", "reason"),
              {"amount_minor": 184250, "currency": "PGK", "reason": "The bank refused the account number."},
              link=lambda c: c.get("url") or reverse("studio:revenue"), doc="payouts: a payout did not go through."),
        # --- staff ---------------------------------------------------------------------------------------------------
        Event("staff_digest", Category.STAFF, (E,), ("items", "total", "day"),
              {"items": [{"label": "Films awaiting review", "count": 3},
                         {"label": "Bank transfers to reconcile", "count": 1}], "total": 4, "day": _SAMPLE_AT},
              link=lambda c: reverse("admin:index"), doc="console beat (staff_digest_send): daily, if anything waits."),
    )
}


def event_get(name: str) -> Event:
    try:
        return EVENTS[name]
    except KeyError:
        raise LookupError(f"unknown notification event {name!r}; see notifications/events.py") from None


def is_transactional(category: str) -> bool:
    return category in TRANSACTIONAL


def default_enabled(category: str) -> bool:
    return category not in OPT_IN
