"""Erasing a person (accounts.services.user_erase) reaches their creator page and team seats too."""

import pytest

from accounts import services
from accounts.models import CreatorProfile, TeamMember

pytestmark = pytest.mark.django_db


def test_erase_anonymises_the_creator_page_and_removes_team_seats_and_waiting_invitations(make_user):
    director = make_user("creator", email="vagi@example.com")
    assert CreatorProfile.objects.filter(user=director).exists()  # the creator role comes with a profile
    CreatorProfile.objects.filter(user=director).update(display_name="Vagi Films", slug="vagi-films",
                                                        bio="Port Moresby", links=["https://vagi.example"])
    other = make_user("creator")
    seat = services.team_invite(creator=other, by=other, email="VAGI@example.com", role="editor")
    third = make_user("creator")
    waiting = services.team_invite(creator=third, by=third, email="vagi@example.com", role="analyst")
    kept = services.team_invite(creator=director, by=director, email="editor@example.com", role="editor")

    services.user_erase(user=director)

    profile = CreatorProfile.objects.get(user=director)
    assert (profile.display_name, profile.slug, profile.bio, profile.links) == (
        f"Erased creator {director.pk}", f"erased-{director.pk}", "", [])
    assert not TeamMember.objects.filter(pk__in=[seat.pk, waiting.pk]).exists()
    assert TeamMember.objects.filter(pk=kept.pk).exists()  # the director's own team is other people's data
