import logging
import time

from core.http import client_ip

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
