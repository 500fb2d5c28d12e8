"""Royalties' writes."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from royalties.models import Payee


def payee_for_user(*, user: AbstractBaseUser, currency: str = "PGK", country: str = "PG") -> Payee:
    """The user's own payee, made on first need (name and email from the account)."""
    payee = Payee.objects.filter(user=user).first()
    if payee is not None:
        return payee
    try:
        with transaction.atomic():
            return Payee.objects.create(
                user=user, name=getattr(user, "display_name", "") or user.email, email=user.email, country=country,
                currency=currency,
            )
    except IntegrityError:  # made concurrently
        return Payee.objects.get(user=user)
