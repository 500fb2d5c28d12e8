"""Payouts in headless Chromium: staff prepare a run in the admin, a second member of staff approves and executes it
(the sandbox wallet pays at once), and the creator reads their payouts at a phone and a desktop size (nothing wider
than the screen, every text at WCAG AA contrast). Screenshots in test-artifacts/screenshots/payouts-*.png."""

import re
from pathlib import Path

import pytest

from core.testing.payees import payee_credit, payee_wallet
from royalties import services as royalties_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-browser-pass-1"
CONTRAST = (Path(__file__).resolve().parents[2] / "web" / "tests" / "contrast.js").read_text().split("\n", 1)[1]


def _sign_in(chromium, live_server, user, viewport, then: str):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}{then}")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(rf".*{re.escape(then)}$"))
    return context, page


def test_prepare_approve_execute_and_the_creator_sees_it_paid(chromium, live_server, screenshots, make_user,
                                                              settings):
    settings.PAYOUTS_SANDBOX_DELAY_SECONDS = 0
    preparer = make_user("admin", email="prepares@example.com", password=PASSWORD)
    approver = make_user("admin", email="approves@example.com", password=PASSWORD)
    creator = make_user("creator", email="creator@example.com", password=PASSWORD, display_name="Kina Films")
    payee = royalties_services.payee_for_user(user=creator)
    payee_wallet(payee, preparer)
    payee_credit(payee, "PGK", 123_450)
    payee_credit(payee, "USD", 1_500)
    desktop = {"width": 1366, "height": 900}

    context, page = _sign_in(chromium, live_server, preparer, desktop, "/admin/payouts/payoutrun/")
    page.get_by_role("button", name="Prepare a run").click()
    page.wait_for_url(re.compile(r".*/admin/payouts/payoutrun/\d+/change/$"))
    run_url = page.url
    assert page.locator("#four-eyes").is_visible() and page.locator("#approve").count() == 0
    context.close()

    context, page = _sign_in(chromium, live_server, approver, desktop, "/admin/console/pending/")
    assert page.locator("#count-payout_runs").inner_text() == "1"
    page.locator(f'#payout_runs a[href="{run_url.removeprefix(live_server.url)}"]').click()
    page.wait_for_url(run_url)
    assert "PGK 1,234.50" in page.locator("#totals").inner_text()
    page.screenshot(path=screenshots / "payouts-run-prepared.png", full_page=True)
    page.locator("#approve").click()
    page.wait_for_selector("#execute")
    page.locator("#execute").click()
    page.wait_for_selector("#run-status strong:text('Executed')")
    assert page.locator("#payouts .state").all_inner_texts() == ["Paid"]
    assert "1 · PGK 1,234.50" in page.locator("#reconciliation").inner_text()
    page.screenshot(path=screenshots / "payouts-run-executed.png", full_page=True)
    context.close()

    for viewport in ({"width": 360, "height": 740}, desktop):
        context, page = _sign_in(chromium, live_server, creator, viewport, "/studio/payouts/")
        assert page.locator('#payout-balances tr[data-currency="USD"]').inner_text().count("USD") >= 2
        assert page.locator("#payout-balances tr[data-currency='PGK']").count() == 0  # paid out: nothing owed
        assert page.locator("#payout-history tbody td").last.inner_text() == "Paid"
        page.screenshot(path=screenshots / f"payouts-studio-{viewport['width']}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page is {width}px wide"
        assert page.evaluate(CONTRAST) == []
        context.close()
