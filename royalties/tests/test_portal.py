"""Statements in the creator portal (Revenue > Statements) and the admin: the list, one statement's lines, its PDF
(with its hash on it) and CSV; another creator's statement ids answer 404 on every page; an analyst reads their
creator's statements, an editor does not; a payee with an account reads their own. The admin lists statements
read-only, shows the chain check and refuses a split that does not sum to 100%."""

import csv
import io
import re
import zlib

import pytest

from accounts import services as accounts_services
from royalties import services
from royalties.models import SplitRuleSet, Statement
from royalties.tests.conftest import at, month
from royalties.tests.test_statements import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(film, make_window, shop, creator):
    """The creator's film split 60:40 with a producer who has an account, one sale, the month closed."""
    own = services.payee_for_user(user=creator)
    producer = services.payee_create(name="Sepik Pictures", email="producer@example.com", country="PG",
                                     currency="PGK")
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 6000), (producer.pk, 4000)],
                                   valid_from=month(3))
    shop.sell(make_window("tvod"), at=at(month(2)), fee=38)
    services.period_close(period=month(2))
    return Statement.objects.get(payee=own), Statement.objects.get(payee=producer)


def pdf_text(body: bytes) -> str:
    """The text drawn in a PDF's content streams (fpdf2 compresses them with zlib)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "".join(out)


def test_a_creator_reads_their_statements_and_downloads_them(client, creator, closed, film):
    mine, _ = closed
    client.force_login(creator)
    revenue = client.get("/studio/revenue/")
    assert revenue.status_code == 200 and b'href="/studio/revenue/statements/"' in revenue.content
    listing = client.get("/studio/revenue/statements/")
    assert listing.status_code == 200
    assert [row["statement"].pk for row in listing.context["rows"]] == [mine.pk]
    assert listing.context["balances"][0]["balances"] == ["PGK 6.14"]
    page = client.get(f"/studio/revenue/statements/{mine.pk}/")
    assert page.status_code == 200
    rows = [(row["section"], row["film"], row["amount_minor"]) for row in page.context["rows"]]
    assert rows == [("opening", "", 0), ("earnings", film.title, 614), ("closing", "", 614)]
    assert mine.hash.encode() in page.content
    pdf = client.get(f"/studio/revenue/statements/{mine.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert mine.hash in text and mine.previous_hash in text and "PGK 6.14" in text
    exported = client.get(f"/studio/revenue/statements/{mine.pk}/csv")
    table = list(csv.reader(io.StringIO(exported.content.decode())))
    assert table[1:4] == [["opening", "", "", "", "", "0", "PGK"],
                          ["earnings", str(film.pk), film.title, "Rental (TVOD)", "", "614", "PGK"],
                          ["closing", "", "", "", "", "614", "PGK"]]
    assert table[4] == ["hash", "", "", "", mine.hash, "", ""]


def test_another_creators_statements_answer_404(client, make_user, closed):
    mine, theirs = closed
    other = make_user("creator")
    client.force_login(other)
    for statement in (mine, theirs):
        for suffix in ("", "pdf", "csv"):
            assert client.get(f"/studio/revenue/statements/{statement.pk}/{suffix}").status_code == 404
    listing = client.get("/studio/revenue/statements/")
    assert listing.status_code == 200 and listing.context["rows"] == []


def test_a_payee_with_an_account_reads_their_own_statement_only(client, make_user, closed):
    mine, theirs = closed
    producer = make_user("viewer", email="producer@example.com")
    from royalties.models import Payee

    Payee.objects.filter(pk=theirs.payee_id).update(user=producer)
    client.force_login(producer)
    assert [r["statement"].pk for r in client.get("/studio/revenue/statements/").context["rows"]] == [theirs.pk]
    assert client.get(f"/studio/revenue/statements/{theirs.pk}/").status_code == 200
    assert client.get(f"/studio/revenue/statements/{mine.pk}/").status_code == 404


def test_an_analyst_reads_the_creators_statements_an_editor_does_not(client, make_user, creator, closed):
    mine, _ = closed
    analyst, editor = make_user(), make_user()
    accounts_services.team_invite(creator=creator, by=creator, email=analyst.email, role="analyst")
    accounts_services.team_invite(creator=creator, by=creator, email=editor.email, role="editor")
    client.force_login(analyst)
    assert client.get(f"/studio/revenue/statements/{mine.pk}/csv").status_code == 200
    client.force_login(editor)
    assert client.get(f"/studio/revenue/statements/{mine.pk}/").status_code == 404
    assert client.get("/studio/revenue/statements/").context["rows"] == []


def test_someone_with_no_seat_and_no_payee_gets_404(client, viewer, closed):
    client.force_login(viewer)
    assert client.get("/studio/revenue/statements/").status_code == 404


def test_the_admin_lists_statements_read_only_and_shows_the_chain_check(client, staff, closed):
    mine, theirs = closed
    client.force_login(staff)
    listing = client.get("/admin/royalties/statement/")
    assert listing.status_code == 200 and b"Chain check" in listing.content
    assert client.get(f"/admin/royalties/statement/{mine.pk}/change/").status_code == 200
    assert client.get("/admin/royalties/statement/add/").status_code == 403
    pdf = client.get(f"/admin/royalties/statement/{mine.pk}/pdf/")
    assert pdf.status_code == 200 and mine.hash in pdf_text(pdf.content)
    check = client.get("/admin/royalties/statement/chain-check/")
    assert check.context["report"].ok and b"2 statements in 2 chains verify" in check.content
    tamper("UPDATE royalties_statement SET lines = %s WHERE id = %s", ['{"earnings": []}', theirs.pk])
    check = client.get("/admin/royalties/statement/chain-check/")
    first = check.context["report"].first_break
    assert (first.statement_id, first.what, first.stored) == (theirs.pk, "hash", theirs.hash)
    assert b"BROKEN" in check.content and theirs.hash.encode() in check.content


def test_the_admin_refuses_a_split_that_does_not_sum_to_100(client, staff, film, creator):
    own = services.payee_for_user(user=creator)
    client.force_login(staff)
    form = {
        "film": film.pk, "model": "", "territory": "", "valid_from": month(1).isoformat(), "valid_until": "",
        "note": "", "shares-TOTAL_FORMS": "2", "shares-INITIAL_FORMS": "0", "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000", "shares-0-payee": own.pk, "shares-0-share_bps": "6000",
        "shares-1-payee": "", "shares-1-share_bps": "",
    }
    response = client.post("/admin/royalties/splitruleset/add/", form)
    assert response.status_code == 200 and b"split_sum_not_100" in response.content
    assert not SplitRuleSet.objects.exists()
    form["shares-0-share_bps"] = "10000"
    assert client.post("/admin/royalties/splitruleset/add/", form).status_code == 302
    assert SplitRuleSet.objects.get().shares.get().share_bps == 10000
    response = client.post("/admin/royalties/splitruleset/add/", form)  # the same scope and dates again
    assert response.status_code == 200 and b"split_overlap" in response.content
    assert SplitRuleSet.objects.count() == 1
