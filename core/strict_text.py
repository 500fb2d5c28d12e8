"""Text fields take text. DRF's CharField quietly turns a JSON number into a string ({"display_name": 25.0} is saved
as "25.0"), while the schema says `type: string`: the API would accept what its schema refuses. Installed once, from
core's AppConfig, for every CharField (and its subclasses: email, slug, regex, URL fields)."""

from rest_framework import serializers

_original = serializers.CharField.to_internal_value


def _text_only(self, data):
    if not isinstance(data, str):
        self.fail("invalid")  # "Not a valid string."
    return _original(self, data)


def install() -> None:
    if serializers.CharField.to_internal_value is not _text_only:
        serializers.CharField.to_internal_value = _text_only
