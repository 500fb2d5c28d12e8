"""The names other apps call: plan limits, staff grants, the rental clock, rights' entitlement answer and the
device limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import selectors as accounts_selectors
from billing import errors, selectors, services
from billing.models import Entitlement, Plan, PlanPrice, Subscription
from rights import selectors as rights_selectors

pytestmark = pytest.mark.django_db


def test_the_three_plans_are_seeded_with_explicit_prices():
    plans = {p.code: p for p in Plan.objects.all()}
    assert [(p.code, p.streams, p.top_height) for p in Plan.objects.order_by("sort_order")] == [
        ("basic", 1, 720),
        ("standard", 2, 1080),
        ("premium", 4, 2160),
    ]
    monthly_usd = {
        p.plan.code: p.amount_minor for p in PlanPrice.objects.filter(interval="month", currency="USD")
    }
    assert monthly_usd == {"basic": 900, "standard": 1400, "premium": 1900}
    assert PlanPrice.objects.get(plan=plans["basic"], interval="month", currency="PGK").amount_minor == 3500
    assert PlanPrice.objects.get(plan=plans["premium"], interval="year", currency="GBP").amount_minor == 14990
    for plan in plans.values():
        currencies = set(plan.prices.filter(interval="year").values_list("currency", flat=True))
        assert currencies == {"USD", "PGK", "AUD", "NZD", "GBP"}


def test_a_viewer_without_a_subscription_gets_the_defaults(viewer, settings):
    settings.ACCOUNTS_DEFAULT_DEVICE_LIMIT = 10
    limits = selectors.plan_limits_for(user=viewer)
    assert limits == selectors.PlanLimits(plan_code=None, streams=1, devices=10, top_height=1080)
    assert selectors.subscription_active_for(user=viewer) is None
    assert accounts_selectors.device_limit_for(user=viewer) == 10


def test_staff_grant_makes_an_active_subscriber_with_the_plans_limits(viewer, staff):
    sub = services.subscription_grant(user=viewer, plan_code="premium", by=staff, reason="press")
    assert sub.status == "active" and sub.provider == "staff" and sub.grant_reason == "press"
    assert selectors.subscription_active_for(user=viewer) == sub
    assert selectors.plan_limits_for(user=viewer) == selectors.PlanLimits("premium", 4, 10, 2160)
    assert accounts_selectors.device_limit_for(user=viewer) == 10
    assert Entitlement.objects.get(subscription=sub).kind == "subscription"
    # a second grant replaces the first
    second = services.subscription_grant(user=viewer, plan_code="basic", interval="year", by=staff, reason="swap")
    sub.refresh_from_db()
    assert sub.status == "canceled" and second.status == "active"
    assert selectors.plan_limits_for(user=viewer).plan_code == "basic"
    assert (second.current_period_end - second.current_period_start).days in (365, 366)


def test_only_staff_grant_and_with_a_reason(viewer, creator, staff):
    with pytest.raises(errors.BillingPermissionDenied):
        services.subscription_grant(user=viewer, plan_code="basic", by=creator, reason="x")
    with pytest.raises(errors.BillingInvalid) as info:
        services.subscription_grant(user=viewer, plan_code="basic", by=staff, reason=" ")
    assert info.value.fields == {"reason": ["Say why the subscription is granted."]}
    with pytest.raises(errors.UnknownPlan):
        services.subscription_grant(user=viewer, plan_code="gold", by=staff, reason="x")
    assert Subscription.objects.count() == 0


def test_grace_counts_as_active_and_a_lapse_does_not(viewer, staff):
    sub = services.subscription_grant(user=viewer, plan_code="standard", by=staff, reason="x")
    now = timezone.now()
    Subscription.objects.filter(pk=sub.pk).update(
        status="past_due", current_period_end=now - timedelta(days=1), grace_until=now + timedelta(days=2)
    )
    assert selectors.plan_limits_for(user=viewer).plan_code == "standard"
    Subscription.objects.filter(pk=sub.pk).update(grace_until=now - timedelta(seconds=1))
    assert selectors.plan_limits_for(user=viewer).plan_code is None  # grace over, even before the sweep runs
    counts = services.subscriptions_sweep()
    assert counts == {"ended": 0, "lapsed": 1, "grace": 0}
    sub.refresh_from_db()
    assert sub.status == "lapsed"
    assert selectors.subscription_active_for(user=viewer) is None


def test_svod_windows_open_to_subscribers_only(viewer, staff, film, make_window):
    svod = make_window("svod", prices={})
    answer = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=viewer)
    assert answer["access"]["granted"] is False
    assert [o["kind"] for o in answer["offers"]] == ["subscribe"]
    services.subscription_grant(user=viewer, plan_code="basic", by=staff, reason="x")
    answer = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=viewer)
    assert answer["access"] == {"granted": True, "window": {"id": svod.pk, "type": "svod"}, "via": "entitlement"}


@pytest.mark.parametrize(
    ("window_type", "kind"),
    [("tvod", "rental"), ("pvod", "purchase"), ("ppv", "ticket"), ("festival", "festival_pass"),
     ("collector", "collector")],
)
def test_staff_grant_of_each_window_type_gives_access(viewer, staff, film, make_window, window_type, kind):
    window = make_window(window_type)
    later = timezone.now() + timedelta(minutes=2)  # after a PPV event's start
    before = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=later, user=viewer)
    assert before["access"]["granted"] is False
    entitlement = services.entitlement_grant(user=viewer, window_id=window.pk, by=staff, reason="festival jury")
    assert entitlement.kind == kind and entitlement.film_id == film.pk
    assert entitlement.edition_number == (1 if kind == "collector" else None)
    after = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=later, user=viewer)
    assert after["access"] == {"granted": True, "window": {"id": window.pk, "type": window_type},
                               "via": "entitlement"}
    with pytest.raises(errors.AlreadyEntitled):
        services.entitlement_grant(user=viewer, window_id=window.pk, by=staff, reason="again")
    assert Entitlement.objects.filter(user=viewer).count() == 1


def test_windows_nobody_buys_cannot_be_granted(viewer, staff, make_window):
    for window_type in ("svod", "avod"):
        window = make_window(window_type, prices={})
        with pytest.raises(errors.NotForSale):
            services.entitlement_grant(user=viewer, window_id=window.pk, by=staff, reason="x")
    assert Entitlement.objects.count() == 0


def test_rental_has_thirty_days_to_start_then_forty_eight_hours(viewer, staff, film, make_window):
    window = make_window("tvod")
    rental = services.entitlement_grant(user=viewer, window_id=window.pk, by=staff, reason="x")
    granted = rental.granted_at
    assert rental.start_by == granted + timedelta(days=30)
    ask = rights_selectors.availability_for
    # not started: live until the 30 days are up
    assert ask(film_id=film.pk, territory="PG", at=granted + timedelta(days=29), user=viewer)["access"]["granted"]
    assert not ask(film_id=film.pk, territory="PG", at=granted + timedelta(days=30), user=viewer)["access"]["granted"]
    started = granted + timedelta(days=2)
    services.rental_start(user=viewer, window_id=window.pk, at=started)
    services.rental_start(user=viewer, window_id=window.pk, at=started + timedelta(hours=5))  # once only
    rental.refresh_from_db()
    assert rental.started_at == started and rental.ends_at == started + timedelta(hours=48)
    assert ask(film_id=film.pk, territory="PG", at=started + timedelta(hours=47), user=viewer)["access"]["granted"]
    assert not ask(film_id=film.pk, territory="PG", at=started + timedelta(hours=48), user=viewer)["access"]["granted"]


def test_rental_start_without_a_rental_is_a_no_op(viewer, make_window):
    window = make_window("tvod")
    services.rental_start(user=viewer, window_id=window.pk, at=timezone.now())
    services.rental_start(user=viewer, window_id=999999, at=timezone.now())
    assert Entitlement.objects.count() == 0


def test_collector_copies_are_numbered_and_limited(staff, make_user, make_window):
    window = make_window("collector", edition_size=2)
    first, second, third = make_user(), make_user(), make_user()
    assert services.entitlement_grant(user=first, window_id=window.pk, by=staff, reason="x").edition_number == 1
    assert services.entitlement_grant(user=second, window_id=window.pk, by=staff, reason="x").edition_number == 2
    with pytest.raises(errors.SoldOut):
        services.entitlement_grant(user=third, window_id=window.pk, by=staff, reason="x")
    assert Entitlement.objects.filter(user=third).count() == 0


def test_staff_are_entitled_to_everything(staff, film, make_window):
    window = make_window("pvod")
    answer = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=staff)
    assert answer["access"] == {"granted": True, "window": {"id": window.pk, "type": "pvod"}, "via": "staff"}


def test_anonymous_is_entitled_to_nothing(film, make_window):
    make_window("pvod")
    answer = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=None)
    assert answer["access"]["granted"] is False


def test_what_each_entitlement_holds_after_its_window(viewer, staff, film, make_window):
    now = timezone.now()
    pvod = make_window("pvod", starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=1))
    collector = make_window("collector", starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=1),
                            territories="PG")
    for window in (pvod, collector):
        services.entitlement_grant(user=viewer, window_id=window.pk, by=staff, reason="x")
    after = now + timedelta(days=2)
    answer = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=after, user=viewer)
    # the purchase lasted while the window's terms said; the collector copy is kept
    assert answer["access"] == {"granted": True, "window": {"id": collector.pk, "type": "collector"},
                                "via": "entitlement"}


def test_a_ppv_ticket_plays_from_the_event(viewer, staff, film, make_window):
    now = timezone.now()
    ppv = make_window("ppv", event_starts_at=now + timedelta(hours=3))
    services.entitlement_grant(user=viewer, window_id=ppv.pk, by=staff, reason="x")
    before = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=viewer)
    assert before["access"] == {"granted": False, "window": {"id": ppv.pk, "type": "ppv"}, "via": "entitlement"}
    during = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=now + timedelta(hours=4),
                                               user=viewer)
    assert during["access"]["granted"] is True


def test_plans_come_back_after_a_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert sorted(Plan.objects.values_list("code", flat=True)) == ["basic", "premium", "standard"]
