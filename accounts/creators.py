"""Becoming a creator: a viewer applies with a creator profile, staff approve or refuse it with a reason. One service
for the API (POST /api/creators/me), the admin and the creator portal.

An applicant gets the creator role at once, so films can be prepared as drafts (uploads, metadata, artwork); until
staff approve the profile, a film cannot be sent for review (catalog asks `creator_can_submit`). A refused applicant
keeps the drafts, reads the reason, and applies again with a changed profile."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from accounts.errors import (
    CreatorApplicationRefused,
    CreatorRejectionReasonRequired,
    CreatorReviewDenied,
    CreatorSlugTaken,
)
from accounts.models import CreatorProfile, User
from accounts.role_changes import user_set_role
from accounts.roles import Role
from accounts.selectors import user_role

Status = CreatorProfile.Status


def _free_slug(*, wanted: str, display_name: str, user: User, exclude_pk: int | None) -> str:
    taken = CreatorProfile.objects.exclude(pk=exclude_pk) if exclude_pk else CreatorProfile.objects.all()
    if wanted:
        if taken.filter(slug=wanted).exists():
            raise CreatorSlugTaken()
        return wanted
    base = slugify(display_name)[:120] or f"creator-{user.pk}"
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def creator_apply(
    *,
    user: User,
    display_name: str,
    bio: str = "",
    country: str = "PG",
    links: Sequence[str] = (),
    slug: str = "",
    avatar: UploadedFile | None = None,
) -> CreatorProfile:
    """Apply (or apply again after a refusal) with this profile. Preconditions: validated input (links are http(s)
    addresses, at most 5; `avatar` a checked image). Refused with a 409 when already a creator or already waiting.
    Applying again without an avatar keeps the previous one."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one application at a time per account
        profile = CreatorProfile.objects.filter(user=user).first()
        if profile is not None and profile.status == Status.APPROVED:
            raise CreatorApplicationRefused(
                _("You are a creator already: add films with POST /api/films."), code="already_creator"
            )
        if profile is not None and profile.status == Status.PENDING:
            raise CreatorApplicationRefused(
                _("Your application is waiting for staff; change it with PATCH /api/creators/me."),
                code="application_pending",
            )
        fields = {
            "display_name": display_name,
            "bio": bio,
            "country": country,
            "links": list(links),
            "slug": _free_slug(wanted=slug, display_name=display_name, user=user,
                               exclude_pk=profile.pk if profile else None),
            "status": Status.PENDING,
            "applied_at": timezone.now(),
            "reviewed_at": None,
            "reviewed_by": None,
            "rejection_reason": "",
        }
        if profile is None:
            profile = CreatorProfile.objects.create(user=user, **fields)
        else:
            for name, value in fields.items():
                setattr(profile, name, value)
            profile.save()
        if avatar is not None:
            if profile.avatar:
                profile.avatar.delete(save=False)
            profile.avatar.save(avatar.name, avatar, save=False)
            profile.save(update_fields=["avatar"])
        if user_role(user=user) == Role.VIEWER:
            user_set_role(user=user, role=Role.CREATOR)
    return profile


def _require_reviewer(by: User) -> None:
    if not (by and by.is_authenticated and by.is_staff):
        raise CreatorReviewDenied()


def creator_approve(*, profile: CreatorProfile, by: User) -> CreatorProfile:
    """Staff approve a waiting (or earlier refused) application: the creator may now submit films for review.
    Approving an approved profile changes nothing."""
    _require_reviewer(by)
    with transaction.atomic():
        profile = CreatorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if profile.status == Status.APPROVED:
            return profile
        profile.status = Status.APPROVED
        profile.reviewed_at, profile.reviewed_by, profile.rejection_reason = timezone.now(), by, ""
        profile.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
        if user_role(user=profile.user) == Role.VIEWER:
            user_set_role(user=profile.user, role=Role.CREATOR)
    return profile


def creator_reject(*, profile: CreatorProfile, by: User, reason: str) -> CreatorProfile:
    """Staff refuse a waiting application, saying why (shown to the applicant, who may apply again)."""
    _require_reviewer(by)
    reason = (reason or "").strip()
    if not reason:
        raise CreatorRejectionReasonRequired()
    with transaction.atomic():
        profile = CreatorProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != Status.PENDING:
            raise CreatorApplicationRefused(
                format_lazy(_("Only a waiting application can be refused; this one is {status}."),
                            status=profile.status),
                code="invalid_transition",
            )
        profile.status = Status.REJECTED
        profile.reviewed_at, profile.reviewed_by, profile.rejection_reason = timezone.now(), by, reason[:2000]
        profile.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
    return profile
