"""Writes for accounts: users and roles, profiles, devices. Views and the API call these and nothing below them."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from user_agents import parse as parse_user_agent

from accounts import selectors
from accounts.creators import creator_apply, creator_approve, creator_reject
from accounts.errors import LastProfile, ProfileLimitReached, ProfileNameTaken
from accounts.models import CreatorProfile, Device, Language, Profile, TeamMember, User
from accounts.role_changes import creator_profile_create, user_set_role
from accounts.roles import Role
from accounts.team import team_invite, team_remove
from core.http import client_country, client_ip
from core.maturity import KIDS_MAX, Maturity

DEVICE_SESSION_KEY = "wans_device_id"
LAST_SEEN_EVERY = timedelta(minutes=5)


# --- users and roles ------------------------------------------------------------------------------------------------


def user_create(*, email: str, password: str | None, display_name: str = "", country: str = "PG") -> User:
    """A new account with the viewer role and its first profile. Call with a validated email and password."""
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, display_name=display_name, country=country)
        user_onboard(user=user)
    return user


def account_register(*, request: HttpRequest, email: str, password: str, display_name: str = "") -> User | None:
    """Sign-up over the API: create the account and mail a confirmation link.

    An email that is already registered gets a "you already have an account" mail instead, and the caller answers
    exactly as for a new one, so that the API does not reveal which emails have accounts.
    """
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    if User.objects.filter(email__iexact=email).exists():
        get_adapter(request).send_account_already_exists_mail(email.lower())
        return None
    try:
        with transaction.atomic():
            user = user_create(email=email, password=password, display_name=display_name)
            address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    except IntegrityError:  # a concurrent sign-up with the same email won
        return None
    if settings.ACCOUNT_EMAIL_VERIFICATION != "none":  # "none": no confirmation mail at all
        address.send_confirmation(request, signup=True)
    return user


def account_register_answer() -> dict[str, str]:
    """What sign-up tells the client, true to ACCOUNT_EMAIL_VERIFICATION (the same whether or not the email was
    registered before: no account enumeration)."""
    mode = settings.ACCOUNT_EMAIL_VERIFICATION
    if mode == "mandatory":
        return {"verification": "sent", "message": "Check your inbox for a link to confirm your email, then sign in."}
    if mode == "optional":
        return {"verification": "sent", "message": "You can sign in now. We sent a link to confirm your email."}
    return {"verification": "off", "message": "Your account is ready: sign in."}


def user_onboard(*, user: User) -> None:
    """Give a just-created account its viewer role and first profile (used by the site's sign-up and the API)."""
    user_set_role(user=user, role=Role.VIEWER)
    if not Profile.objects.filter(user=user).exists():
        name = (user.display_name or user.email.split("@")[0])[:50] or "Me"
        Profile.objects.create(user=user, name=name)
    # Apps above accounts that act on a new account (the welcome message: notifications) are named by a setting,
    # as billing answers the device limit: accounts never imports them.
    for hook in getattr(settings, "ACCOUNTS_ONBOARDED_HOOKS", []):
        import_string(hook)(user=user)


def user_update(*, user: User, **fields) -> User:
    allowed = {"display_name", "country"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    return user


def user_lock(*, user: User) -> None:
    """Lock the account: no sign-in, and every device signed out."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    Device.objects.filter(user=user, signed_out_at__isnull=True).update(signed_out_at=timezone.now())


def user_unlock(*, user: User) -> None:
    """Unlock the account and forget its failed sign-in attempts."""
    from axes.utils import reset

    User.objects.filter(pk=user.pk).update(is_active=True)
    reset(username=user.email.lower())


def creator_profile_update(*, profile: CreatorProfile, **fields) -> CreatorProfile:
    allowed = {"display_name", "bio", "country", "payout_currency", "links"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    return profile


# --- profiles ----------------------------------------------------------------------------------------------------


def _profile_validate_kids(*, is_kids: bool, maturity_limit: int) -> int:
    if is_kids and maturity_limit > KIDS_MAX:
        return int(KIDS_MAX)
    return maturity_limit


def profile_create(
    *,
    user: User,
    name: str,
    language: str = Language.ENGLISH,
    maturity_limit: int | None = None,
    is_kids: bool = False,
    avatar: UploadedFile | None = None,
) -> Profile:
    """Add a profile. At most ACCOUNTS_MAX_PROFILES per account, names unique per account; kids stay at PG or below."""
    if maturity_limit is None:
        maturity_limit = int(KIDS_MAX if is_kids else Maturity.R18)
    maturity_limit = _profile_validate_kids(is_kids=is_kids, maturity_limit=maturity_limit)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # serialize profile changes per account
        if Profile.objects.filter(user=user).count() >= settings.ACCOUNTS_MAX_PROFILES:
            raise ProfileLimitReached()
        if Profile.objects.filter(user=user, name__iexact=name).exists():
            raise ProfileNameTaken(fields={"name": [ProfileNameTaken.message]})
        profile = Profile(user=user, name=name, language=language, maturity_limit=maturity_limit, is_kids=is_kids)
        if avatar is not None:
            profile.avatar = avatar
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            raise ProfileNameTaken(fields={"name": [ProfileNameTaken.message]}) from None
    return profile


def profile_update(*, profile: Profile, **fields) -> Profile:
    allowed = {"name", "language", "maturity_limit", "is_kids", "avatar"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    name = fields.get("name")
    if name and Profile.objects.filter(user_id=profile.user_id, name__iexact=name).exclude(pk=profile.pk).exists():
        raise ProfileNameTaken(fields={"name": [ProfileNameTaken.message]})
    for key, value in fields.items():
        setattr(profile, key, "" if key == "avatar" and value is None else value)
    profile.maturity_limit = _profile_validate_kids(is_kids=profile.is_kids, maturity_limit=profile.maturity_limit)
    profile.save()
    return profile


def profile_delete(*, profile: Profile) -> None:
    """Delete a profile; the last one of an account stays."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=profile.user_id).first()
        if Profile.objects.filter(user_id=profile.user_id).count() <= 1:
            raise LastProfile()
        profile.delete()


# --- devices -----------------------------------------------------------------------------------------------------


def _device_describe(user_agent: str) -> tuple[str, str]:
    if not user_agent:
        return "Unknown device", Device.Kind.OTHER
    ua = parse_user_agent(user_agent)
    if ua.is_mobile:
        kind = Device.Kind.MOBILE
    elif ua.is_tablet:
        kind = Device.Kind.TABLET
    elif ua.is_pc:
        kind = Device.Kind.DESKTOP
    elif "tv" in user_agent.lower():
        kind = Device.Kind.TV
    else:
        kind = Device.Kind.OTHER
    browser = ua.browser.family if ua.browser.family != "Other" else "App"
    system = ua.os.family if ua.os.family != "Other" else "unknown system"
    return f"{browser} on {system}"[:120], kind


def device_record(*, user: User, request: HttpRequest, device_key: str = "", name: str = "") -> Device:
    """Record a sign-in from a device (new or returning) and keep the account within its device limit.

    Over the limit, the device seen least recently is signed out: the person signing in now is the one present.
    """
    device_key = (device_key or uuid.uuid4().hex)[:64]
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    described, kind = _device_describe(user_agent)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        device, _ = Device.objects.update_or_create(
            user=user,
            device_key=device_key,
            defaults={
                "name": (name or described)[:120],
                "kind": kind,
                "user_agent": user_agent,
                "last_ip": client_ip(request),
                "last_country": client_country(request),
                "last_seen_at": now,
                "signed_out_at": None,
            },
        )
        limit = selectors.device_limit_for(user=user)
        others = list(
            Device.objects.filter(user=user, signed_out_at__isnull=True).exclude(pk=device.pk).order_by("-last_seen_at")
        )
        for stale in others[max(limit - 1, 0) :]:
            stale.signed_out_at = now
            stale.save(update_fields=["signed_out_at"])
    return device


def device_touch(*, device: Device, request: HttpRequest) -> None:
    """Refresh last seen (at most every few minutes, so that requests do not each write)."""
    now = timezone.now()
    if now - device.last_seen_at < LAST_SEEN_EVERY:
        return
    Device.objects.filter(pk=device.pk).update(
        last_seen_at=now, last_ip=client_ip(request), last_country=client_country(request) or F("last_country")
    )


def device_sign_out(*, user: User, device_id: int) -> Device:
    """Sign a device out: its site session ends at its next request and its tokens stop working at once."""
    device = Device.objects.get(pk=device_id, user=user, signed_out_at__isnull=True)
    device.signed_out_at = timezone.now()
    device.save(update_fields=["signed_out_at"])
    return device


def site_login_record_device(*, request: HttpRequest, user: User) -> Device:
    """After a site sign-in: record the device (cookie id) and bind this session to it."""
    key = request.COOKIES.get(settings.ACCOUNTS_DEVICE_COOKIE, "")
    if not key or len(key) > 64 or not key.isalnum():
        key = uuid.uuid4().hex
    device = device_record(user=user, request=request, device_key=key)
    request.session[DEVICE_SESSION_KEY] = device.pk
    request._wans_device_cookie = key
    return device


# --- sign-in over the API (JWT) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: User
    device: Device
    access: str
    refresh: str


def auth_login(
    *, request: HttpRequest, email: str, password: str, device_key: str = "", device_name: str = ""
) -> LoginResult:
    """Check the password (django-axes counts failures), then record the device and issue tokens bound to it."""
    from django.contrib.auth import authenticate
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.errors import EmailUnverified, InvalidCredentials, LoginLocked

    user = authenticate(request, email=email, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise LoginLocked()
        raise InvalidCredentials()
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not selectors.user_email_verified(user=user):
        raise EmailUnverified()
    device = device_record(user=user, request=request, device_key=device_key, name=device_name)
    refresh = RefreshToken.for_user(user)
    refresh["did"] = device.pk
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return LoginResult(user=user, device=device, access=str(refresh.access_token), refresh=str(refresh))


def _refresh_token_load(raw: str):
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.errors import InvalidToken

    try:
        return RefreshToken(raw)  # verifies signature, expiry and the blacklist
    except TokenError:
        raise InvalidToken() from None


def auth_refresh(*, request: HttpRequest, refresh: str) -> str:
    """A new access token for a refresh token that is valid, not revoked, of an active user on a signed-in device."""
    from accounts.errors import InvalidToken

    token = _refresh_token_load(refresh)
    user = User.objects.filter(pk=token.get("user_id"), is_active=True).first()
    device = selectors.device_active(user_id=user.pk, device_id=token.get("did")) if user else None
    if device is None:
        raise InvalidToken()
    device_touch(device=device, request=request)
    return str(token.access_token)


def auth_logout(*, refresh: str) -> None:
    """Revoke a refresh token: refreshing with it afterwards fails."""
    token = _refresh_token_load(refresh)
    token.blacklist()


def tokens_flush_expired() -> int:
    """Drop refresh-token records past their expiry (their blacklist rows go with them). Returns rows deleted."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    deleted, _ = OutstandingToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


__all__ = [  # becoming a creator and the team live in modules of their own; callers use them from here
    "creator_apply",
    "creator_approve",
    "creator_profile_create",
    "creator_reject",
    "team_invite",
    "team_remove",
    "user_set_role",
]


def user_erase(*, user: User) -> None:
    """Anonymise a person's account (a right-to-erasure request): the email becomes erased-<id>@erased.invalid, the
    name goes, the password is unusable and the account locked (no sign-in, every device signed out); profiles keep
    only a neutral name, devices lose their name, browser and country; its allauth email addresses are removed; a
    creator profile keeps its films but loses its name, slug, bio, links and avatar ("Erased creator <id>"); the
    person's seats on other creators' teams, and invitations waiting on their address, are removed. The row stays,
    so payments and the ledger (kept by law) still point at it. Idempotent."""
    from allauth.account.models import EmailAddress
    from django.db import transaction

    with transaction.atomic():
        user_lock(user=user)
        TeamMember.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()
        user.email = f"erased-{user.pk}@erased.invalid"
        user.display_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "display_name", "is_active", "password"])
        EmailAddress.objects.filter(user=user).delete()
        for number, profile in enumerate(Profile.objects.filter(user=user).order_by("id"), start=1):
            if profile.avatar:
                profile.avatar.delete(save=False)
            profile.name, profile.avatar = f"Profile {number}", ""
            profile.save(update_fields=["name", "avatar"])
        for device in Device.objects.filter(user=user):
            device.name, device.user_agent, device.last_country = "erased", "", ""
            device.save(update_fields=["name", "user_agent", "last_country"])
        creator = CreatorProfile.objects.filter(user=user).first()
        if creator is not None:
            if creator.avatar:
                creator.avatar.delete(save=False)
            creator.display_name, creator.slug = f"Erased creator {user.pk}", f"erased-{user.pk}"
            creator.bio, creator.links, creator.avatar = "", [], ""
            creator.save(update_fields=["display_name", "slug", "bio", "links", "avatar"])
