"""Transcoding's own test set-up: clips made once, a fast pipeline, and `film` as a draft (a film is transcoded
before it is published). Users come from core.testing (the root's plugin)."""

import pytest

from catalog import services as catalog_services
from core.testing.media import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Source clips made once per test session (a few seconds each, small where the test allows)."""
    folder = tmp_path_factory.mktemp("clips")
    made = {}

    def clip(name, **kwargs):
        if name not in made:
            made[name] = make_clip(folder / f"{name}.mp4", **kwargs)
        return str(made[name])

    return clip


@pytest.fixture(autouse=True)
def _fast_pipeline(settings, protected_storage_tmp):
    """A fast preset; short segments; the clear layout."""
    settings.TRANSCODING_PRESET = "superfast"  # the fastest that still encodes H.264 High (CABAC, 8x8dct)
    settings.TRANSCODING_SEGMENT_SECONDS = 2
    settings.TRANSCODING_THREADS = 2
    settings.TRANSCODING_DEMO_SECONDS = 2
    settings.TRANSCODING_ENCRYPT = False  # these tests check the clear layout; test_encryption.py the encrypted one
    return protected_storage_tmp


@pytest.fixture
def film(creator):
    """A draft: transcoding comes before review."""
    return catalog_services.film_create(creator=creator, data={"title": "Kokoda Dawn"})
