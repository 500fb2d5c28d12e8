import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: an empty cache (rate limits, sessions) and its own media folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser). Screenshots go to test-artifacts/."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots():
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
