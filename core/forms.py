"""A service's refusal shown on the page: on the form fields it names, else at the top of the form."""

from django import forms

from core.exceptions import DomainError


def form_error(form: forms.Form, error: DomainError) -> None:
    for field, problems in (error.fields or {}).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, str(problem))
    if not error.fields:
        form.add_error(None, str(error.message))
