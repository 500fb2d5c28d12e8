"""The web-push service worker, served from the site's root (`/sw.js`) so that its scope is the whole site: a worker
under /static/ could only control /static/. The file itself is static/sw.js."""

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@lru_cache(maxsize=1)
def _worker_source() -> bytes:
    return Path(finders.find("sw.js")).read_bytes()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # browsers look for a new worker on every visit
    return response
