"""Checkout: choose a plan or a one-time offer, pay with a provider, wait for mobile money. On billing's services."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rights import selectors as rights_selectors
from web.viewer import viewer_for


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    return render(request, "web/checkout_plans.html", {"viewer": viewer_for(request), "plans": []})


@require_GET
def offer(request: HttpRequest, window_id: int) -> HttpResponse:
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise Http404
    return render(request, "web/checkout_offer.html", {"viewer": viewer_for(request), "window": window})
