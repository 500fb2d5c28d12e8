"""The payee's monthly royalty statements (royalties): a list, one statement's lines, its PDF and CSV.

Who reads which: a signed-in user reads their own payee's statements (a creator's own payee, or a producer or
distributor payee with an account) and, working for a creator with a role that reads figures (the creator
themself, an analyst), that creator's. Any other statement id answers 404, as if it did not exist."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from royalties import selectors as royalties_selectors
from studio.access import studio_seat
from studio.views.figures import csv_response, money


def _payees(request: HttpRequest):
    seat = studio_seat(user=request.user)
    creator = seat.creator if seat is not None and seat.can_read_figures else None
    if seat is not None:
        request.studio_seat = seat  # the studio's navigation
    return royalties_selectors.payees_visible_to(user=request.user, creator=creator), seat


def _statement(request: HttpRequest, statement_id: int):
    payees, seat = _payees(request)
    statement = royalties_selectors.statement_for(statement_id=statement_id, payees=payees)
    if statement is None:
        raise Http404
    return statement, seat


@login_required
def statements(request: HttpRequest) -> HttpResponse:
    payees, seat = _payees(request)
    if seat is None and not payees.exists():
        raise Http404  # neither in the studio nor a payee: nothing here is theirs
    rows = [
        {"statement": s, "closing": money(s.closing_minor, s.currency),
         "earnings": money(s.earnings_minor, s.currency)}
        for s in royalties_selectors.statements_of(payees=payees)
    ]
    balances = [
        {"payee": payee, "balances": [money(amount, currency) for currency, amount in
                                      royalties_selectors.payee_balances(payee=payee).items()]}
        for payee in payees
    ]
    return render(request, "studio/figures/statements.html", {"seat": seat, "rows": rows, "balances": balances})


@login_required
def statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement, seat = _statement(request, statement_id)
    shown = royalties_selectors.statement_display(statement=statement)
    return render(request, "studio/figures/statement.html", {
        "seat": seat,
        "statement": statement,
        "rows": royalties_selectors.statement_rows(statement),
        "display_closing": money(shown["closing_minor"], statement.display_currency)
        if shown.get("closing_minor") is not None else None,
    })


def _name(statement, extension: str) -> str:
    return f"wans-statement-{statement.payee_id}-{statement.period:%Y-%m}-{statement.currency}.{extension}"


@login_required
def statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement, _ = _statement(request, statement_id)
    response = HttpResponse(royalties_selectors.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_name(statement, "pdf")}"'
    return response


@login_required
def statement_csv(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement, _ = _statement(request, statement_id)
    header, rows = royalties_selectors.statement_csv(statement)
    return csv_response(name=_name(statement, "csv")[:-4], header=header, rows=rows)
