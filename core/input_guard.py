"""Hostile input refused in one place, before any view, parser or query sees it.

- A JSON body deeper than WANS_JSON_MAX_DEPTH or larger than WANS_JSON_MAX_BYTES is refused before it is parsed
  (Python's parser recurses: a body of 100,000 "[" hits the recursion limit).
- A NUL character or a lone surrogate (U+D800-U+DFFF) in the path, a query parameter, a form field or any JSON string
  or key is refused: Postgres cannot store NUL in text, and a surrogate cannot be encoded in the answer that would
  echo it.

`inspect_request` answers None when the request may go on, else an `InputRefused` naming the field."""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest

# A JSON string literal (escapes included), matched possessively so a long string costs one linear pass.
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
BAD_TEXT = "Text may not contain NUL characters or unpaired UTF-16 surrogates."


@dataclass(frozen=True)
class InputRefused:
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """True when the brackets outside string literals nest deeper than `limit`. Reads the bytes once, no parsing."""
    depth = 0
    for bracket in _JSON_STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS):
        if bracket in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def bad_text(value: str) -> bool:
    return _BAD_CHARACTERS.search(value) is not None


def _bad_json_strings(value, path: str, found: dict[str, list[str]]) -> None:
    """Collect the paths (`a.b.0`) of strings or keys holding NUL or lone surrogates. Depth is already bounded."""
    if isinstance(value, str):
        if bad_text(value):
            found[path or "non_field_errors"] = [BAD_TEXT]
    elif isinstance(value, dict):
        for key, item in value.items():
            if bad_text(key):
                found[path or "non_field_errors"] = [BAD_TEXT]
                continue
            _bad_json_strings(item, f"{path}.{key}" if path else key, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _bad_json_strings(item, f"{path}.{index}" if path else str(index), found)


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        return True
    return request.path_info.startswith("/api/webhooks/")  # providers' callbacks are JSON whatever they declare


def _inspect_json(request: HttpRequest) -> InputRefused | None:
    limit = settings.WANS_JSON_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return InputRefused("body_too_large", f"The request body is larger than {limit} bytes.")
    raw = request.body
    if len(raw) > limit:
        return InputRefused("body_too_large", f"The request body is larger than {limit} bytes.")
    if not raw.strip():
        return None
    if json_depth_exceeds(raw, settings.WANS_JSON_MAX_DEPTH):
        return InputRefused(
            "body_too_deep", f"The JSON body nests deeper than {settings.WANS_JSON_MAX_DEPTH} levels."
        )
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None  # not JSON: the parser answers its own parse_error
    found: dict[str, list[str]] = {}
    _bad_json_strings(data, "", found)
    if found:
        return InputRefused("invalid", "Some fields are invalid: " + ", ".join(sorted(found)) + ".", found)
    return None


def inspect_request(request: HttpRequest) -> InputRefused | None:
    if bad_text(request.path_info):
        return InputRefused("invalid", "The address contains characters that are not allowed.", {"path": [BAD_TEXT]})
    found: dict[str, list[str]] = {}
    for key, values in request.GET.lists():
        if bad_text(key) or any(bad_text(value) for value in values):
            found[key if not bad_text(key) else "query"] = [BAD_TEXT]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if _is_json(request):
            refused = _inspect_json(request)
            if refused is not None:
                return refused
        elif request.content_type == "application/x-www-form-urlencoded":
            for key, values in request.POST.lists():
                if bad_text(key) or any(bad_text(value) for value in values):
                    found[key if not bad_text(key) else "form"] = [BAD_TEXT]
    if found:
        return InputRefused("invalid", "Some fields are invalid: " + ", ".join(sorted(found)) + ".", found)
    return None
