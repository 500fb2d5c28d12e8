import pytest

from notifications.channels.phone import InvalidPhone, is_png_mobile, phone_e164


@pytest.mark.parametrize("raw", [
    "71234567", "7123 4567", "7123-4567", "675 7123 4567", "67571234567", "+675 7123 4567", "+675-7123-4567",
    "(+675) 7123 4567", "00675 71234567", " 7123.4567 ",
])
def test_png_mobiles_in_every_usual_spelling(raw):
    assert phone_e164(raw) == "+67571234567"
    assert is_png_mobile(phone_e164(raw))


def test_a_png_fixed_line_and_foreign_numbers():
    assert phone_e164("321 1234") == "+6753211234"
    assert not is_png_mobile("+6753211234")
    assert phone_e164("+61 412 345 678") == "+61412345678"
    assert phone_e164("0061412345678") == "+61412345678"
    assert not is_png_mobile("+61412345678")


@pytest.mark.parametrize("raw", [
    "", "7123456", "812345678", "+675 8123 45678", "+6751234", "+0123456789", "0412 345 678", "7123 456a",
    "+1 234", "+675712345678",
])
def test_not_numbers_we_can_send_to(raw):
    with pytest.raises(InvalidPhone):
        phone_e164(raw)
