"""Start-up gate for servers that run no management command: the system checks' errors stop the process."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def refuse_to_start_on_errors() -> None:
    """Raise ImproperlyConfigured listing every security check error (warnings pass), as `manage.py check` would."""
    found = checks.run_checks(tags=[checks.Tags.security])
    errors = [message for message in found if message.is_serious() and not message.is_silenced()]
    if errors:
        raise ImproperlyConfigured("Refusing to start:\n" + "\n".join(str(error) for error in errors))
