import pytest

from catalog import services as catalog_services
from transcoding import samples


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Source clips made once per test session (a few seconds each, small where the test allows)."""
    folder = tmp_path_factory.mktemp("clips")
    made = {}

    def clip(name, **kwargs):
        if name not in made:
            made[name] = samples.make_clip(folder / f"{name}.mp4", **kwargs)
        return str(made[name])

    return clip


@pytest.fixture(autouse=True)
def _fast_pipeline(settings, tmp_path):
    """Protected storage, uploads and work folders under this test's tmp dir; a fast preset; short segments."""
    settings.STORAGES = {
        **settings.STORAGES,
        "protected": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "protected")},
        },
    }
    settings.TRANSCODING_UPLOAD_ROOT = tmp_path / "uploads"
    settings.TRANSCODING_WORK_ROOT = tmp_path / "work"
    settings.TRANSCODING_PRESET = "superfast"  # the fastest that still encodes H.264 High (CABAC, 8x8dct)
    settings.TRANSCODING_SEGMENT_SECONDS = 2
    settings.TRANSCODING_THREADS = 2
    settings.TRANSCODING_DEMO_SECONDS = 2
    settings.TRANSCODING_ENCRYPT = False  # these tests check the clear layout; test_encryption.py the encrypted one
    return tmp_path


@pytest.fixture
def creator(make_user):
    return make_user("creator")


@pytest.fixture
def staff(make_user):
    return make_user("admin")


@pytest.fixture
def film(creator):
    return catalog_services.film_create(creator=creator, data={"title": "Kokoda Dawn"})
