import logging
import time

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from core.exceptions import error_body
from core.http import client_ip
from core.input_guard import inspect_request
from core.request_stats import request_record

logger = logging.getLogger("wans.request")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id; and the request counted per minute
    in the cache (core.request_stats: totals, 5xx, slow) for the console's health page. Outermost, so it times
    everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration_ms, 2),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "ip": client_ip(request),
            },
        )
        request_record(method=request.method, path=request.path, status=response.status_code,
                       duration_ms=duration_ms, at=timezone.now())
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
