"""The portal's entrance: a creator (or teammate) sees where things stand; anyone else is offered "Become a
creator"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from studio.access import studio_seat
from studio.films import film_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    seat = studio_seat(user=request.user)
    if seat is None:
        return render(request, "studio/welcome.html", {})
    request.studio_seat = seat
    return render(request, "studio/home.html", {"counts": film_counts(seat=seat)})
