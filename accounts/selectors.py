from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from accounts.models import CreatorProfile, Device, Profile, TeamMember, User
from accounts.roles import ROLE_ORDER, Role

# The session key under which a signed-in browser keeps the profile it chose (the site's profile picker writes it;
# the site's pages and the watch page's API calls read it through `profile_for_session`).
PROFILE_SESSION_KEY = "wans_profile_id"


def user_role(*, user: User) -> Role:
    """The highest role the user holds (viewer when none). Superusers are super admins."""
    if user.is_superuser:
        return Role.SUPER_ADMIN
    names = {group.name for group in user.groups.all()}
    for role in ROLE_ORDER:
        if role.value in names:
            return role
    return Role.VIEWER


def user_can_publish(*, user: User) -> bool:
    """Creators and staff may add films."""
    return bool(user and user.is_authenticated) and user_role(user=user) in {Role.CREATOR, Role.ADMIN, Role.SUPER_ADMIN}


def user_email_verified(*, user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def profiles_for(*, user: User):
    return Profile.objects.filter(user=user).order_by("created_at", "id")


def devices_active_for(*, user: User):
    return Device.objects.filter(user=user, signed_out_at__isnull=True).order_by("-last_seen_at")


def device_active(*, user_id: int, device_id: int | None) -> Device | None:
    if device_id is None:
        return None
    return Device.objects.filter(pk=device_id, user_id=user_id, signed_out_at__isnull=True).first()


def device_limit_for(*, user: User) -> int:
    """How many devices may be signed in at once. Billing points ACCOUNTS_DEVICE_LIMIT_RESOLVER at the plan's limit."""
    resolver = getattr(settings, "ACCOUNTS_DEVICE_LIMIT_RESOLVER", None)
    if resolver:
        from django.utils.module_loading import import_string

        return int(import_string(resolver)(user=user))
    return settings.ACCOUNTS_DEFAULT_DEVICE_LIMIT


def creator_profile_for(*, user: User) -> CreatorProfile | None:
    return CreatorProfile.objects.filter(user=user).first()


def creator_profile_public(*, slug: str) -> CreatorProfile | None:
    """An approved creator's profile; applications are not public."""
    return CreatorProfile.objects.filter(slug=slug, status=CreatorProfile.Status.APPROVED).first()


def creator_can_submit(*, user: User) -> bool:
    """May send films for review: staff, and creators whose profile staff approved (accounts/creators.py)."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff:
        return True
    return CreatorProfile.objects.filter(user=user, status=CreatorProfile.Status.APPROVED).exists()


def creator_applications(*, status: str | None = None):
    """Applications for staff, oldest waiting first (`status`: pending, approved, rejected; None: all applied)."""
    rows = CreatorProfile.objects.filter(applied_at__isnull=False).select_related("user")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("applied_at", "pk")


def profile_for_request(*, user: User, profile_id: str | int | None) -> Profile | None:
    """The profile a request speaks for: the one named (if it is the user's), else the account's first."""
    if user is None or not user.is_authenticated:
        return None
    profiles = profiles_for(user=user)
    if profile_id not in (None, ""):
        try:
            return profiles.filter(pk=int(profile_id)).first()
        except (TypeError, ValueError):
            return None
    return profiles.first()


def profile_for_session(*, request) -> Profile | None:
    """The profile the browser's session chose (PROFILE_SESSION_KEY), else the account's first; None for a guest,
    or when the chosen profile no longer exists (the caller decides whether to forget the choice)."""
    return profile_for_request(user=request.user, profile_id=request.session.get(PROFILE_SESSION_KEY))


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def team_members_of(*, creator: User):
    """The creator's team, oldest invitation first, with the members' accounts when they have one."""
    return TeamMember.objects.filter(creator=creator).select_related("user").order_by("created_at", "id")


def team_member_get(*, creator: User, member_id: int) -> TeamMember | None:
    """One member of this creator's team (None for another creator's member: the caller answers 404)."""
    return TeamMember.objects.filter(creator=creator, pk=member_id).select_related("creator").first()


def team_seat_for(*, user: User) -> TeamMember | None:
    """The team the user works on (the oldest invitation, if several): one naming their account, or one waiting on
    their email address once they confirmed that address. None when they are on no team."""
    if not (user and user.is_authenticated):
        return None
    seats = Q(user=user) | Q(user__isnull=True, email__iexact=user.email) if user.email else Q(user=user)
    # one query: a seat naming the account comes before one waiting on the address (nulls last)
    member = (
        TeamMember.objects.filter(seats).select_related("creator")
        .order_by(F("user").asc(nulls_last=True), "created_at", "id").first()
    )
    if member is not None and member.user_id is None and not user_email_verified(user=user):
        return None
    return member


def users_joined_counts(*, now) -> dict[str, int]:
    """Accounts in all, and those that joined in the last 7 and 30 days (one query)."""
    return User.objects.aggregate(
        total=Count("id"),
        new_7_days=Count("id", filter=Q(date_joined__gte=now - timedelta(days=7))),
        new_30_days=Count("id", filter=Q(date_joined__gte=now - timedelta(days=30))),
    )


def users_joined_per_day(*, since, until) -> dict:
    """{day: accounts that joined that day (UTC)} for since <= date_joined < until (one query)."""
    rows = (
        User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(day=TruncDate("date_joined"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return dict(rows)


def lockouts_active(*, now) -> list:
    """django-axes records locking sign-in now (failures at the limit within the cool-off), newest first: the
    email (or IP) that is refused. One query."""
    return list(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                     attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
        .order_by("-attempt_time")
    )


def users_search(*, q: str, limit: int = 50) -> list:
    """Accounts whose email or display name contains `q` (case-insensitive), newest first."""
    q = q.strip()[:100]
    if not q:
        return []
    return list(User.objects.filter(Q(email__icontains=q) | Q(display_name__icontains=q))
                .order_by("-date_joined", "-id")[:limit])


def user_get(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


def user_data_export(*, user) -> dict:
    """A person's account data for a data-export download: the account, its profiles and devices (no password
    hash, no tokens). Three queries."""
    from accounts.models import Device, Profile

    return {
        "account": {"id": user.pk, "email": user.email, "display_name": user.display_name,
                    "country": str(user.country), "is_active": user.is_active, "date_joined": user.date_joined},
        "profiles": list(Profile.objects.filter(user=user).order_by("id").values(
            "id", "name", "language", "maturity_limit", "is_kids", "created_at")),
        "devices": list(Device.objects.filter(user=user).order_by("id").values(
            "id", "name", "kind", "user_agent", "last_country", "created_at", "last_seen_at", "signed_out_at")),
    }
