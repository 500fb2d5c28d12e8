"""A service's refusal shown on a form (the site, the creator portal, the admin): on the fields it names, else at the
top of the form."""

from django import forms

from core.exceptions import DomainError


def form_error(form: forms.Form, error: DomainError) -> None:
    for field, problems in (error.fields or {}).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, str(problem))
    if not error.fields:
        form.add_error(None, str(error.message))
