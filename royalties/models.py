"""Royalties (issue 14): who a film's revenue is owed to, and the monthly statements that say so.

Rules (staff and creators set them): RoyaltyRule (a film's rights holders' share of its net, asked by billing),
SplitRuleSet + SplitShare (how that share is divided between payees), Advance (a payee recoups first),
MinimumGuarantee (the platform tops a payee up), WithholdingRate (tax kept back per payee country).
Facts (written once by the monthly close, never changed): AllocatedSource (a ledger transaction allocated),
Allocation (what a royalty posting gave each payee), StatementRun (a closed month) and Statement (one per payee,
month and currency, hash-chained). Money is integer minor units; shares are basis points (10000 = 100%)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

FULL_BPS = 10_000
MODELS = [
    ("tvod", _("Rental (TVOD)")),
    ("pvod", _("Premium (PVOD)")),
    ("ppv", _("Pay-per-view event")),
    ("collector", _("Collector edition")),
    ("festival", _("Festival pass")),
    ("svod", _("Subscription pool (SVOD)")),
    ("avod", _("Advertising (AVOD)")),
]


class Payee(models.Model):
    """Someone a film's revenue is shared with: the creator themself, a producer, a distributor, a cast collective.
    A payee may have no account on the platform (a distributor paid by bank transfer); a creator's own payee has
    `user` set (services.payee_for_user makes it on first need). What is owed to a payee is the balance of the
    ledger account `payee:<id>` (billing's ledger), per currency."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="payees"
    )
    country = CountryField(help_text="Where the payee is resident for tax (withholding per country).")
    currency = models.CharField(max_length=3, help_text="The currency statements are also shown in (ISO 4217).")
    withholding_exempt = models.BooleanField(
        default=False, help_text="A tax exemption certificate is on file: nothing is withheld."
    )
    exemption_reference = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # one own payee per user; other payees (added by staff) have no user
            models.UniqueConstraint(
                "user", name="royalties_one_payee_per_user", condition=models.Q(user__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ledger_code(self) -> str:
        return f"payee:{self.pk}"


class RoyaltyRule(models.Model):
    """A film's own rights holders' share of its net revenue (gross less the provider's fee), answered to billing
    through billing.shares (BILLING_FILM_SHARE_PROVIDER). Without a rule: BILLING_CREATOR_SHARE_PERCENT. Moved here
    from billing (its rows copied by migration 0002)."""

    film = models.OneToOneField("catalog.Film", on_delete=models.CASCADE, related_name="+")
    holders_bps = models.PositiveIntegerField(
        help_text="The rights holders' share of the film's net, in basis points (7000 = 70%)."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(holders_bps__lte=FULL_BPS), name="royalties_rule_bps_range"),
        ]

    def __str__(self) -> str:
        return f"film {self.film_id}: {self.holders_bps / 100:g}% to its rights holders"


class SplitRuleSet(models.Model):
    """How a film's rights holders' share is divided between payees, for one scope: a monetization model (blank:
    every model) and a territory (blank: every territory), from `valid_from` (inclusive) to `valid_until`
    (exclusive; empty: open-ended), UTC dates of the sale. Its shares sum to exactly 10000 basis points. Two rule sets
    of one film and scope may not overlap in time (services' check, and on Postgres an exclusion constraint)."""

    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, related_name="+")
    model = models.CharField(max_length=10, choices=MODELS, blank=True, help_text="Blank: every model.")
    territory = CountryField(blank=True, help_text="Blank: every territory.")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Exclusive; empty: until further notice.")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["film_id", "model", "territory", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="royalties_split_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        scope = f"{self.model or 'all models'}, {self.territory or 'all territories'}"
        return f"film {self.film_id} ({scope}) from {self.valid_from}"


class SplitShare(models.Model):
    rule_set = models.ForeignKey(SplitRuleSet, on_delete=models.CASCADE, related_name="shares")
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    share_bps = models.PositiveIntegerField(help_text="Basis points of the rights holders' share (2500 = 25%).")

    class Meta:
        ordering = ["rule_set_id", "payee_id"]
        constraints = [
            models.UniqueConstraint("rule_set", "payee", name="royalties_share_once_per_payee"),
            models.CheckConstraint(condition=Q(share_bps__gte=1, share_bps__lte=FULL_BPS),
                                   name="royalties_share_bps_range"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_id}: {self.share_bps} bps"


class Advance(models.Model):
    """An advance a payee (a distributor, a fund) paid for a film, recouped from the film's pool in its currency
    before the splits apply: `recoup_bps` of each allocation (10000: all of it) until the advance is recouped.
    What is recouped so far is the sum of this advance's Allocation rows (kind `recoup`), never a stored counter."""

    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="advances")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    recoup_bps = models.PositiveIntegerField(default=FULL_BPS, help_text="Share of the pool taken until recouped.")
    starts_on = models.DateField(help_text="Sales from this UTC date recoup it.")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["film_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="royalties_advance_positive"),
            models.CheckConstraint(condition=Q(recoup_bps__gte=1, recoup_bps__lte=FULL_BPS),
                                   name="royalties_advance_bps_range"),
        ]

    def __str__(self) -> str:
        return f"advance {self.currency} {self.amount_minor} by {self.payee_id} on film {self.film_id}"


class MinimumGuarantee(models.Model):
    """A payee is guaranteed `amount_minor` a month from a film (in its currency): when a closed month allocated
    them less, the platform tops them up from its revenue (a royalty posting debiting platform:revenue)."""

    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="guarantees")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(help_text="Per calendar month.")
    starts_on = models.DateField(help_text="The first month it applies to (its first day).")
    ends_on = models.DateField(null=True, blank=True, help_text="Exclusive: the first month it no longer applies to.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["film_id", "payee_id", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="royalties_guarantee_positive"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                                   name="royalties_guarantee_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"guarantee {self.currency} {self.amount_minor}/month to {self.payee_id} on film {self.film_id}"


class WithholdingRate(models.Model):
    """Tax withheld from payees resident in `country`, from `valid_from` (staff enter the rates; none: nothing is
    withheld). A payee with an exemption certificate on file (Payee.withholding_exempt) has nothing withheld."""

    country = CountryField()
    rate_bps = models.PositiveIntegerField(help_text="Basis points of each allocation (1000 = 10%).")
    valid_from = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["country", "-valid_from"]
        constraints = [
            models.UniqueConstraint("country", "valid_from", name="royalties_withholding_once"),
            models.CheckConstraint(condition=Q(rate_bps__lte=FULL_BPS), name="royalties_withholding_range"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.rate_bps / 100:g}% from {self.valid_from}"


class StatementRun(models.Model):
    """A closed month (period = its first day): the row the close locks, written once the month's allocation and
    statements are in. Its presence is what makes closing a month idempotent."""

    period = models.DateField(unique=True)
    closed_at = models.DateTimeField()
    sources = models.PositiveIntegerField(default=0, help_text="Ledger transactions allocated.")
    postings = models.PositiveIntegerField(default=0, help_text="Royalty transactions posted.")
    statements = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class AllocatedSource(models.Model):
    """A ledger transaction (payment, refund or SVOD split) whose creator-account entries have been allocated to
    payees, and in which month's close. Unique: nothing is allocated twice."""

    transaction = models.OneToOneField("billing.LedgerTransaction", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.transaction_id} in {self.period:%Y-%m}"


class Allocation(models.Model):
    """What one royalty posting (billing ledger transaction `ledger_key`) gave one payee: `share` (their split of
    the pool), `recoup` (towards an advance), `mg` (the platform's minimum-guarantee top-up), each positive when owed
    to the payee, and `withholding` (tax kept back from those, positive when withheld). The payee's ledger entry in
    that posting is share + recoup + mg - withholding. Section: `earnings` (sales of the month), `adjustment` (sales of
    an earlier, closed month: refunds, late postings), `mg`."""

    class Section(models.TextChoices):
        EARNINGS = "earnings", "Earnings"
        ADJUSTMENT = "adjustment", "Adjustment"
        MG = "mg", "Minimum guarantee"

    class Kind(models.TextChoices):
        SHARE = "share", "Share"
        RECOUP = "recoup", "Recoupment"
        MG = "mg", "Minimum guarantee top-up"
        WITHHOLDING = "withholding", "Withholding"

    period = models.DateField()
    ledger_key = models.CharField(max_length=120, db_index=True)
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    film = models.ForeignKey("catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    model = models.CharField(max_length=10, blank=True)
    currency = models.CharField(max_length=3)
    section = models.CharField(max_length=10, choices=Section.choices)
    kind = models.CharField(max_length=11, choices=Kind.choices)
    amount_minor = models.BigIntegerField()
    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["payee", "period", "currency"]), models.Index(fields=["advance", "kind"])]

    def __str__(self) -> str:
        return f"{self.ledger_key} {self.payee_id} {self.kind} {self.amount_minor}"


class Statement(models.Model):
    """One payee's month in one currency, closed once and never changed (a database trigger refuses updates and
    deletes; only `emailed_at` may be set). Amounts are from the payee's side (positive: owed to them):
    closing = opening + earnings + adjustments - withholding + payouts, where payouts are the payouts helper's ledger
    postings on payee:<id> (sent negative, returned positive). `lines` holds the breakdown; `hash` is the sha256 of
    the canonical JSON (royalties/chain.py) including `previous_hash`, the payee's previous statement's hash."""

    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="statements")
    period = models.DateField(help_text="The month's first day.")
    currency = models.CharField(max_length=3)
    sequence = models.PositiveIntegerField(help_text="The statement's place in the payee's chain, from 1.")
    opening_minor = models.BigIntegerField()
    earnings_minor = models.BigIntegerField()
    adjustments_minor = models.BigIntegerField()
    withholding_minor = models.BigIntegerField()
    payouts_minor = models.BigIntegerField()
    closing_minor = models.BigIntegerField()
    lines = models.JSONField()
    display_currency = models.CharField(max_length=3, blank=True)
    rates_on = models.DateField(null=True, blank=True)
    rate = models.CharField(max_length=40, blank=True, help_text="Reporting currency per unit of `currency`.")
    display_rate = models.CharField(max_length=40, blank=True,
                                    help_text="Reporting currency per unit of `display_currency`.")
    closed_at = models.DateTimeField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "payee_id", "currency"]
        constraints = [
            models.UniqueConstraint("payee", "period", "currency", name="royalties_statement_once"),
            models.UniqueConstraint("payee", "sequence", name="royalties_statement_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_id} {self.period:%Y-%m} {self.currency}"

    def save(self, *args, **kwargs) -> None:
        """A statement is written once; afterwards only `emailed_at` (the database refuses the rest too)."""
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"emailed_at"}:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse()


def _refuse() -> None:
    # errors imports core.exceptions (DRF), which must not load while the app registry is still loading models
    from royalties.errors import StatementClosed

    raise StatementClosed()
