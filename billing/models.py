"""Billing's tables: plans and prices, subscriptions, payments, entitlements, coupons, the ledger and provider
events. Money is always an integer amount of minor units plus an ISO 4217 code. State machines (subscription,
payment) live in services.py as TRANSITIONS dicts; the models hold fields, constraints and one-row properties."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Interval(models.TextChoices):
    MONTH = "month", "Monthly"
    YEAR = "year", "Annual"


class Provider(models.TextChoices):
    STRIPE = "stripe", "Stripe (cards)"
    BSP = "bsp", "BSP Pay"
    DIGICEL = "digicel", "Digicel CellMoni"
    VODAFONE = "vodafone", "Vodafone M-PAiSA"
    BANK = "bank", "Bank or USSD transfer"
    SANDBOX = "sandbox", "Sandbox"
    STAFF = "staff", "Staff grant"


class Plan(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    streams = models.PositiveSmallIntegerField(help_text="Concurrent streams.")
    devices = models.PositiveSmallIntegerField(help_text="Devices signed in at once.")
    top_height = models.PositiveSmallIntegerField(help_text="Highest rendition height: 720, 1080 or 2160.")
    trial_days = models.PositiveSmallIntegerField(default=0, help_text="Free trial days for a first subscription.")
    active = models.BooleanField(default=True, help_text="Offered to new subscribers.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(streams__gte=1) & Q(devices__gte=1), name="billing_plan_limits_positive")
        ]

    def __str__(self) -> str:
        return self.name


class PlanPrice(models.Model):
    """A plan's price for one interval in one currency, set explicitly (never converted at run time)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prices")
    interval = models.CharField(max_length=5, choices=Interval.choices)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    stripe_price_id = models.CharField(max_length=100, blank=True, help_text="Stripe Price id (price_...), if any.")

    class Meta:
        ordering = ["plan__sort_order", "interval", "currency"]
        constraints = [
            models.UniqueConstraint("plan", "interval", "currency", name="billing_planprice_once"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="billing_planprice_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.interval} {self.currency} {self.amount_minor}"


class Coupon(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent off"
        FIXED = "fixed", "Fixed amount off"

    class Duration(models.TextChoices):
        ONCE = "once", "First payment only"
        REPEATING = "repeating", "N months"
        FOREVER = "forever", "Forever"

    code = models.CharField(max_length=40, unique=True, help_text="Stored upper-case; matched case-insensitively.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-100, percent coupons.")
    for_plans = models.BooleanField(default=True, help_text="Applies to subscriptions.")
    for_purchases = models.BooleanField(default=False, help_text="Applies to one-time purchases.")
    plans = models.ManyToManyField(Plan, blank=True, help_text="Only these plans (empty: every plan).")
    expires_at = models.DateTimeField(null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(null=True, blank=True, help_text="Total cap (empty: none).")
    per_user_limit = models.PositiveIntegerField(default=1)
    first_time_only = models.BooleanField(default=False, help_text="Only people who never subscribed.")
    duration = models.CharField(max_length=10, choices=Duration.choices, default=Duration.ONCE)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For 'N months'.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(percent_off__gte=1, percent_off__lte=100),
                name="billing_coupon_percent_range",
            ),
            models.CheckConstraint(
                condition=~Q(duration="repeating") | Q(duration_months__gte=1), name="billing_coupon_months"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CouponAmount(models.Model):
    """A fixed coupon's amount off in one currency."""

    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="amounts")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint("coupon", "currency", name="billing_couponamount_once"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="billing_couponamount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount_minor}"


# A subscription that has not ended, by its status alone: at most one per person (the constraint below). Whether it
# lets its holder watch at a given moment (period end, grace) is billing._queries.subscription_access_q.
OPEN_STATUSES = ("trialing", "active", "past_due")


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting first payment"
        TRIALING = "trialing", "Trial"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Renewal failed (grace period)"
        CANCELED = "canceled", "Ended"
        LAPSED = "lapsed", "Lapsed (unpaid)"
        EXPIRED = "expired", "Never paid"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    interval = models.CharField(max_length=5, choices=Interval.choices, default=Interval.MONTH)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(help_text="The plan's price per interval when subscribed.")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    grace_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    coupon = models.ForeignKey(Coupon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    coupon_payments_left = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Discounted payments still to come (empty: forever, or no coupon)."
    )
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    grant_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live subscription per person: the database keeps two checkouts from both activating.
            models.UniqueConstraint(
                "user",
                condition=Q(status__in=list(OPEN_STATUSES)),
                name="billing_one_live_subscription",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}/{self.interval} for user {self.user_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _order_reference() -> str:
    # 10 characters from an alphabet without look-alikes (0/O, 1/I/L): easy to read out over a USSD transfer.
    import secrets

    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "W" + "".join(secrets.choice(alphabet) for _ in range(9))


class Payment(models.Model):
    """One attempt to take money (the API calls it a transaction): a subscription's first or renewal payment, or a
    one-time purchase for a film window. Grants happen only when it becomes `paid`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"

    class Purpose(models.TextChoices):
        SUBSCRIPTION = "subscription", "Subscription"
        PURCHASE = "purchase", "One-time purchase"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=_order_reference, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    provider = models.CharField(max_length=10, choices=Provider.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0)
    amount_minor = models.BigIntegerField(help_text="What the payer pays: subtotal less discount.")
    fee_minor = models.BigIntegerField(null=True, blank=True, help_text="The provider's fee, once known.")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    interval = models.CharField(max_length=5, choices=Interval.choices, blank=True)
    # A deleted window (rights' window_delete) leaves the payment and its ledger (by film) intact.
    window = models.ForeignKey("rights.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    window_type = models.CharField(max_length=10, blank=True)
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    period_start = models.DateTimeField(null=True, blank=True, help_text="Subscriptions: the period this pays for.")
    period_end = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=120, blank=True, db_index=True, help_text="The provider's id.")
    provider_charge_ref = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="Stripe: the PaymentIntent that took the money."
    )
    phone = models.CharField(max_length=20, blank=True, help_text="Wallet payments: the payer's number.")
    # The viewer's territory at checkout (it set the price and currency); royalties applies a territory's split by it.
    # Null on payments made before it was recorded, and on renewals and grants (no checkout territory).
    territory = models.CharField(max_length=2, null=True, blank=True)  # noqa: DJ001 (null: not recorded)
    redirect_url = models.URLField(max_length=2000, blank=True)
    next_action = models.CharField(max_length=16, blank=True, help_text="redirect, push or bank_transfer.")
    return_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="billing_payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_minor=models.F("subtotal_minor") - models.F("discount_minor")),
                name="billing_payment_amount_is_subtotal_less_discount",
            ),
            models.UniqueConstraint(
                "provider", "provider_ref", condition=~Q(provider_ref=""), name="billing_payment_provider_ref_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.currency} {self.amount_minor} ({self.status})"


class Entitlement(models.Model):
    """A viewer's right to watch through a window. Subscription entitlements follow their subscription's state."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", "Subscription"
        RENTAL = "rental", "Rental"
        PURCHASE = "purchase", "Purchase"
        TICKET = "ticket", "Ticket"
        FESTIVAL_PASS = "festival_pass", "Festival pass"
        COLLECTOR = "collector", "Collector edition"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    # A deleted window (rights' window_delete) leaves the payment and its ledger (by film) intact.
    window = models.ForeignKey("rights.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="entitlements"
    )
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entitlements")
    edition_number = models.PositiveIntegerField(null=True, blank=True)
    granted_at = models.DateTimeField()
    start_by = models.DateTimeField(null=True, blank=True, help_text="Rentals: the last moment to start watching.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="Rentals: first playback.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Rentals: started_at + the window's hours.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "window"])]
        constraints = [
            # The last numbered copy cannot be sold twice: the database refuses a second holder of a number.
            models.UniqueConstraint(
                "window", "edition_number", condition=Q(revoked_at__isnull=True), name="billing_edition_number_once"
            ),
            models.UniqueConstraint(
                "payment", condition=Q(payment__isnull=False), name="billing_one_entitlement_per_payment"
            ),
            models.CheckConstraint(
                condition=~Q(kind="collector") | Q(edition_number__gte=1), name="billing_collector_numbered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id} window {self.window_id}"


class ProviderEvent(models.Model):
    """A webhook or callback, recorded once per (provider, event id): a replay finds the row and does nothing."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=80, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint("provider", "event_id", name="billing_provider_event_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class LedgerAccount(models.Model):
    """An account of the double-entry ledger. Codes: `provider:<code>` (money held by a provider, asset),
    `fees:<code>` (provider fees, expense), `platform:revenue`, `creator:<user id>` (owed to a creator's films, before
    royalties splits it), `svod:pool` (subscription revenue awaiting the watch-time split), `payee:<payee id>` (owed
    to one rights holder, royalties.Payee), `tax:withheld` (withheld from payees for the tax office),
    `clearing:<rail>` (payouts sent on a rail, not yet confirmed), `cash:<rail>` (the platform's money paid out on a
    rail: its bank account, wallet float or Stripe balance)."""

    class Kind(models.TextChoices):
        ASSET = "asset", "Asset"
        EXPENSE = "expense", "Expense"
        LIABILITY = "liability", "Liability"
        REVENUE = "revenue", "Revenue"

    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class LedgerTransaction(models.Model):
    """One balanced movement: the entries of each currency sum to zero. `key` makes posting idempotent."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REFUND = "refund", "Refund"
        SVOD_SPLIT = "svod_split", "SVOD pool split"
        GRANT = "grant", "Complimentary grant (no entries)"
        # Royalties and payouts (issue 14): a film's creator share moved to its payees at statement close, with
        # tax withheld; a payout leaving a payee's balance for a rail's clearing account; the rail confirming it
        # (clearing -> cash); a failed or returned payout coming back to the payee's balance.
        ROYALTY = "royalty", "Royalty allocation to payees"
        ADJUSTMENT = "adjustment", "Royalty adjustment"
        PAYOUT = "payout", "Payout sent"
        PAYOUT_PAID = "payout_paid", "Payout confirmed"
        PAYOUT_BACK = "payout_back", "Payout failed or returned"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    model = models.CharField(max_length=10, blank=True, help_text="Revenue model: tvod, pvod, ppv, svod, ...")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    occurred_at = models.DateTimeField(db_index=True)
    memo = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class LedgerEntry(models.Model):
    """Signed amount: debit positive, credit negative."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount_minor=0), name="billing_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account.code} {self.currency} {self.amount_minor}"


class WatchTime(models.Model):
    """Seconds watched of a film by subscribers in one period (a month, `period` = its first day). Playback feeds
    it through `services.watch_time_record`; the SVOD pool of the period is split in proportion."""

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("film", "period", name="billing_watchtime_once"),
            models.CheckConstraint(condition=Q(seconds__gte=0), name="billing_watchtime_not_negative"),
        ]

    def __str__(self) -> str:
        return f"film {self.film_id} {self.period:%Y-%m}: {self.seconds} s"


class CouponRedemption(models.Model):
    """A coupon used by a person. `reserved` while the payment is pending (it counts against the caps, so two
    people racing for the last redemption cannot both get it), `confirmed` once paid, `released` if it never is."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        CONFIRMED = "confirmed", "Confirmed"
        RELEASED = "released", "Released"

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    payment = models.OneToOneField(
        Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="redemption"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="A coupon applied to a running subscription.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.coupon_id} by user {self.user_id} ({self.status})"


class CollectorStock(models.Model):
    """Billing's lock row for a collector window: checkouts and grants of its numbered copies take this row
    FOR UPDATE, so that counting the copies left and reserving one happen as one step."""

    window = models.OneToOneField("rights.Window", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"collector window {self.window_id}"


class ExchangeRate(models.Model):
    """What one unit of `currency` is worth in the reporting currency (BILLING_REPORTING_CURRENCY) from `valid_from`.
    Staff enter the rates; reports convert at the latest rate on or before the day, and only there (prices are set
    per currency, never converted)."""

    currency = models.CharField(max_length=3)
    valid_from = models.DateField()
    rate = models.DecimalField(max_digits=18, decimal_places=8, help_text="Reporting currency per 1 unit.")

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint("currency", "valid_from", name="billing_exchangerate_once"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="billing_exchangerate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} from {self.valid_from}"
