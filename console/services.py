"""The console's writes: staff actions on people, each made of the owning apps' services (accounts for the account
and its devices, playback for the streams). Validate, then do; the caller holds console.manage_people."""

from accounts import services as accounts_services
from playback import selectors as playback_selectors
from playback import services as playback_services


def user_suspend(*, user, by) -> int:
    """Suspend an account: it cannot sign in (is_active off), every device is signed out (so its API tokens and
    site sessions are refused at once) and its playback sessions end. Returns the streams ended. Staff cannot
    suspend themselves."""
    if user.pk == by.pk:
        raise ValueError("staff cannot suspend their own account")
    accounts_services.user_lock(user=user)
    ended = 0
    for session in playback_selectors.sessions_open_for(user=user):
        playback_services.session_end(session_id=session.pk, by=by)
        ended += 1
    return ended


def user_reactivate(*, user) -> None:
    """Let a suspended account sign in again (its devices sign in afresh)."""
    accounts_services.user_unlock(user=user)


def user_sign_out_everywhere(*, user) -> int:
    """Sign out every device of the account (site sessions and API tokens); the account stays usable."""
    from accounts import selectors as accounts_selectors

    devices = list(accounts_selectors.devices_active_for(user=user))
    for device in devices:
        accounts_services.device_sign_out(user=user, device_id=device.pk)
    return len(devices)


def user_erase(*, user, by) -> int:
    """Erase a person: their streams end, then accounts anonymises the account, profiles and devices, billing
    forgets the payer's phone numbers (payments and ledger kept), playback forgets session device names. Returns
    the streams ended. Staff cannot erase themselves."""
    from django.db import transaction

    from billing import services as billing_services

    if user.pk == by.pk:
        raise ValueError("staff cannot erase their own account")
    with transaction.atomic():
        ended = user_suspend(user=user, by=by)
        accounts_services.user_erase(user=user)
        billing_services.payer_data_erase(user=user)
        playback_services.sessions_personal_data_erase(user=user)
    return ended
