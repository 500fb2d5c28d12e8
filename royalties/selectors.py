"""Royalties' reads."""

from royalties.models import Payee


def payee_for_user_get(*, user_id: int) -> Payee | None:
    return Payee.objects.filter(user_id=user_id).first()
