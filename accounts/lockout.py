"""django-axes glue: count failures by the lower-cased email, and answer a lock-out in the shape of the caller."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.errors import LoginLocked


def username_from_credentials(request: HttpRequest, credentials: dict | None) -> str:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None and hasattr(request, "POST"):
        value = request.POST.get("login") or request.POST.get("email")
    return str(value or "").strip().lower()[:254]


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    error = LoginLocked()
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_body(), status=error.http_status)
    return render(request, "account/lockout.html", {"message": error.message}, status=error.http_status)
