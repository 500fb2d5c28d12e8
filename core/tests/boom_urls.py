"""A URL conf for the request-count tests: a view that fails (the 500 the request log must count) and one that
answers."""

from django.http import HttpResponse
from django.urls import path


def boom(request):
    raise RuntimeError("a bug in a view")


def fine(request):
    return HttpResponse("fine")


urlpatterns = [path("boom/", boom), path("fine/", fine)]
