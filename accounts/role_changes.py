"""Setting a user's role, and the creator profile a creator role brings: a leaf module that services (the admin's
"Set role", sign-up) and creators (approval) both use, so neither imports the other."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from accounts.models import CreatorProfile, User
from accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role


def user_set_role(*, user: User, role: Role) -> None:
    """Make `role` the user's only role group; admin roles also get staff status, super admin superuser status."""
    with transaction.atomic():
        role_names = [r.value for r in ROLE_PERMISSIONS]
        user.groups.remove(*Group.objects.filter(name__in=role_names))
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
        user.is_staff = role in STAFF_ROLES
        user.is_superuser = role == Role.SUPER_ADMIN
        user.save(update_fields=["is_staff", "is_superuser"])
        if role == Role.CREATOR and not CreatorProfile.objects.filter(user=user).exists():
            creator_profile_create(user=user, display_name=user.display_name or user.email.split("@")[0])


def creator_profile_create(*, user: User, display_name: str, bio: str = "", country: str = "PG") -> CreatorProfile:
    base = slugify(display_name)[:120] or f"creator-{user.pk}"
    slug, n = base, 1
    while CreatorProfile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return CreatorProfile.objects.create(user=user, display_name=display_name, slug=slug, bio=bio, country=country)
