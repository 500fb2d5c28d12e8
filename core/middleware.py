import logging
import time

from django.http import JsonResponse
from django.shortcuts import render

from core.exceptions import error_body
from core.http import client_ip
from core.input_guard import inspect_request

logger = logging.getLogger("wans.request")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id. Outermost, so it times everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "ip": client_ip(request),
            },
        )
        return response


class InputGuardMiddleware:
    """Refuses hostile input (core.input_guard) with a 400 before any view or parser: the API's error body under
    /api/, the site's 400 page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = inspect_request(request)
        if refused is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(error_body(refused.code, refused.message, refused.fields), status=400)
        return render(request, "400.html", {"message": refused.message}, status=400)
