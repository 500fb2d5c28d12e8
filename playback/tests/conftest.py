import importlib
import subprocess
from datetime import timedelta

import imageio_ffmpeg
import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from billing import services as billing_services
from catalog import services as catalog_services
from rights import services as rights_services
from transcoding import services as transcoding_services

PRICES = {"tvod": {"PGK": 1500, "USD": 499}, "pvod": {"PGK": 3500, "USD": 1499}}


@pytest.fixture(autouse=True)
def _media_here(settings, tmp_path):
    """Protected storage and transcoding folders under this test's tmp dir; fast encodes; Redis keys our own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "protected": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "protected")},
        },
    }
    settings.TRANSCODING_UPLOAD_ROOT = tmp_path / "uploads"
    settings.TRANSCODING_WORK_ROOT = tmp_path / "work"
    settings.TRANSCODING_PRESET = "superfast"
    settings.TRANSCODING_SEGMENT_SECONDS = 2
    settings.TRANSCODING_THUMBNAILS = 4
    settings.WANS_COUNTRY_HEADER = "CF-IPCountry"
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "billing.entitlements.BillingEntitlements"
    return tmp_path


@pytest.fixture(scope="session")
def clip(tmp_path_factory):
    """A 4 s 720p test pattern with a tone (made here: transcoding's samples module is not its public API)."""
    path = tmp_path_factory.mktemp("playback-clips") / "clip.mp4"
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=1280x720:rate=25:duration=4",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=4",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(path),
    ]
    subprocess.run(command, check=True)  # noqa: S603
    return str(path)


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
def film(creator, staff):
    film = catalog_services.film_create(creator=creator, data={"title": "Kokoda Dawn"})
    catalog_services.film_submit(film=film, by=creator)
    catalog_services.film_approve(film=film, by=staff)
    return film


@pytest.fixture
def make_window(film, staff):
    def make(window_type="svod", *, on=None, starts_at=None, ends_at=None, territories="PG,US", **terms):
        return rights_services.window_create(
            film=on or film,
            by=staff,
            window_type=window_type,
            territories=territories,
            starts_at=starts_at or timezone.now() - timedelta(days=1),
            ends_at=ends_at,
            prices=PRICES.get(window_type, {}),
            **terms,
        )

    return make


@pytest.fixture
def svod(make_window):
    return make_window("svod")


@pytest.fixture
def subscribe(staff):
    # A transactional test elsewhere in the suite flushes the plans billing seeds in a data migration; put them
    # back the way billing's demo seeder does (the same migration function) before granting.
    if not apps.get_model("billing", "Plan").objects.exists():
        importlib.import_module("billing.migrations.0002_seed_plans").seed(apps, None)

    def grant(user, plan="standard"):
        return billing_services.subscription_grant(user=user, plan_code=plan, by=staff, reason="test")

    return grant


@pytest.fixture
def media(film, creator, clip):
    """The film transcoded for real, encrypted (1280x720: 720p, 480p, 360p, 240p + audio + audio-only)."""
    job = transcoding_services.job_create(film=film, by=creator, source_path=clip, enqueue=False, encrypt=True)
    job = transcoding_services.job_run(job_id=job.pk)
    assert job.state == "completed", job.error
    return job


@pytest.fixture
def client_for():
    def make(user, country="PG"):
        client = APIClient(HTTP_CF_IPCOUNTRY=country)
        client.force_authenticate(user)
        return client

    return make
