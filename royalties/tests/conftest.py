"""Royalties' test helpers: sales, refunds and subscriptions through billing's real services at chosen times, and
months relative to today (all ended, so they can be closed). Users, films and windows come from core.testing."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from itertools import count
from unittest import mock

import pytest
from django.utils import timezone

from billing import services as billing_services


def month(back: int) -> date:
    """The first day of the month `back` months before this one (UTC)."""
    day = timezone.now().date().replace(day=1)
    for _ in range(back):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def at(period: date, day: int = 10, hour: int = 12) -> datetime:
    return datetime(period.year, period.month, day, hour, tzinfo=UTC)


@contextmanager
def frozen(moment: datetime):
    """timezone.now() is `moment` inside (billing dates a refund at the moment it is made)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def shop(make_user, staff):
    """shop.sell(window, at=, territory="PG", fee=38) -> a paid payment; shop.refund(payment, at=);
    shop.subscribe(at=, fee=) -> a paid basic subscription payment in PGK. Each sale is a new viewer's (a viewer
    holds a window once)."""
    numbers = count(1)

    class Shop:
        def sell(self, window, *, at: datetime, territory: str = "PG", fee: int = 0, provider: str = "sandbox"):
            viewer = make_user(email=f"buyer{next(numbers)}@example.com")
            payment = billing_services.checkout_purchase_start(
                user=viewer, window_id=window.pk, provider=provider, territory=territory
            )
            return billing_services.payment_confirm(
                payment_id=payment.pk, amount_minor=payment.amount_minor, currency=payment.currency, fee_minor=fee,
                at=at,
            )

        def refund(self, payment, *, at: datetime):
            with frozen(at):
                return billing_services.payment_refund(payment=payment, by=staff, reason="test refund")

        def subscribe(self, *, at: datetime, fee: int = 0):
            viewer = make_user(email=f"subscriber{next(numbers)}@example.com")
            payment = billing_services.checkout_subscription_start(
                user=viewer, plan_code="basic", provider="sandbox", territory="PG"
            )
            return billing_services.payment_confirm(
                payment_id=payment.pk, amount_minor=payment.amount_minor, currency=payment.currency, fee_minor=fee,
                at=at,
            )

    return Shop()
