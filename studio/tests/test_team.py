import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from accounts.errors import TeamInviteInvalid, TeamPermissionDenied
from studio.access import ANALYST, EDITOR, OWNER, studio_seat
from studio.tests.helpers import approved_creator, film_of

pytestmark = pytest.mark.django_db


def _team(creator):
    return [(m.email, m.role, m.user_id) for m in accounts_selectors.team_members_of(creator=creator)]


def test_invite_an_existing_account_as_editor_gives_them_the_creators_seat(client, make_user):
    creator = approved_creator(make_user)
    mate = make_user("viewer", email="mate@example.com")
    client.force_login(creator)
    answer = client.post(reverse("studio:team"), {"email": "Mate@Example.com", "role": "editor"})
    assert answer.status_code == 302
    assert _team(creator) == [("mate@example.com", "editor", mate.pk)]
    assert mail.outbox[-1].to == ["mate@example.com"]
    seat = studio_seat(user=mate)
    assert (seat.creator, seat.role) == (creator, EDITOR)


def test_an_invitation_waits_for_a_confirmed_account_with_that_email(make_user):
    creator = approved_creator(make_user)
    accounts_services.team_invite(creator=creator, by=creator, email="later@example.com", role="analyst")
    later = accounts_services.user_create(email="later@example.com", password="correct-horse-battery-9")
    assert studio_seat(user=later) is None  # the address is not confirmed yet
    EmailAddress.objects.create(user=later, email=later.email, primary=True, verified=True)
    seat = studio_seat(user=later)
    assert (seat.creator, seat.role) == (creator, ANALYST)


def test_a_creator_keeps_their_own_seat(make_user):
    creator = approved_creator(make_user, "One")
    other = approved_creator(make_user, "Two")
    accounts_services.team_invite(creator=other, by=other, email=creator.email, role="editor")
    seat = studio_seat(user=creator)
    assert (seat.creator, seat.role) == (creator, OWNER)


def test_invitations_refused_with_the_field_named(make_user):
    creator = approved_creator(make_user)
    accounts_services.team_invite(creator=creator, by=creator, email="a@example.com", role="editor")
    for email, role, field in ((creator.email, "editor", "email"), ("A@example.com", "analyst", "email"),
                               ("b@example.com", "owner", "role")):
        with pytest.raises(TeamInviteInvalid) as refused:
            accounts_services.team_invite(creator=creator, by=creator, email=email, role=role)
        assert list(refused.value.fields) == [field]
    assert _team(creator) == [("a@example.com", "editor", None)]


def test_only_the_creator_manages_the_team(make_user):
    creator = approved_creator(make_user)
    mate = make_user("viewer")
    member = accounts_services.team_invite(creator=creator, by=creator, email=mate.email, role="editor")
    with pytest.raises(TeamPermissionDenied):
        accounts_services.team_invite(creator=creator, by=mate, email="x@example.com", role="editor")
    with pytest.raises(TeamPermissionDenied):
        accounts_services.team_remove(member=member, by=mate)
    assert _team(creator) == [(mate.email, "editor", mate.pk)]


def test_a_teammate_sees_only_their_creators_films_and_no_team_page(client, make_user):
    creator = approved_creator(make_user, "Boss")
    film_of(creator, "Boss Film")
    film_of(approved_creator(make_user, "Other"), "Other Film")
    mate = make_user("viewer")
    accounts_services.team_invite(creator=creator, by=creator, email=mate.email, role="editor")
    client.force_login(mate)
    page = client.get(reverse("studio:films")).content.decode()
    assert "Boss Film" in page and "Other Film" not in page
    assert client.get(reverse("studio:team")).status_code == 404


def test_an_analyst_cannot_open_film_editing(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    mate = make_user("viewer")
    accounts_services.team_invite(creator=creator, by=creator, email=mate.email, role="analyst")
    client.force_login(mate)
    for name in ("film-edit", "film-upload", "film-windows"):
        assert client.get(reverse(f"studio:{name}", args=[film.pk])).status_code == 404
    assert client.get(reverse("studio:film-new")).status_code == 404


def test_remove_a_teammate_and_they_lose_the_seat(client, make_user):
    creator = approved_creator(make_user)
    mate = make_user("viewer")
    member = accounts_services.team_invite(creator=creator, by=creator, email=mate.email, role="editor")
    client.force_login(creator)
    assert client.post(reverse("studio:team-remove", args=[member.pk])).status_code == 302
    assert _team(creator) == []
    assert studio_seat(user=mate) is None


def test_removing_another_creators_teammate_is_not_found(client, make_user):
    creator = approved_creator(make_user, "Mine")
    other = approved_creator(make_user, "Theirs")
    member = accounts_services.team_invite(creator=other, by=other, email="m@example.com", role="editor")
    client.force_login(creator)
    assert client.post(reverse("studio:team-remove", args=[member.pk])).status_code == 404
    assert _team(other) == [("m@example.com", "editor", None)]
