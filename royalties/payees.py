"""A user's own payee, made on first need: the one place it is made (services re-exports it)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from rights import selectors as rights_selectors
from royalties.models import Payee


def payee_for_user(*, user: AbstractBaseUser, currency: str | None = None, country: str | None = None) -> Payee:
    """The user's own payee, made on first need: name and email from the account, country from the account's home
    territory (PG when none) and currency that territory's (PG -> PGK, else rights' rule) unless given."""
    payee = Payee.objects.filter(user=user).first()
    if payee is not None:
        return payee
    country = country or str(getattr(user, "country", "") or "PG")
    currency = currency or rights_selectors.currency_for_territory(territory=country)
    try:
        with transaction.atomic():
            return Payee.objects.create(
                user=user, name=getattr(user, "display_name", "") or user.email, email=user.email, country=country,
                currency=currency,
            )
    except IntegrityError:  # made concurrently
        return Payee.objects.get(user=user)
