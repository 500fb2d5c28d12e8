"""Tok Pisin everywhere (issue 22, item 10): every string the code and templates mark for translation has a Tok
Pisin translation (none empty, none fuzzy), and dates and durations come out in the profile's language."""

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timesince import timeuntil

from accounts import services as account_services


def _entries(po: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of each entry, continuation lines joined; obsolete (#~) entries left out."""
    out = []
    for block in po.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', re.search(r"msgid .*?(?=\nmsgid_plural|\nmsgstr)", block,
                                                                     re.S).group(0), re.M)) if "msgid" in block else ""
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        text = " | ".join(first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in msgstrs)
        out.append((flags, msgid, text))
    return out


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_string_a_page_uses_has_a_tok_pisin_translation(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the project's sources and catalogue: a new or changed string without a
    translation (empty or fuzzy) fails here, naming it. A copy, because makemessages writes the catalogue of the
    folder it runs in: the checkout's own django.po stays as committed."""
    skip = shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "media", "staticfiles", "test-artifacts",
                                  "vendor", "__pycache__", "*.sqlite3")
    shutil.copytree(Path(settings.BASE_DIR), tmp_path / "src", ignore=skip, symlinks=True)
    settings.LOCALE_PATHS = [tmp_path / "src" / "locale"]
    monkeypatch.chdir(tmp_path / "src")
    call_command(
        "makemessages", locale=["tpi"], verbosity=0, no_location=True,
        ignore_patterns=[".venv", "node_modules", "static/vendor/*", "staticfiles/*", "*/tests/*", "bench/*"],
    )

    entries = _entries((tmp_path / "src" / "locale" / "tpi" / "LC_MESSAGES" / "django.po").read_text())

    assert len(entries) > 300
    missing = [msgid for flags, msgid, text in entries[1:] if "fuzzy" in flags or not text.replace(" | ", "")]
    assert missing == []


def test_dates_and_durations_in_tok_pisin():
    moment = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    with translation.override("tpi"):
        assert date_format(moment, "j F Y") == "5 Janueri 2027"
        assert date_format(moment, "j M Y") == "5 Jan 2027"
        assert timeuntil(moment, moment - timedelta(days=1, hours=23)) == "1\xa0de, 23\xa0aua"


@pytest.mark.django_db
def test_the_film_page_in_tok_pisin_has_tok_pisin_roles_and_dates(signed_in, publish):
    film = publish("Canoe of Stars", window="tvod", end_days=40,
                   credits=[{"name": "Rose Wambi", "role": "director"}, {"name": "Joe Kila", "role": "composer"}],
                   translations=[{"language": "tpi", "title": "Kanu bilong Sta"}])
    account_services.profile_update(profile=signed_in.profile, language="tpi")
    signed_in.post(f"/profiles/{signed_in.profile.pk}/choose")

    html = signed_in.get(f"/film/{film.slug}/").content.decode()

    assert "<dt>Man bilong musik</dt><dd>Joe Kila</dd>" in html
    assert "Composer" not in html and "Director</dt>" not in html
    assert "Kanu bilong Sta" in html


def test_settings_know_tok_pisin():
    assert ("tpi", "Tok Pisin") in settings.LANGUAGES


@pytest.mark.django_db
def test_the_watch_page_in_tok_pisin_has_the_tok_pisin_title_and_player_words(signed_in, publish):
    import json

    film = publish("Canoe of Stars", translations=[{"language": "tpi", "title": "Kanu bilong Sta",
                                                    "tagline": "Wanpela stori"}])
    account_services.profile_update(profile=signed_in.profile, language="tpi")
    signed_in.post(f"/profiles/{signed_in.profile.pk}/choose")

    html = signed_in.get(f"/watch/{film.slug}/").content.decode()

    assert "<h1>Kanu bilong Sta</h1>" in html and "Wanpela stori" in html and "Canoe of Stars" not in html
    words = json.loads(re.search(r'<script id="player-words" type="application/json">(.*?)</script>', html).group(1))
    assert words["pause"] == "Stap liklik" and words["play"] == "Pleim"
    assert words["protected"].startswith("Pleim i gat banis")
    assert "Protected stream" not in html


@pytest.mark.django_db
def test_the_players_refusals_and_messages_come_from_the_translated_words(signed_in, publish):
    """Every sentence player.js shows goes through t(key, english) with a key the page supplies, translated: the
    window that opens on a date (with Tok Pisin month names), the stream-limit count, the maturity refusal."""
    import json

    film = publish("Canoe of Stars")
    account_services.profile_update(profile=signed_in.profile, language="tpi")
    signed_in.post(f"/profiles/{signed_in.profile.pk}/choose")
    html = signed_in.get(f"/watch/{film.slug}/").content.decode()
    words = json.loads(re.search(r'<script id="player-words" type="application/json">(.*?)</script>', html).group(1))
    script = (Path(settings.BASE_DIR) / "static" / "js" / "player.js").read_text()

    used = set(re.findall(r'\bt\("(\w+)"', script))
    assert used - set(words) == set()
    assert words["opensOn"] == ("Dispela piksa i no stap long hia yet. Em bai op long {date}: putim long Lis bilong "
                                "mi na bai yu harim taim em i op.")
    assert words["streamsInUse"].startswith("Olgeta {count} skrin")
    assert words["ratedAbove"].startswith("Dispela piksa i gat raiting {rating}")
    assert words["endOn"] == "Pinisim “{film}” long {device}"
    assert words["months"][0] == "Janueri" and len(words["months"]) == 12
    # No English sentence is handed to the viewer outside t(): message text, refusal text and button labels.
    literal = re.findall(r'(?:showMessage\(|text = |link\()"[A-Z][^"]*"', script)
    assert literal == []
