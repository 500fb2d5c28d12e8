"""A creator's team: collaborators invited by email to work in the creator's studio, as an editor (films and
windows) or an analyst (analytics and revenue, read-only). Only the creator invites and removes. An invitation to an
email with no account yet waits on the address: it takes effect when an account with that email, confirmed, signs in
(accounts.selectors.team_seat_for). Part of the service layer."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.errors import TeamInviteInvalid, TeamPermissionDenied
from accounts.models import CreatorProfile, TeamMember, User


def _require_creator(*, creator: User, by: User) -> None:
    if not (by and by.is_authenticated and by.pk == creator.pk):
        raise TeamPermissionDenied()
    if not CreatorProfile.objects.filter(user=creator).exists():
        raise TeamPermissionDenied(_("Only a creator has a team: apply to become a creator first."))


def team_invite(*, creator: User, by: User, email: str, role: str) -> TeamMember:
    """Invite `email` to `creator`'s team with `role` (editor or analyst). Preconditions: `email` is a valid address.
    Refused (400 naming the field) for the creator's own address, an address already on the team, or another role."""
    _require_creator(creator=creator, by=by)
    email = email.strip().lower()
    if role not in TeamMember.Role.values:
        raise TeamInviteInvalid(_("Choose editor or analyst."), fields={"role": [_("Choose editor or analyst.")]})
    if email == creator.email.lower():
        raise TeamInviteInvalid(
            _("That is your own address: invite a collaborator's."),
            fields={"email": [_("That is your own address.")]},
        )
    user = User.objects.filter(email__iexact=email).first()
    try:
        with transaction.atomic():
            return TeamMember.objects.create(creator=creator, email=email, user=user, role=role, invited_by=by)
    except IntegrityError:
        raise TeamInviteInvalid(
            _("That address is on your team already: remove it first to change its role."),
            fields={"email": [_("Already on your team.")]},
        ) from None


def team_remove(*, member: TeamMember, by: User) -> None:
    """Take a collaborator off the team; they lose the seat at their next request."""
    _require_creator(creator=member.creator, by=by)
    member.delete()
