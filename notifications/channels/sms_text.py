"""How long an SMS is: GSM-7 or UCS-2, and how many segments a handset reassembles it from (3GPP TS 23.038).

A message whose every character is in the GSM 03.38 basic set or its extension table travels as GSM-7: 160
septets in one segment, 153 per segment once it is split (the user-data header takes 7). Extension characters
(`^ { } \\ [ ~ ] | €` and form feed) are an escape plus a septet: they count 2, and an encoder never splits the pair
across segments. One character outside both tables (an emoji, `ŋ`, a curly quote) sends the whole message as UCS-2:
70 UTF-16 code units in one segment, 67 per segment when split, a surrogate pair (an emoji) 2 units kept together.

Tok Pisin is written in the Latin alphabet without diacritics, so it is GSM-7 unless a curly quote or an emoji
slips in; `sms_fit` shortens a message to the configured maximum of segments."""

from dataclasses import dataclass

# 0x1B (escape) is left out of the basic set: it introduces an extension character and is never text of its own.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7 = "GSM-7"
UCS2 = "UCS-2"
# (single-segment capacity, per-segment capacity when concatenated), in septets (GSM-7) or UTF-16 units (UCS-2).
CAPACITY = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # GSM-7 or UCS-2
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]  # outside the BMP: a surrogate pair


def _segments(sizes: list[int], encoding: str) -> int:
    single, part = CAPACITY[encoding]
    if sum(sizes) <= single:
        return 1 if sizes else 0
    count, used = 1, 0
    for size in sizes:  # fill each part, never splitting an escape pair or a surrogate pair
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def sms_length(text: str) -> SmsLength:
    """The encoding, length in units and segment count of `text` (an empty text is 0 segments)."""
    encoding = GSM7 if is_gsm7(text) else UCS2
    sizes = _unit_sizes(text, encoding)
    return SmsLength(encoding=encoding, units=sum(sizes), segments=_segments(sizes, encoding))


def sms_fits(text: str, max_segments: int) -> bool:
    return sms_length(text).segments <= max_segments


def sms_fit(text: str, *, max_segments: int, tail: str = "") -> str:
    """`text` (and ` tail`, a link kept whole) within `max_segments`: unchanged if it fits, else `text` cut at a
    word boundary where possible and ended with an ellipsis ("..." in GSM-7, so that the cut does not itself switch
    the message to UCS-2). Raises ValueError if even the tail alone does not fit."""
    joined = f"{text} {tail}" if tail and text else (text or tail)
    if sms_fits(joined, max_segments):
        return joined
    if tail and not sms_fits(tail, max_segments):
        raise ValueError(f"the link alone is longer than {max_segments} SMS segments")
    suffix = f" {tail}" if tail else ""
    low, high = 0, len(text)  # the longest prefix that fits with its ellipsis (fitting shrinks with the prefix)
    while low < high:
        middle = (low + high + 1) // 2
        if sms_fits(_cut(text, middle) + suffix, max_segments):
            low = middle
        else:
            high = middle - 1
    cut = _cut(text, low)
    space = text.rfind(" ", 0, low)
    if space > low * 2 // 3:  # a word boundary not far back: end on a whole word
        cut = _cut(text, space)
    return (cut + suffix) if cut else tail


def _cut(text: str, length: int) -> str:
    if length <= 0:
        return ""
    prefix = text[:length].rstrip()  # str indexes by code point: an emoji is never cut in half
    ellipsis = "..." if is_gsm7(prefix) else "…"
    return prefix + ellipsis
