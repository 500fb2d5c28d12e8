"""The checks a session passes at start and at every heartbeat: access (rights, which asks billing), maturity
(the profile), devices and the plan's top quality (billing)."""

from datetime import datetime

from accounts import selectors as accounts_selectors
from billing import selectors as billing_selectors
from playback.errors import DeviceLimitReached, MaturityRestricted, NoEntitlement, WindowClosed
from rights import selectors as rights_selectors

STREAMED = {"svod", "tvod", "pvod", "ppv", "festival", "collector", "avod", "free"}


def access_check(*, user, film_id: int, territory: str, at: datetime) -> dict:
    """Rights' availability answer when access is granted; else NoEntitlement (offers to take) or WindowClosed."""
    answer = rights_selectors.availability_for(film_id=film_id, territory=territory, at=at, user=user)
    if answer["access"]["granted"]:
        return answer
    extra = {"offers": answer["offers"], "next_window": answer["next_window"], "territory": territory}
    streaming_now = [w for w in answer["open_windows"] if w["type"] != "cinema"]
    held = answer["access"]["window"]
    if held is not None:  # a ticket for an event that has not begun
        raise WindowClosed("Your ticket plays from the event's start.", extra=extra)
    if streaming_now and answer["offers"]:
        raise NoEntitlement(extra=extra)
    if answer["in_cinemas"]:
        raise WindowClosed("This film is in cinemas now, not streaming yet.", extra=extra)
    raise WindowClosed(extra=extra)


def maturity_check(*, film, profile) -> None:
    if profile is not None and film.maturity > profile.maturity_limit:
        raise MaturityRestricted(extra={"film_rating": film.get_maturity_display(), "profile": profile.pk})


def device_check(*, user, device, limit: int) -> None:
    """The device must be signed in and among the `limit` most recently seen devices of the account (a plan allows
    so many devices; over it, accounts signs the oldest out at sign-in, but a downgraded plan may leave more)."""
    if device is None:
        return
    active = list(accounts_selectors.devices_active_for(user=user).values_list("pk", flat=True))
    if device.pk not in active or device.pk not in active[:limit]:
        raise DeviceLimitReached(
            f"Your plan allows {limit} device{'s' if limit != 1 else ''}: sign another device out on the account "
            "page, then try again.",
            extra={"device_limit": limit, "devices_signed_in": len(active)},
        )


def plan_limits(*, user):
    return billing_selectors.plan_limits_for(user=user)
