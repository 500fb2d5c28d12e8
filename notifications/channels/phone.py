"""Phone numbers for SMS, in E.164 (`+67571234567`).

Papua New Guinea (country code 675) has no trunk prefix: mobiles are eight digits beginning with 7 (Digicel,
bmobile-Vodafone: 7XXX XXXX since the 2014 renumbering), fixed lines seven digits. People write a mobile as
`7123 4567`, `675 7123 4567`, `+675-7123-4567` or `00675 71234567`; all are the same `+67571234567`. A number with
its own `+` or `00` country code is kept as E.164 for any country."""

import re

PNG_CODE = "675"
_SEPARATORS = re.compile(r"[\s\-.()/]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_PNG_NATIONAL = re.compile(r"^(7\d{7}|[1-689]\d{6})$")  # a mobile (8 digits, 7...) or a fixed line (7 digits)
_PNG_MOBILE = re.compile(r"^\+6757\d{7}$")


class InvalidPhone(ValueError):
    """Not a phone number we can send to."""


def phone_e164(raw: str) -> str:
    """`raw` as E.164. A number without a country code is taken as Papua New Guinean. Raises InvalidPhone."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if number.startswith("+"):
        if number.startswith("+" + PNG_CODE) and not _PNG_NATIONAL.match(number[1 + len(PNG_CODE):]):
            raise InvalidPhone(f"{raw!r} is not a Papua New Guinea number (+675 and 8 digits for a mobile)")
        if not _E164.match(number):
            raise InvalidPhone(f"{raw!r} is not an international number (+, country code, 7 to 14 digits)")
        return number
    if not number.isdigit():
        raise InvalidPhone(f"{raw!r} is not a phone number")
    if number.startswith(PNG_CODE) and _PNG_NATIONAL.match(number[len(PNG_CODE):]):
        return "+" + number
    if _PNG_NATIONAL.match(number):
        return f"+{PNG_CODE}{number}"
    raise InvalidPhone(f"{raw!r} is not a Papua New Guinea number (8 digits beginning with 7 for a mobile)")


def is_png_mobile(e164: str) -> bool:
    return bool(_PNG_MOBILE.match(e164))
