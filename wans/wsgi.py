import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.production")
application = get_wsgi_application()

# Refuse to serve on unsafe settings (the sandbox rail, published webhook secrets: billing.checks), as
# `manage.py migrate` and `check --deploy` already refuse: a server that skips the release steps must not start either.
from core.checks import refuse_to_start_on_errors  # noqa: E402

refuse_to_start_on_errors()
