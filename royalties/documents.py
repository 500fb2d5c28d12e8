"""A statement as a CSV table and as a PDF (fpdf2: pure Python, no system libraries), in the active language.
Both are made from the stored statement alone, so they are the same whenever they are downloaded; the PDF carries
the statement's hash and its predecessor's (royalties_verify checks them)."""

from django.utils.translation import gettext as _
from fpdf import FPDF

from core.money import money_display
from royalties.arithmetic import convert
from royalties.models import MODELS, Statement

MODEL_NAMES = dict(MODELS)


def model_name(code: str) -> str:
    return str(MODEL_NAMES[code]) if code in MODEL_NAMES else (code or _("Other"))


def statement_display(*, statement: Statement) -> dict:
    """The statement's totals also in the payee's currency, at the rates recorded on it (None when a rate is
    missing or the statement is in the payee's currency already)."""
    fields = ["opening_minor", "earnings_minor", "adjustments_minor", "withholding_minor", "payouts_minor",
              "closing_minor"]
    if not statement.display_currency:
        return {}
    return {
        name: convert(getattr(statement, name), currency=statement.currency, to=statement.display_currency,
                      rate=statement.rate, to_rate=statement.display_rate)
        for name in fields
    }



def statement_rows(statement: Statement) -> list[dict]:
    """The statement's lines in order, each {section, film_id, film, model, detail, amount_minor}: what the page,
    the CSV and the PDF show. Amounts from the payee's side (positive: owed to them)."""
    lines = statement.lines
    rows = [{"section": "opening", "label": _("Opening balance"), "amount_minor": statement.opening_minor}]
    for row in lines["earnings"]:
        detail = _("of which recouped: %(amount)s") % {
            "amount": money_display(row["recouped_minor"], statement.currency)} if row["recouped_minor"] else ""
        rows.append({"section": "earnings", "label": _("Earnings"), "film_id": row["film_id"], "film": row["title"],
                     "model": model_name(row["model"]), "detail": detail, "amount_minor": row["amount_minor"]})
    for row in lines["minimum_guarantee"]:
        rows.append({"section": "minimum_guarantee", "label": _("Minimum guarantee top-up"), "film_id": row["film_id"],
                     "film": row["title"], "amount_minor": row["amount_minor"]})
    for row in lines["adjustments"]:
        rows.append({"section": "adjustment", "label": _("Adjustment to an earlier month"), "film_id": row["film_id"],
                     "film": row["title"], "model": model_name(row["model"]), "amount_minor": row["amount_minor"]})
    if lines.get("late_minor"):
        rows.append({"section": "adjustment", "label": _("Posted late to an earlier month"),
                     "amount_minor": lines["late_minor"]})
    for row in lines["other"]:
        rows.append({"section": "adjustment", "label": _("Other posting"), "detail": row["memo"] or row["key"],
                     "amount_minor": row["amount_minor"]})
    withholding = lines["withholding"]
    if withholding["amount_minor"] or withholding["rate_bps"]:
        rows.append({"section": "withholding", "label": _("Tax withheld"),
                     "detail": _("exempt") if withholding["exempt"] else f"{withholding['rate_bps'] / 100:.2f}%",
                     "amount_minor": -withholding["amount_minor"]})
    for row in lines["payouts"]:
        label = _("Payout") if row["kind"] == "payout" else _("Payout returned")
        rows.append({"section": row["kind"], "label": label, "detail": f"{row['occurred_at'][:10]} {row['memo']}",
                     "amount_minor": row["amount_minor"]})
    rows.append({"section": "closing", "label": _("Closing balance"), "amount_minor": statement.closing_minor})
    for row in rows:
        row.setdefault("film_id", None)
        row.setdefault("film", "")
        row.setdefault("model", "")
        row.setdefault("detail", "")
        row["text"] = money_display(row["amount_minor"], statement.currency, empty=str(row["amount_minor"]))
    return rows


def statement_csv(statement: Statement) -> tuple[list[str], list[list]]:
    """(header, rows) of the statement's CSV: one row per line, amounts in minor units, then the hashes."""
    header = [_("Section"), _("Film id"), _("Film"), _("Model"), _("Detail"), _("Amount (minor units)"),
              _("Currency")]
    rows = [[row["section"], row["film_id"] or "", row["film"], row["model"], row["detail"], row["amount_minor"],
             statement.currency] for row in statement_rows(statement)]
    shown = statement_display(statement=statement)
    if shown.get("closing_minor") is not None:
        rows.append(["closing_display", "", "", "", _("at %(rate)s and %(to_rate)s per unit, %(day)s") % {
            "rate": statement.rate, "to_rate": statement.display_rate, "day": statement.rates_on},
            shown["closing_minor"], statement.display_currency])
    rows.append(["hash", "", "", "", statement.hash, "", ""])
    rows.append(["previous_hash", "", "", "", statement.previous_hash, "", ""])
    return header, rows


def _latin1(text: str) -> str:
    # The PDF's core fonts (no font files to ship) speak Latin-1; anything else shows as "?".
    return str(text).encode("latin-1", "replace").decode("latin-1")


def statement_pdf(statement: Statement) -> bytes:
    payee = statement.payee
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"WANS royalty statement {statement.period:%Y-%m} {statement.currency}"))
    pdf.set_creator("WANS")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.epw

    def text(value, size=10, style="", height=6):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, height, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    text(_("WANS royalty statement"), size=16, style="B", height=10)
    text(_("%(payee)s (payee %(id)s, %(country)s)") % {"payee": payee.name, "id": payee.pk,
                                                         "country": payee.country})
    text(_("Month: %(month)s    Currency: %(currency)s    Statement %(sequence)s of this payee") % {
        "month": f"{statement.period:%Y-%m}", "currency": statement.currency, "sequence": statement.sequence})
    text(_("Closed: %(at)s UTC") % {"at": statement.closed_at.strftime("%Y-%m-%d %H:%M")})
    pdf.ln(4)
    columns = [0.24, 0.30, 0.16, 0.30]
    pdf.set_font("Helvetica", style="B", size=9)
    for label, share in zip([_("Line"), _("Film"), _("Model"), _("Amount")], columns, strict=True):
        pdf.cell(width * share, 6, _latin1(label), border="B", align="R" if label == _("Amount") else "L")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=9)
    for row in statement_rows(statement):
        strong = row["section"] in ("opening", "closing")
        pdf.set_font("Helvetica", style="B" if strong else "", size=9)
        film = row["film"] or row["detail"]
        values = [row["label"], film[:48], row["model"], row["text"]]
        for value, share in zip(values, columns, strict=True):
            pdf.cell(width * share, 6, _latin1(value), align="R" if value is values[-1] else "L")
        pdf.ln(6)
    shown = statement_display(statement=statement)
    if shown.get("closing_minor") is not None:
        pdf.ln(3)
        text(_("In %(currency)s at the rates of %(day)s (reporting currency per unit: %(currency_from)s %(rate)s, "
               "%(currency)s %(to_rate)s): closing balance %(amount)s") % {
            "currency": statement.display_currency, "day": statement.rates_on, "currency_from": statement.currency,
            "rate": statement.rate, "to_rate": statement.display_rate,
            "amount": money_display(shown["closing_minor"], statement.display_currency)}, size=9)
    pdf.ln(6)
    text(_("Tamper evidence (sha256, chained to the payee's previous statement)"), size=9, style="B")
    pdf.set_font("Courier", size=8)
    this, previous = _("This statement"), _("Previous statement")
    pdf.cell(width, 5, _latin1(f"{this}: {statement.hash}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 5, _latin1(f"{previous}: {statement.previous_hash}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
