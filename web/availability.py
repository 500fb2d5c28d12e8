"""Availability in words ("Rent for PGK 15.00 · 48 hours to watch", "In cinemas in PNG until 12 March") and the
actions that follow from it, from rights' availability answer. Pure functions: no queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_countries import countries

# Short names people use for a territory; other countries by their name.
SHORT_NAMES = {"PG": "PNG", "US": "the US", "GB": "the UK"}


def territory_name(code: str) -> str:
    return SHORT_NAMES.get(code) or countries.name(code) or code


def day(value: datetime, at: datetime, *, short: bool = False) -> str:
    """12 March (this year) or 12 March 2028; short: 12 Mar, 12 Mar 2028 (for a badge)."""
    local = timezone.localtime(value)
    pattern = "j M" if short else "j F"
    if local.year != timezone.localtime(at).year:
        pattern += " Y"
    return formats.date_format(local, pattern)


def window_kind_words(window_type: str) -> str:
    return {
        "svod": _("subscription"),
        "tvod": _("rent"),
        "pvod": _("buy"),
        "collector": _("a collector's edition"),
        "avod": _("free streaming"),
        "festival": _("the festival"),
        "cinema": _("cinemas"),
        "ppv": _("a ticketed screening"),
    }.get(window_type, window_type)


@dataclass
class Action:
    kind: str  # play, rent, buy, ticket, subscribe
    label: str
    url: str | None
    primary: bool = False


@dataclass
class Availability:
    lines: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    granted: bool = False
    badge: str = ""


def _offer_words(offer: dict) -> tuple[str, str]:
    """(the sentence, the button label) for one offer."""
    price = (offer.get("price") or {}).get("display", "")
    kind = offer["kind"]
    if kind == "rent":
        hours = offer.get("rental_hours") or 48
        return _("Rent for %(price)s · %(hours)s hours to watch") % {"price": price, "hours": hours}, _(
            "Rent %(price)s"
        ) % {"price": price}
    if kind == "buy" and offer.get("window_type") == "collector":
        size = offer.get("edition_size")
        sentence = _("Collector's edition for %(price)s") % {"price": price}
        if size:
            sentence += " · " + _("%(count)s copies") % {"count": size}
        return sentence, _("Buy the collector's edition %(price)s") % {"price": price}
    if kind == "buy":
        return _("Buy for %(price)s · yours to keep watching") % {"price": price}, _("Buy %(price)s") % {"price": price}
    if kind == "ticket":
        return _("Ticket %(price)s") % {"price": price}, _("Get a ticket %(price)s") % {"price": price}
    return _("Included in a subscription"), _("Subscribe")


def describe(
    *, answer: dict, slug: str, watch_url: str | None, plan_name: str | None, signed_in: bool = True
) -> Availability:
    """What a viewer reads on a film page and the buttons under it. A free film needs an account to play: a
    visitor is led to sign up and then back to the film."""
    at = answer["at"]
    out = Availability()
    access = answer["access"]
    if access["granted"]:
        out.granted = True
        window_type = (access.get("window") or {}).get("type")
        if access["via"] == "free" and not signed_in:
            out.lines.append(_("Free with a WANS account"))
            out.badge = _("Free")
            back = reverse("web:film", args=[slug])
            out.actions.append(Action("join", _("Join free to watch"), f"{reverse('account_signup')}?next={back}",
                                      primary=True))
            out.actions.append(Action("signin", _("Sign in"), f"{reverse('account_login')}?next={back}"))
            watch_url = None
        elif access["via"] == "free":
            out.lines.append(_("Free to watch"))
            out.badge = _("Free")
        elif window_type == "svod":
            out.lines.append(_("Included in %(plan)s") % {"plan": plan_name} if plan_name else _("In your plan"))
            out.badge = _("Included")
        elif window_type == "tvod":
            out.lines.append(_("Rented: yours to watch"))
            out.badge = _("Rented")
        else:
            out.lines.append(_("Yours to watch"))
            out.badge = _("Yours")
        if watch_url is not None or signed_in:
            out.actions.append(Action("play", _("Play"), watch_url, primary=True))
    elif access.get("window"):  # a ticket held for an event that has not begun
        out.lines.append(_("You have a ticket"))
        out.badge = _("Ticket")
    for offer in answer["offers"]:
        sentence, label = _offer_words(offer)
        if offer["kind"] == "subscribe":
            url = reverse("web:checkout-plans") + f"?film={slug}"
        else:
            url = reverse("web:checkout-offer", args=[offer["window_id"]])
        if offer["kind"] == "ticket" and offer.get("event_starts_at"):
            sentence += " · " + _("showing %(day)s") % {"day": day(offer["event_starts_at"], at)}
        out.lines.append(sentence)
        out.actions.append(Action(offer["kind"], label, url, primary=not out.actions))
        if not out.badge:
            out.badge = {"subscribe": _("Subscription"), "rent": _("Rent"), "buy": _("Buy"), "ticket": _("Ticket")}[
                offer["kind"]
            ]
    if answer["in_cinemas"]:
        territory = territory_name(answer["territory"])
        until = answer.get("in_cinemas_until")
        out.lines.append(
            _("In cinemas in %(place)s until %(day)s") % {"place": territory, "day": day(until, at)}
            if until
            else _("In cinemas in %(place)s") % {"place": territory}
        )
        out.badge = out.badge or _("In cinemas")
    nxt = answer.get("next_window")
    if nxt and not out.granted:
        out.lines.append(
            _("Coming to %(kind)s on %(day)s")
            % {"kind": window_kind_words(nxt["type"]), "day": day(nxt["starts_at"], at)}
        )
        out.badge = out.badge or _("Coming %(day)s") % {"day": day(nxt["starts_at"], at, short=True)}
    if not out.lines:
        out.lines.append(_("Not available where you are right now"))
    return out
