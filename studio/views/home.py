"""The portal's entrance: a creator lands on their dashboard; anyone else is offered "Become a creator"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "studio/home.html", {})
