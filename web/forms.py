from django import forms
from django.utils.translation import gettext_lazy as _

from core.maturity import Maturity

ACCESS_CHOICES = [
    ("free", _("Free")),
    ("subscription", _("Subscription")),
    ("rent", _("Rent")),
    ("buy", _("Buy")),
    ("ticket", _("Ticket")),
]
SORT_CHOICES = [("newest", _("Newest")), ("popularity", _("Most watched")), ("title", _("Title A–Z"))]
LANGUAGE_CHOICES = [("", _("Any language")), ("en", _("English")), ("tpi", _("Tok Pisin")), ("ho", _("Hiri Motu"))]
COUNTRY_CHOICES = [
    ("", _("Any country")),
    ("PG", _("Papua New Guinea")),
    ("FJ", _("Fiji")),
    ("SB", _("Solomon Islands")),
    ("VU", _("Vanuatu")),
    ("AU", _("Australia")),
    ("NZ", _("New Zealand")),
]


class BrowseForm(forms.Form):
    """The browse page's filters. Every field is optional; bad values are dropped with a message, never a 500."""

    genre = forms.SlugField(required=False, max_length=60)
    language = forms.ChoiceField(required=False, choices=LANGUAGE_CHOICES, label=_("Language"))
    country = forms.ChoiceField(required=False, choices=COUNTRY_CHOICES, label=_("Country"))
    year_min = forms.IntegerField(required=False, min_value=1888, max_value=2100, label=_("From year"))
    year_max = forms.IntegerField(required=False, min_value=1888, max_value=2100, label=_("To year"))
    access = forms.MultipleChoiceField(
        required=False, choices=ACCESS_CHOICES, widget=forms.CheckboxSelectMultiple, label=_("How to watch")
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=_("Sort by"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True, label=_("Search"))


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=50, label=_("Name"))
    language = forms.ChoiceField(choices=[("en", _("English")), ("tpi", _("Tok Pisin"))], label=_("Language"))
    is_kids = forms.BooleanField(required=False, label=_("Kids profile (films rated PG and below)"))
    maturity_limit = forms.TypedChoiceField(
        choices=Maturity.choices, coerce=int, label=_("Highest rating to show"), initial=int(Maturity.R18)
    )
