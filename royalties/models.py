"""Royalties (issue 14): who a film's revenue is owed to, and the monthly statements that say so."""

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField


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
