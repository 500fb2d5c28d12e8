"""Project-wide error pages: JSON in the API's error shape under /api/, a page with a way forward elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core.exceptions import error_body


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side. Please try again."), status=500
        )
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("permission_denied", "You do not have permission to do this."), status=403)
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("bad_request", "The request could not be understood."), status=400)
    return render(request, "400.html", status=400)
