"""Each of billing's rules has one home: the plan price a territory pays, the coupon discount, the bank-transfer
text, the provider registry, the compensation when a provider start fails, the sandbox's decision, the two
meanings of a live subscription, and a facade whose import order carries no meaning."""

import dataclasses
import importlib
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from billing import selectors, services
from billing.models import (
    OPEN_STATUSES,
    Coupon,
    CouponAmount,
    CouponRedemption,
    Payment,
    Plan,
    PlanPrice,
    Provider,
    Subscription,
)
from billing.providers import provider_for
from billing.providers.png import SIGNATURE_HEADERS
from billing.providers.registry import CHECKOUT_CODES, PNG_RAIL_CODES, PROVIDERS, WALLET_CODES, provider_info
from billing.providers.sandbox import sandbox_initiate
from billing.services.coupons import coupon_discount
from billing.services.payments import payment_abandon
from core.money import money_display

pytestmark = pytest.mark.django_db


def test_plan_price_for_takes_the_territorys_currency_then_usd_then_none():
    basic = Plan.objects.get(code="basic")
    assert selectors.plan_price_for(plan=basic, interval="month", territory="PG").amount_minor == 3500
    assert selectors.plan_price_for(plan=basic, interval="month", territory="PG").currency == "PGK"
    assert selectors.plan_price_for(plan=basic, interval="year", territory="AU").currency == "AUD"
    fiji = selectors.plan_price_for(plan=basic, interval="month", territory="FJ")  # no FJD price: USD
    assert (fiji.currency, fiji.amount_minor) == ("USD", 900)
    assert selectors.plan_price_for(plan=basic, interval="month", territory=None).currency == "USD"
    PlanPrice.objects.filter(plan=basic, interval="month", currency__in=["PGK", "USD"]).delete()
    assert selectors.plan_price_for(plan=basic, interval="month", territory="PG") is None
    assert selectors.plan_price_for(plan=basic, interval="week", territory="PG") is None


def test_plan_price_for_reads_prefetched_prices_without_a_query(django_assert_num_queries):
    plans = list(selectors.plans_offered())
    with django_assert_num_queries(0):
        answers = [selectors.plan_price_for(plan=plan, interval="month", territory="FJ") for plan in plans]
    assert [(price.currency, price.amount_minor) for price in answers] == [("USD", 900), ("USD", 1400), ("USD", 1900)]


def test_a_quote_a_coupon_preview_and_a_checkout_charge_the_same_fallback_price(viewer):
    quote = services.subscription_quote(user=viewer, plan_code="basic", interval="month", territory="FJ",
                                        provider="stripe")
    preview = services.coupon_preview(code="", user=viewer, territory="FJ", plan_code="basic")
    assert (quote.currency, quote.price_minor) == ("USD", 900)
    assert (preview.currency, preview.subtotal_minor) == ("USD", 900)
    assert services.coupon_check is services.coupon_preview


def test_a_staff_grant_is_priced_in_the_default_currency(viewer, staff):
    subscription = services.subscription_grant(user=viewer, plan_code="standard", by=staff, reason="Festival jury")
    assert (subscription.currency, subscription.amount_minor) == ("USD", 1400)


def test_coupon_discount_rounds_percent_half_up_and_caps_a_fixed_amount():
    percent = Coupon.objects.create(code="HALF", kind="percent", percent_off=15)
    assert coupon_discount(coupon=percent, subtotal_minor=3500, currency="PGK") == 525
    assert coupon_discount(coupon=percent, subtotal_minor=10, currency="PGK") == 2  # 1.5 rounds up
    fixed = Coupon.objects.create(code="K5", kind="fixed")
    CouponAmount.objects.create(coupon=fixed, currency="PGK", amount_minor=500)
    assert coupon_discount(coupon=fixed, subtotal_minor=3500, currency="PGK") == 500
    assert coupon_discount(coupon=fixed, subtotal_minor=300, currency="PGK") == 300
    assert coupon_discount(coupon=fixed, subtotal_minor=3500, currency="USD") is None


def test_a_renewal_takes_the_coupon_discount_of_the_one_rule(viewer):
    fixed = Coupon.objects.create(code="K5", kind="fixed", for_plans=True, duration="forever")
    CouponAmount.objects.create(coupon=fixed, currency="PGK", amount_minor=500)
    subscription = Subscription.objects.create(
        user=viewer, plan=Plan.objects.get(code="basic"), interval="month", currency="PGK", amount_minor=3500,
        provider="digicel", status="active", current_period_start=timezone.now(),
        current_period_end=timezone.now() + timedelta(days=3), coupon=fixed, coupon_payments_left=None,
    )
    renewal = services.checkout_renewal_start(user=viewer, subscription_id=subscription.pk, provider="bank")
    assert (renewal.subtotal_minor, renewal.discount_minor, renewal.amount_minor) == (3500, 500, 3000)
    assert renewal.coupon_id == fixed.pk


def test_bank_transfer_instructions_use_the_currencys_minor_units():
    pgk = Payment(amount_minor=123456, currency="PGK", reference="WX7K2M9Q")
    jpy = Payment(amount_minor=1234, currency="JPY", reference="WX7K2M9Q")
    account = settings.BILLING_BANK_ACCOUNT
    assert selectors.bank_transfer_instructions(payment=pgk) == (
        f"Transfer PGK 1,234.56 to {account} (by internet banking or *131#) quoting the reference WX7K2M9Q."
    )
    assert "JPY 1,234 " in selectors.bank_transfer_instructions(payment=jpy)  # no decimals: never a float / 100


def test_money_display_is_the_one_formatting_helper():
    assert money_display(123450, "PGK") == "PGK 1,234.50"
    assert money_display(500, "JPY") == "JPY 500"
    assert money_display(None, "PGK") == "-"
    assert money_display(100, "XXX") == "-"


def test_the_provider_registry_names_every_provider_code_once():
    assert set(PROVIDERS) == set(Provider.values)
    assert CHECKOUT_CODES == ("stripe", "bsp", "digicel", "vodafone", "bank", "sandbox")
    assert PNG_RAIL_CODES == ("bsp", "digicel", "vodafone", "sandbox")
    assert WALLET_CODES == ("digicel", "vodafone")
    assert SIGNATURE_HEADERS == {"bsp": "X-BSP-Signature", "digicel": "X-CellMoni-Signature",
                                 "vodafone": "X-MPaisa-Signature", "sandbox": "X-Sandbox-Signature"}
    assert [code for code in CHECKOUT_CODES if provider_info(code).renews_itself] == ["stripe"]
    assert [code for code in CHECKOUT_CODES if provider_info(code).currencies == ("PGK",)] == [
        "bsp", "digicel", "vodafone", "bank"
    ]
    assert provider_info("bsp").min_amount_minor == 100


def test_every_adapter_refunds_as_the_registry_says():
    for code in CHECKOUT_CODES:
        assert provider_for(code).refunds is provider_info(code).refunds_by_api, code
    assert [code for code in CHECKOUT_CODES if not provider_info(code).refunds_by_api] == ["vodafone", "bank"]
    with pytest.raises(KeyError):
        provider_for("staff")


def test_the_sandbox_returns_its_decision_and_enqueues_nothing(viewer, make_window, django_capture_on_commit_callbacks):
    window = make_window("tvod")
    rail = provider_for("vodafone")
    outcomes = {}
    with django_capture_on_commit_callbacks() as callbacks:
        for phone in ("70012345", "70012000", "70012999"):
            payment = Payment(user=viewer, provider="vodafone", currency="PGK", amount_minor=500, phone=phone,
                              reference=f"SBX{phone[-3:]}", window_id=window.pk, return_url="https://wans.test/x")
            outcomes[phone] = sandbox_initiate(rail=rail, payment=payment).simulated_outcome
    assert callbacks == []
    assert outcomes == {"70012345": "paid", "70012000": "failed", "70012999": None}
    bsp = Payment(user=viewer, provider="bsp", currency="PGK", amount_minor=500, reference="SBXBSP01")
    started = sandbox_initiate(rail=provider_for("bsp"), payment=bsp)
    assert (started.next_action, started.simulated_outcome) == ("redirect", None)


def test_a_wallet_checkout_schedules_the_sandboxs_answer_on_commit(viewer, make_window,
                                                                    django_capture_on_commit_callbacks):
    window = make_window("tvod")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="digicel",
                                                   territory="PG", phone="70012345")
    assert len(callbacks) == 2  # the sandbox's answer, then the receipt's sending (notifications)
    payment.refresh_from_db()
    assert payment.status == "paid"  # the eager task sent the signed callback through callback_handle


def test_payment_abandon_fails_a_pending_payment_releases_its_coupon_and_ends_its_subscription(viewer):
    coupon = Coupon.objects.create(code="TEN", kind="percent", percent_off=10, for_plans=True)
    payment = services.checkout_subscription_start(user=viewer, plan_code="basic", provider="bank", territory="PG",
                                                   coupon_code="TEN")
    assert payment.status == "pending"
    payment_abandon(payment_id=payment.pk, reason="The rail refused it.")
    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("failed", "The rail refused it.")
    assert CouponRedemption.objects.get(coupon=coupon).status == "released"
    assert Subscription.objects.get(pk=payment.subscription_id).status == "expired"
    payment_abandon(payment_id=payment.pk, reason="Again.")  # no longer pending: nothing changes
    payment.refresh_from_db()
    assert payment.failure_reason == "The rail refused it."


def test_open_statuses_are_the_constraints_and_access_needs_the_period(viewer):
    assert set(OPEN_STATUSES) == {Subscription.Status.TRIALING, Subscription.Status.ACTIVE,
                                  Subscription.Status.PAST_DUE}
    (constraint,) = Subscription._meta.constraints
    assert dict(constraint.condition.children) == {"status__in": list(OPEN_STATUSES)}
    now = timezone.now()
    lapsed_period = Subscription.objects.create(
        user=viewer, plan=Plan.objects.get(code="basic"), interval="month", currency="PGK", amount_minor=3500,
        provider="bank", status="active", current_period_start=now - timedelta(days=60),
        current_period_end=now - timedelta(days=30),
    )
    assert lapsed_period.is_open  # open by its status ...
    assert selectors.subscription_active_for(user=viewer) is None  # ... but it gives no access any more


def _services_modules() -> list[str]:
    return [name for name in sys.modules if name == "billing.services" or name.startswith("billing.services.")]


def test_the_services_facade_imports_in_any_order_and_star_import_works():
    kept = {name: sys.modules.pop(name) for name in _services_modules()}
    try:
        for first in ("billing.services.stripe_events", "billing.services.payer", "billing.services.checkout"):
            for name in _services_modules():
                del sys.modules[name]
            importlib.import_module(first)  # a submodule first: the package runs, then everything it names
            namespace = {}
            exec("from billing.services import *", namespace)  # noqa: S102
            assert sorted(name for name in namespace if not name.startswith("__")) == sorted(services.__all__)
    finally:
        for name in _services_modules():
            del sys.modules[name]
        sys.modules.update(kept)
        for name, module in kept.items():  # the packages' attributes too, as they were
            parent, _, child = name.rpartition(".")
            setattr(sys.modules[parent], child, module)


def test_both_checkouts_take_one_checkout_request(viewer, make_window):
    window = make_window("tvod")
    how = services.CheckoutRequest(provider="bsp", territory="PG", return_url="https://wans.test/back")

    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, checkout=how)

    assert (payment.provider, payment.currency, payment.return_url) == ("bsp", "PGK", "https://wans.test/back")
    assert payment.window_id == window.pk and payment.status == "pending"
    with pytest.raises(dataclasses.FrozenInstanceError):
        how.provider = "stripe"


def test_a_checkout_request_and_its_fields_together_are_refused_and_nothing_is_recorded(viewer, make_window):
    window = make_window("tvod")
    how = services.CheckoutRequest(provider="bsp", territory="PG")

    with pytest.raises(TypeError, match="Give checkout= or its fields, not both: provider."):
        services.checkout_purchase_start(user=viewer, window_id=window.pk, checkout=how, provider="digicel")
    with pytest.raises(TypeError, match="Give checkout= or its fields, not both: phone."):
        services.checkout_subscription_start(user=viewer, plan_code="basic", checkout=how, phone="70012345")
    with pytest.raises(TypeError):  # neither: the rail and the territory are required, as they always were
        services.checkout_purchase_start(user=viewer, window_id=window.pk)

    assert Payment.objects.count() == 0 and Subscription.objects.count() == 0
