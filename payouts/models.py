"""Payouts (issue 14): where a payee is paid (bank account, mobile wallet, Stripe Connect account), what holds their
payouts back, and the runs that pay their balances out. A payee's balance is the ledger's (billing), never stored
here: a payout moves it through the ledger at each step of its state machine (services/state.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Rail(models.TextChoices):
    """How a payout travels. The ledger's `clearing:<rail>` and `cash:<rail>` accounts are named by these codes."""

    BANK = "bank", "Bank transfer (bank file)"
    DIGICEL = "digicel", "Digicel CellMoni"
    VODAFONE = "vodafone", "Vodafone M-PAiSA"
    STRIPE = "stripe", "Stripe Connect"


class PayeeAccount(models.Model):
    """Where one payee is paid: one of a PNG bank account, a PNG mobile wallet or a Stripe Connect account (for payees
    abroad). A payee has at most one active account; replacing it deactivates the old one (kept for history: payouts
    name the account they were sent to)."""

    class Kind(models.TextChoices):
        BANK = "bank", "PNG bank account"
        WALLET = "wallet", "Mobile wallet"
        STRIPE = "stripe", "Stripe Connect (abroad)"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting verification"
        ONBOARDING = "onboarding", "Onboarding with Stripe"
        VERIFIED = "verified", "Verified"
        RESTRICTED = "restricted", "Restricted by Stripe"
        REJECTED = "rejected", "Rejected"

    class Bank(models.TextChoices):
        BSP = "BSP", "BSP (Bank South Pacific)"
        KINA = "KINA", "Kina Bank"
        WESTPAC = "WPAC", "Westpac PNG"
        ANZ = "ANZ", "ANZ PNG"
        TISA = "TISA", "TISA Bank"
        MIBANK = "MIBANK", "MiBank"

    payee = models.ForeignKey("royalties.Payee", on_delete=models.PROTECT, related_name="payout_accounts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    rail = models.CharField(max_length=10, choices=Rail.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    active = models.BooleanField(default=True)
    # bank
    bank = models.CharField(max_length=8, choices=Bank.choices, blank=True)
    branch_code = models.CharField(max_length=6, blank=True, help_text="BSB / branch code, 6 digits.")
    account_number = models.CharField(max_length=20, blank=True)
    account_name = models.CharField(max_length=60, blank=True)
    # wallet: +675 and 8 digits
    msisdn = models.CharField(max_length=16, blank=True)
    # Stripe Connect
    stripe_account_id = models.CharField(max_length=64, blank=True)
    stripe_country = models.CharField(max_length=2, blank=True)
    stripe_requirements = models.JSONField(default=list, blank=True, help_text="Stripe's requirements currently due.")
    stripe_state_at = models.DateTimeField(
        null=True, blank=True, help_text="When Stripe made the account.updated event applied last (older ones wait)."
    )
    status_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("verify_payeeaccount", "Verify or reject payee accounts")]
        constraints = [
            models.UniqueConstraint("payee", condition=Q(active=True), name="payouts_one_active_account"),
            models.UniqueConstraint(
                "stripe_account_id", condition=~Q(stripe_account_id=""), name="payouts_stripe_account_once"
            ),
            models.CheckConstraint(
                condition=(Q(kind="bank", rail="bank") & ~Q(account_number=""))
                | (Q(kind="wallet", rail__in=["digicel", "vodafone"]) & ~Q(msisdn=""))
                | Q(kind="stripe", rail="stripe"),
                name="payouts_account_kind_matches_rail",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked} ({self.get_status_display().lower()})"

    @property
    def masked(self) -> str:
        """What pages show: the last digits only."""
        if self.kind == self.Kind.BANK:
            return f"{self.bank} {self.branch_code} ••••{self.account_number[-4:]}"
        if self.kind == self.Kind.WALLET:
            return f"{self.get_rail_display()} ••••{self.msisdn[-4:]}"
        return f"Stripe {self.stripe_account_id[:5]}…{self.stripe_account_id[-4:]}" if self.stripe_account_id else (
            "Stripe (not created yet)"
        )

    @property
    def verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class PayoutHold(models.Model):
    """Holds a payee's payouts back: by staff (with a reason, until released) or after an account change (48 hours by
    default, `until`). A hold is in force while not released and its `until` (if any) is in the future."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Placed by staff"
        ACCOUNT_CHANGE = "account_change", "Payout account changed"

    payee = models.ForeignKey("royalties.Payee", on_delete=models.PROTECT, related_name="payout_holds")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    until = models.DateTimeField(null=True, blank=True, help_text="Empty: until released.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"hold on payee {self.payee_id}: {self.reason}"

    def in_force(self, at) -> bool:
        return self.released_at is None and (self.until is None or self.until > at)


class PayeeThreshold(models.Model):
    """One payee's own threshold in one currency, instead of PAYOUTS_THRESHOLDS's (staff set it)."""

    payee = models.ForeignKey("royalties.Payee", on_delete=models.CASCADE, related_name="payout_thresholds")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["payee", "currency"]
        constraints = [
            models.UniqueConstraint("payee", "currency", name="payouts_threshold_once"),
            models.CheckConstraint(condition=Q(amount_minor__gte=1), name="payouts_threshold_positive"),
        ]

    def __str__(self) -> str:
        return f"payee {self.payee_id} {self.currency} {self.amount_minor}"


class PayoutRun(models.Model):
    """A batch of payouts: prepared by one staff member, approved by another, then executed on the rails.
    `prepared → approved → executing → executed`; a prepared or approved run may be `cancelled`. While executing,
    the worker holding the run renews `heartbeat_at`; a run whose heartbeat is older than the lease is taken over
    (services/runs.py)."""

    class Status(models.TextChoices):
        PREPARED = "prepared", "Awaiting approval"
        APPROVED = "approved", "Approved"
        EXECUTING = "executing", "Executing"
        EXECUTED = "executed", "Executed"
        CANCELLED = "cancelled", "Cancelled"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    execution_started_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    executor = models.CharField(max_length=40, blank=True, help_text="The claim of the worker executing the run.")
    last_error = models.CharField(max_length=300, blank=True)
    skipped = models.JSONField(default=list, blank=True, help_text="Payees left out at preparation, and why.")
    bank_file = models.CharField(max_length=200, blank=True, help_text="Its name in protected storage.")
    bank_file_sha256 = models.CharField(max_length=64, blank=True)
    bank_file_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        permissions = [
            ("prepare_payoutrun", "Prepare (and cancel) payout runs"),
            ("approve_payoutrun", "Approve payout runs prepared by someone else"),
            ("execute_payoutrun", "Execute approved payout runs"),
            ("confirm_payoutrun", "Record the bank's confirmations and returns of payouts"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"RUN-{self.pk:05d}" if self.pk else "RUN-(new)"


class Payout(models.Model):
    """One payee's whole balance in one currency, paid on one rail. `pending → sent → paid | failed | returned`, and
    `pending → cancelled` (left out before anything was sent). Each step posts to the ledger (services/state.py)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="payouts")
    payee = models.ForeignKey("royalties.Payee", on_delete=models.PROTECT, related_name="payouts")
    account = models.ForeignKey(PayeeAccount, on_delete=models.PROTECT, related_name="payouts")
    rail = models.CharField(max_length=10, choices=Rail.choices)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    reference = models.CharField(max_length=16, unique=True, help_text="Ours, quoted to the rail (idempotency key).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    provider_ref = models.CharField(max_length=120, blank=True, help_text="The rail's id for it.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the rail accepted it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Failed, returned or cancelled at.")
    failure_reason = models.CharField(max_length=300, blank=True)
    bank_ref = models.CharField(max_length=100, blank=True, help_text="The bank's reference in its confirmation.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gte=1), name="payouts_amount_positive"),
            # One payout waiting per payee and currency: two runs prepared at once never take one balance twice.
            models.UniqueConstraint(
                "payee", "currency", condition=Q(state="pending"), name="payouts_one_pending_per_payee_currency"
            ),
        ]
        indexes = [models.Index(fields=["rail", "state"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.currency} {self.amount_minor} ({self.state})"

    @property
    def in_flight(self) -> bool:
        return self.state == self.State.SENT


class PayoutTransition(models.Model):
    """The audit row of one move of a payout's state machine: who or what moved it, when, and why."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10)
    to_state = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.payout_id}: {self.from_state} -> {self.to_state}"


class RailEvent(models.Model):
    """A rail's callback or Stripe Connect webhook, recorded once per (rail, event id): a replay changes nothing."""

    rail = models.CharField(max_length=10, choices=Rail.choices)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=80, blank=True)
    payload = models.JSONField(default=dict)
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint("rail", "event_id", name="payouts_rail_event_once")]

    def __str__(self) -> str:
        return f"{self.rail} {self.event_id}"
