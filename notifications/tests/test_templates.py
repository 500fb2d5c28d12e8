"""Every event's template renders in English and Tok Pisin from its sample context, with every string of the
message (subject, text, SMS and push text, the email's frame) found in the Tok Pisin catalogue."""

import pytest
from django.utils.translation import trans_real

from notifications import events
from notifications.preview import preview


@pytest.fixture
def lookups(monkeypatch):
    """The msgids the Tok Pisin catalogue was asked for and does not have (it would fall back to English)."""
    catalogue = trans_real.translation("tpi")
    missing: list[str] = []
    gettext, ngettext = catalogue.gettext, catalogue.ngettext

    def checked_gettext(message):
        if message and catalogue._catalog.get(message) is None:
            missing.append(message)
        return gettext(message)

    def checked_ngettext(singular, plural, number):
        if catalogue._catalog.get((singular, catalogue.plural(number))) is None:
            missing.append(singular)
        return ngettext(singular, plural, number)

    monkeypatch.setattr(catalogue, "gettext", checked_gettext)
    monkeypatch.setattr(catalogue, "ngettext", checked_ngettext)
    return missing


@pytest.mark.parametrize("name", sorted(events.EVENTS))
def test_every_event_renders_in_tok_pisin_with_no_missing_string(name, lookups):
    english = preview(event_name=name, language="en")
    tok_pisin = preview(event_name=name, language="tpi")
    assert lookups == []
    for part in ("subject", "short"):
        assert getattr(tok_pisin["rendered"], part) != getattr(english["rendered"], part)
        assert getattr(tok_pisin["rendered"], part).strip()
    assert tok_pisin["email_text"] != english["email_text"]


def test_the_checker_sees_a_missing_string(lookups):
    from django.utils import translation

    with translation.override("tpi"):
        translation.gettext("A sentence nobody translated")
    assert lookups == ["A sentence nobody translated"]


def test_a_receipt_in_tok_pisin_reads_as_written():
    rendered = preview(event_name="payment_receipt", language="tpi")["rendered"]
    assert rendered.subject == "Risit: PGK 15.00 long Kokoda Dawn (rental)"
    assert rendered.short == "Yu baim PGK 15.00 long Kokoda Dawn (rental). Namba bilong oda WK7M2Q9RTA."


def test_every_event_has_a_sample_with_what_it_needs_and_a_template_with_all_three_blocks():
    from notifications.rendering import _blocks

    for event in events.EVENTS.values():
        assert set(event.needs) <= set(event.sample), event.name
        assert set(_blocks(f"notifications/events/{event.name}.html")) == {"subject", "text", "short"}, event.name
