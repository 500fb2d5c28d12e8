"""The other apps' public reads and writes that the site calls. Billing and playback are optional at import time
(the site renders without them: no plan names, no continue-watching row), so the pages never break on a tree
where one of them is missing."""

from django.urls import NoReverseMatch, reverse

try:
    from billing import selectors as billing_selectors
except ImportError:  # pragma: no cover - billing not installed
    billing_selectors = None

try:
    from billing import services as billing_services
except ImportError:  # pragma: no cover
    billing_services = None

try:
    from playback import selectors as playback_selectors
except ImportError:  # pragma: no cover
    playback_selectors = None

try:
    from playback import services as playback_services
except ImportError:  # pragma: no cover
    playback_services = None


def has(module, name: str) -> bool:
    return module is not None and callable(getattr(module, name, None))


def watch_url(slug: str) -> str | None:
    """playback's watch page for the film, or None while playback has no watch page."""
    try:
        return reverse("playback:watch", args=[slug])
    except NoReverseMatch:
        return None
