"""SMS length: GSM-7 or UCS-2, exact segment counts at every boundary, and shortening to the maximum."""

import pytest

from notifications.channels.base import ChannelError
from notifications.channels.sms import sms_check
from notifications.channels.sms_text import GSM7, UCS2, SmsLength, sms_fit, sms_length

RECEIPT_TPI = "WANS: Yu baim pinis K30.00 long Kokoda Dawn. Tenkyu tru! Lukim risit: https://wans.example/r/AB12"
RENTAL_TPI = ("WANS: Taim bilong lukim Kokoda Dawn bai pinis insait long 6 aua. Sapos yu no pinisim yet, go lukim "
              "nau long https://wans.example/film/kokoda-dawn bipo taim i pinis.")


def test_tok_pisin_is_gsm7():
    assert sms_length(RECEIPT_TPI) == SmsLength(encoding=GSM7, units=len(RECEIPT_TPI), segments=1)
    assert sms_length(RENTAL_TPI) == SmsLength(encoding=GSM7, units=164, segments=2)  # 4 septets over one


def test_an_emoji_switches_the_whole_message_to_ucs2():
    text = "Nupela piksa i kam nau 🎬 Lukim long WANS"
    length = sms_length(text)
    assert length.encoding == UCS2
    assert length.units == len(text) + 1  # the emoji is a surrogate pair: 2 UTF-16 units
    assert length.segments == 1
    assert sms_length(RECEIPT_TPI + " 🎬") == SmsLength(encoding=UCS2, units=len(RECEIPT_TPI) + 3, segments=2)


def test_a_curly_apostrophe_is_not_gsm7_but_accented_latin_in_the_table_is():
    assert sms_length("Em i stori bilong Hanuabada’s pikinini").encoding == UCS2
    assert sms_length("Café Öl Ñandu à ÇÉÜ ß ¿Æ? £5 ¥9 §2").encoding == GSM7


@pytest.mark.parametrize(("units", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)])
def test_gsm7_segment_boundaries(units, segments):
    assert sms_length("a" * units) == SmsLength(encoding=GSM7, units=units, segments=segments)


@pytest.mark.parametrize(("units", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)])
def test_ucs2_segment_boundaries(units, segments):
    text = "ŋ" * units  # the eng: outside GSM 03.38, inside the BMP (one UTF-16 unit)
    assert sms_length(text) == SmsLength(encoding=UCS2, units=units, segments=segments)


def test_extension_characters_count_two_septets():
    assert sms_length("€" * 80) == SmsLength(encoding=GSM7, units=160, segments=1)
    assert sms_length("€" * 80 + "a").segments == 2
    assert sms_length("[K30] {ok} ~ | ^ \\").units == 18 + 8  # 18 characters, 8 of them from the extension


def test_an_escape_pair_is_never_split_across_segments():
    # 152 septets fill the first part but one; the 2-septet `{` moves whole into the second, which then overflows.
    text = "a" * 152 + "{" + "a" * 152
    assert sms_length(text) == SmsLength(encoding=GSM7, units=306, segments=3)
    assert sms_length("a" * 151 + "{" + "a" * 153).segments == 2  # here it fits at the end of part one


def test_a_surrogate_pair_is_never_split_across_segments():
    text = "ŋ" * 66 + "😀" + "ŋ" * 66
    assert sms_length(text) == SmsLength(encoding=UCS2, units=134, segments=3)
    assert sms_length("😀" * 35) == SmsLength(encoding=UCS2, units=70, segments=1)
    assert sms_length("😀" * 35 + "a").segments == 2


def test_empty_is_no_segment():
    assert sms_length("") == SmsLength(encoding=GSM7, units=0, segments=0)


def test_fit_keeps_a_short_message_and_its_link_as_they_are():
    assert sms_fit("Yu baim pinis.", max_segments=1, tail="https://wans.example/r/1") == (
        "Yu baim pinis. https://wans.example/r/1")


def test_fit_cuts_tok_pisin_on_a_word_with_a_gsm7_ellipsis_and_keeps_the_link():
    link = "https://wans.example/film/kokoda-dawn"
    long_text = ("Gutpela nius! Nupela piksa bilong Rabaul Pictures i kamap nau long WANS. Em i stori bilong ol "
                 "wokman long taim bilong pait long Kokoda, na hau ol i helpim ol soldia long rot i go long Owers "
                 "Corner. Lukim wantaim famili bilong yu.")
    fitted = sms_fit(long_text, max_segments=1, tail=link)
    assert sms_length(long_text + " " + link).segments == 2
    assert fitted.endswith("... " + link)
    assert sms_length(fitted) == SmsLength(encoding=GSM7, units=len(fitted), segments=1)
    cut = fitted.removesuffix("... " + link)
    assert long_text.startswith(cut) and long_text[len(cut)] == " "  # ends on a whole word
    assert len(fitted) > 140  # and uses most of the segment


def test_fit_with_an_emoji_stays_within_ucs2_segments():
    text = "Nupela piksa 🎬 " + "i kamap nau long WANS, lukim wantaim famili. " * 4
    fitted = sms_fit(text, max_segments=2)
    length = sms_length(fitted)
    assert (length.encoding, length.segments) == (UCS2, 2)
    assert fitted.endswith("…") and length.units > 120


def test_fit_refuses_when_the_link_alone_is_too_long():
    with pytest.raises(ValueError, match="link alone"):
        sms_fit("Lukim", max_segments=1, tail="https://wans.example/" + "x" * 200)


def test_check_refuses_over_the_maximum_and_empty(settings):
    settings.NOTIFICATIONS_SMS_MAX_SEGMENTS = 3
    assert sms_check("a" * 459).segments == 3
    with pytest.raises(ChannelError) as refused:
        sms_check("a" * 460)
    assert refused.value.retryable is False
    assert "4 segments" in str(refused.value) and "maximum of 3" in str(refused.value)
    with pytest.raises(ChannelError):
        sms_check("😀" * 35 + "a", max_segments=1)
    with pytest.raises(ChannelError, match="empty"):
        sms_check("")
