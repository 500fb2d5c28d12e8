"""Playback's own test set-up: fast encodes, its subscriptions, a film transcoded for real, API clients. Users,
published films, windows, plans and the clip come from core.testing (the root's plugin)."""

import pytest
from rest_framework.test import APIClient

from billing import services as billing_services
from transcoding import services as transcoding_services


@pytest.fixture(autouse=True)
def _fast_media(settings, protected_storage_tmp):
    """Fast encodes, short segments, the country header, billing's entitlements."""
    settings.TRANSCODING_PRESET = "superfast"
    settings.TRANSCODING_SEGMENT_SECONDS = 2
    settings.TRANSCODING_THUMBNAILS = 4
    settings.WANS_COUNTRY_HEADER = "CF-IPCountry"
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "billing.entitlements.BillingEntitlements"
    return protected_storage_tmp


@pytest.fixture
def svod(make_window):
    return make_window("svod")


@pytest.fixture
def subscribe(staff, plans):
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
