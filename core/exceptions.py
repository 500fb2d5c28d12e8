"""DomainError and the one renderer every API error goes through: {"error": {"code", "message", "fields"}}.

Messages are for people, so they are translated: an error class marks its message with gettext_lazy, and a message
with figures in it is `format_lazy(gettext_lazy("... {name} ..."), name=...)`. The text is made when the error is
shown (the API's JSON, a message on a page), in the language of the request that shows it (LocaleMiddleware, and the
profile's language on the site); a message kept in the database is made in the site's language
(`DomainError.recorded_message`). The code stays the same in every language: clients match the code, never the text."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """An anticipated failure with a stable code, a message for people, and the HTTP status it maps to."""

    code = "error"
    message = _("The request could not be completed.")
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        http_status: int | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.http_status = http_status or self.http_status
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)

    def as_body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.fields, self.extra)

    def recorded_message(self) -> str:
        """The message in the site's language (LANGUAGE_CODE) whatever the request's: for a record kept in the
        database (a job's reason), which people read later, each in their own language."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self.message)


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = status.HTTP_409_CONFLICT


class InvalidInput(DomainError):
    """Bad input found by a service: a 400 like a serializer's, naming the fields in `fields` and in the message.
    Each app subclasses it in its errors.py."""

    code = "invalid"
    message = _("Some fields are invalid.")
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None, **kwargs) -> None:
        if message is None and fields:
            message = fields_invalid(fields)
        super().__init__(message, fields=fields, **kwargs)


def fields_invalid(fields: dict) -> str:
    """"Some fields are invalid: a, b." (lazy: made in the language of the request that shows it)."""
    return format_lazy(_("Some fields are invalid: {fields}."), fields=", ".join(sorted(fields)))


def _plain(value: Any) -> Any:
    """A translated text made now (in the active language), in a message or inside `fields`' lists."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def error_body(code: str, message: str, fields: dict | None = None, extra: dict | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": _plain(message), "fields": _plain(fields or {})}
    if extra:
        error.update(extra)
    return {"error": error}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"field.sub": ["message", ...]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_body(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop("non_field_errors", None)
        message = general[0] if general else str(fields_invalid(fields))
        if general and fields:
            fields["non_field_errors"] = general
        response.data = error_body("invalid", message, fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        message = detail if isinstance(detail, str) else getattr(exc, "default_detail", "Request failed.")
        response.data = error_body(str(code), str(message))
    return response
