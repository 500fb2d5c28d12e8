"""Who may do what: Django permissions of the payouts models, which roles give (accounts/roles.py)."""

from payouts.errors import PayoutsPermissionDenied


def require_perm(user, perm: str, message: str = "") -> None:
    """PayoutsPermissionDenied (403) unless `user` is an active user holding `payouts.<perm>`."""
    if not (user is not None and user.is_authenticated and user.is_active and user.has_perm(f"payouts.{perm}")):
        raise PayoutsPermissionDenied(message or None, extra={"permission": f"payouts.{perm}"})


def require_self_or_perm(user, payee, perm: str) -> None:
    """The payee's own user, or staff holding `payouts.<perm>`."""
    if user is not None and user.is_authenticated and payee.user_id is not None and payee.user_id == user.pk:
        return
    require_perm(user, perm, "Only the payee or staff may change this payout account.")
