"""The fixtures every app's tests share, registered for the whole suite by the root conftest.py (`pytest_plugins`).
An app's own conftest.py keeps only what is its own, and may override one of these by name (transcoding's `film`
is a draft, for instance).

Users: `make_user`, `creator`, `staff`, `viewer`. Films: `make_film`, `film` (published, with media rows),
`publish` (a published film and its window in one call). Windows: `make_window`. Plans: `plans`. Media: `clip` (a
real 4 s 720p clip) and `make_clip`. Folders: `protected_storage_tmp` (every test gets it through the root's
isolation fixture)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.testing.films import PRICES, film_published, window_open
from core.testing.media import make_clip


@pytest.fixture
def make_user(db):
    """make_user("creator") -> a verified account with that role (viewer, creator, admin, super admin)."""
    from allauth.account.models import EmailAddress

    from accounts import services
    from accounts.roles import Role

    counter = iter(range(1, 10_000))

    def make(role: str = "viewer", email: str | None = None, password: str = "correct-horse-battery-9", **extra):  # noqa: S107
        email = email or f"{role.replace(' ', '-')}{next(counter)}@example.com"
        user = services.user_create(email=email, password=password, display_name=extra.get("display_name", ""))
        services.user_set_role(user=user, role=Role(role))
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def creator(make_user):
    return make_user("creator")


@pytest.fixture
def staff(make_user):
    return make_user("admin")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer")


@pytest.fixture
def make_film(creator, staff):
    """make_film("Title", owner=None, **film data) -> a published film (with media rows, no files)."""

    def make(title="Kokoda Dawn", owner=None, **data):
        return film_published(creator=owner or creator, staff=staff, title=title, **data)

    return make


@pytest.fixture
def film(make_film):
    return make_film()


@pytest.fixture
def make_window(film, staff):
    """make_window("tvod") -> an open window in PG and the US on `film` (or `on=`), priced from PRICES, started a
    day ago."""

    def make(window_type="svod", *, on=None, **terms):
        return window_open(film=on or film, staff=staff, window_type=window_type, **terms)

    return make


@pytest.fixture
def publish(creator, staff):
    """publish("Title", window="avod", territories="PG", start_days=-1, end_days=None, prices=None, **film data) ->
    a published film with one window (window=None: none). `publish.add_window(film, window, ...)` adds another."""

    def add_window(film, window, territories="PG", start_days=-1, end_days=None, **terms):
        now = timezone.now()
        if window == "ppv":
            terms.setdefault("event_starts_at", now + timedelta(days=start_days, hours=2))
        if window == "collector":
            terms.setdefault("edition_size", 50)
        if terms.get("prices") is None:
            terms["prices"] = {} if window == "festival" else PRICES.get(window, {})  # the site's festival: free
        return window_open(
            film=film, staff=staff, window_type=window, territories=territories,
            starts_at=now + timedelta(days=start_days),
            ends_at=now + timedelta(days=end_days) if end_days is not None else None, **terms,
        )

    def publish(title, window="avod", territories="PG", start_days=-1, end_days=None, genres=(), prices=None,
                **data):
        film = film_published(creator=creator, staff=staff, title=title, genres=genres, **data)
        if window:
            add_window(film, window, territories=territories, start_days=start_days, end_days=end_days,
                       prices=prices)
        return film

    publish.add_window = add_window
    publish.staff = staff
    return publish


@pytest.fixture
def plans(db):
    """{code: plan} of billing's plans. Migration 0002 seeds them and billing's post_migrate hook puts them back
    after a flush (a transactional test's teardown): the one way plans are made, in tests as in production."""
    from billing import selectors as billing_selectors

    found = {plan.code: plan for plan in billing_selectors.plans_offered()}
    assert set(found) >= {"basic", "standard", "premium"}, found
    return found


@pytest.fixture
def protected_storage_tmp(settings, tmp_path):
    """Media, protected storage, upload and transcoding work folders under this test's tmp_path (the root conftest's
    isolation asks for it in every test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "S3" not in settings.STORAGES["protected"]["BACKEND"]:
        settings.STORAGES = {
            **settings.STORAGES,
            "protected": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "protected"), "base_url": None},
            },
        }
    settings.TRANSCODING_UPLOAD_ROOT = tmp_path / "uploads"
    settings.TRANSCODING_WORK_ROOT = tmp_path / "work"
    return tmp_path


@pytest.fixture(scope="session")
def clip(tmp_path_factory):
    """A 4 s 720p test pattern with a tone, made once per run."""
    return str(make_clip(tmp_path_factory.mktemp("clips") / "clip.mp4", width=1280, height=720, seconds=4))

