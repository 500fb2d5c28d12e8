from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from billing.models import Interval, Payment, Plan, Provider, Subscription
from billing.providers.registry import CHECKOUT_CODES, PNG_LIVE_RAIL_CODES
from billing.selectors import bank_transfer_instructions
from core.money import money_display

PROVIDERS = list(CHECKOUT_CODES)
PNG_PROVIDERS = list(PNG_LIVE_RAIL_CODES)


def money(amount_minor: int, currency: str) -> dict:
    return {"amount_minor": amount_minor, "currency": currency, "display": money_display(amount_minor, currency)}


class PlanSerializer(serializers.ModelSerializer):
    prices = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["code", "name", "streams", "devices", "top_height", "trial_days", "prices"]

    def get_prices(self, plan) -> dict:
        prices: dict[str, dict] = {"month": {}, "year": {}}
        for price in plan.prices.all():
            prices[price.interval][price.currency] = money(price.amount_minor, price.currency)
        return prices


class SubscriptionSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code")
    price = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id", "user", "plan", "interval", "price", "provider", "status", "current_period_start",
            "current_period_end", "trial_ends_at", "cancel_at_period_end", "grace_until", "ended_at", "created_at",
        ]

    def get_price(self, sub) -> dict:
        return money(sub.amount_minor, sub.currency)


class PaymentSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()
    subtotal = serializers.SerializerMethodField()
    discount = serializers.SerializerMethodField()
    plan = serializers.CharField(source="plan.code", default=None)
    coupon = serializers.CharField(source="coupon.code", default=None)
    bank_instructions = serializers.SerializerMethodField()
    redirect_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id", "public_id", "reference", "user", "purpose", "provider", "status", "amount", "subtotal",
            "discount", "coupon", "plan", "interval", "subscription", "film", "window", "window_type",
            "next_action", "redirect_url", "bank_instructions", "expires_at", "paid_at", "refunded_at",
            "failure_reason", "created_at",
        ]

    def get_amount(self, p) -> dict:
        return money(p.amount_minor, p.currency)

    def get_subtotal(self, p) -> dict:
        return money(p.subtotal_minor, p.currency)

    def get_discount(self, p) -> dict:
        return money(p.discount_minor, p.currency)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_redirect_url(self, p) -> str | None:
        """Where to send the payer next; null when there is nowhere to go (an empty string is not a URI)."""
        return p.redirect_url or None

    def get_bank_instructions(self, p) -> str | None:
        if p.provider != Provider.BANK:
            return None
        return bank_transfer_instructions(payment=p)


class _CheckoutBase(serializers.Serializer):
    provider = serializers.ChoiceField(choices=PROVIDERS)
    currency = serializers.CharField(max_length=3, required=False)
    coupon = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9]{6,15}$", required=False, allow_blank=True)
    return_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)

    def validate_return_url(self, value: str) -> str:
        from django.conf import settings
        from django.utils.http import url_has_allowed_host_and_scheme

        if value and not url_has_allowed_host_and_scheme(
            value, allowed_hosts={h for h in settings.ALLOWED_HOSTS if h != "*"} | {_site_host()}
        ):
            raise serializers.ValidationError("Return only to this site.")
        return value


def _site_host() -> str:
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.WANS_SITE_URL).netloc


class SubscriptionStartSerializer(_CheckoutBase):
    plan = serializers.CharField(max_length=30)
    interval = serializers.ChoiceField(choices=Interval.choices, default="month")


class PurchaseStartSerializer(_CheckoutBase):
    window_id = serializers.IntegerField(min_value=1, max_value=2**62)


class PngStartSerializer(_CheckoutBase):
    provider = serializers.ChoiceField(choices=PNG_PROVIDERS)
    window_id = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    plan = serializers.CharField(max_length=30, required=False)
    interval = serializers.ChoiceField(choices=Interval.choices, default="month")

    def validate(self, data):
        if ("window_id" in data) == ("plan" in data):
            raise serializers.ValidationError({"window_id": ["Give a window_id (a purchase) or a plan, not both."]})
        return data


class CouponCheckSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    plan = serializers.CharField(max_length=30, required=False)
    interval = serializers.ChoiceField(choices=Interval.choices, default="month")
    window_id = serializers.IntegerField(min_value=1, max_value=2**62, required=False)

    def validate(self, data):
        if ("window_id" in data) == ("plan" in data):
            raise serializers.ValidationError({"plan": ["Give a plan or a window_id."]})
        return data


class CouponApplySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    subscription_id = serializers.IntegerField(min_value=1, max_value=2**62)


class RefundSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    manual = serializers.BooleanField(default=False)


class SandboxAnswerSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["pay", "decline"])
    otp = serializers.CharField(max_length=12, required=False, allow_blank=True, help_text="BSP: the one-time code.")
