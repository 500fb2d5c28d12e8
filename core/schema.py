"""The OpenAPI schema documents the errors too: every operation lists the client errors it can answer, all in the one
error shape (core.exceptions: {"error": {"code", "message", "fields"}}). A drf-spectacular postprocessing hook, so no
view has to repeat it. And the schema class says which strings may not be empty."""

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs (`invalid`, `not_found`, …)."},
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Each bad field (nested with dots) and what is wrong with it.",
                },
            },
            "additionalProperties": True,  # some errors say more: the offers, the live sessions, a retry time
        }
    },
}
ERRORS = {
    "400": "Invalid input (the fields are named), or a body, path or query the input guard refuses.",
    "401": "Not signed in, or the token is not valid (expired, revoked, its device signed out).",
    "403": "Signed in but not allowed.",
    "404": "No such object, or not one the caller may see.",
    "415": "The body's content type is not one this operation reads.",
    "4XX": "Any other refusal: the operation's domain (402 payment needed, 409 conflict, 410 gone, 429 throttled,"
           " …) or the protocol (405, 406), in the same shape.",
}
WEBHOOK_PREFIX = "/api/webhooks/"


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                                                             "Error"}}}}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Add the Error component and, to every operation, the 4xx answers it can give (those it documents already
    are kept)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "put", "post", "patch", "delete", "head", "options", "trace"):
                continue
            responses = operation.setdefault("responses", {})
            wanted = ["400", "4XX"]
            if not path.startswith(WEBHOOK_PREFIX) or path == WEBHOOK_PREFIX + "akash":
                wanted += ["401", "403"]
            if "{" in path:
                wanted.append("404")
            if "requestBody" in operation:
                wanted.append("415")
            for code in wanted:
                responses.setdefault(code, _error_response(ERRORS[code]))
    return result


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, saying what our CharFields refuse: one that may not be blank (DRF's default) has
    `minLength: 1`, and one that trims whitespace first also needs a character that is not whitespace. Otherwise
    the schema allows "" (or "  ") that the API answers with 400."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions=bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and not field.read_only
            and isinstance(result, dict)
            and result.get("type") == "string"
            and "enum" not in result
        ):
            result.setdefault("minLength", 1)
            has_pattern = isinstance(field, serializers.RegexField) or any(
                isinstance(validator, RegexValidator) for validator in field.validators
            )  # spectacular adds the field's own pattern after this mapping
            if field.trim_whitespace and not has_pattern and "pattern" not in result and "format" not in result:
                result["pattern"] = r"\S"
        return result

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        """A serializer with `refuses_unknown_fields` (rights' StrictSerializer) answers 400 to a field it does not
        know: its request schema says so with `additionalProperties: false`."""
        result = super()._map_serializer(serializer, direction, bypass_extensions=bypass_extensions)
        if direction == "request" and getattr(serializer, "refuses_unknown_fields", False) and isinstance(result, dict):
            result["additionalProperties"] = False
        return result
