from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from billing import selectors as billing_selectors
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
        choices=Maturity.choices, coerce=int, label=_("Highest rating to show"), initial=int(Maturity.M)
    )


PROVIDER_LABELS = {
    "sandbox": _("Sandbox (demo: no real money)"),
    "bsp": _("BSP Pay (bank card or account)"),
    "digicel": _("CellMoni (Digicel mobile money)"),
    "vodafone": _("M-PAiSA (Vodafone mobile money)"),
    "stripe": _("Card (Visa, Mastercard)"),
    "bank": _("Bank transfer (BSP *131#)"),
}
WALLETS = set(billing_selectors.WALLETS)


def provider_choices() -> list[tuple[str, str]]:
    """The payment methods billing has enabled, PNG rails first."""
    enabled = set(getattr(settings, "BILLING_PROVIDERS_ENABLED", []))
    return [(code, label) for code, label in PROVIDER_LABELS.items() if code in enabled]


class CheckoutForm(forms.Form):
    """A plan (subscriptions only) or nothing (a one-time offer), how to pay, a phone for wallets, a coupon."""

    plan = forms.ChoiceField(required=False, widget=forms.RadioSelect, label=_("Plan"))
    interval = forms.ChoiceField(
        choices=[("month", _("Monthly")), ("year", _("Yearly (two months free)"))],
        initial="month",
        widget=forms.RadioSelect,
        label=_("Billing period"),
        required=False,
    )
    provider = forms.ChoiceField(widget=forms.RadioSelect, label=_("Pay with"))
    phone = forms.RegexField(
        regex=r"^\+?[0-9 ]{7,16}$",
        required=False,
        max_length=20,
        label=_("Mobile number (for mobile money)"),
        error_messages={"invalid": _("Enter the phone number of your wallet, digits only.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    coupon = forms.CharField(required=False, max_length=40, label=_("Coupon code"), strip=True)

    def __init__(self, *args, plans: list[tuple[str, str]] | None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = provider_choices()
        self.fields["provider"].choices = choices
        if choices:
            self.fields["provider"].initial = choices[0][0]
        if plans is None:
            del self.fields["plan"]
            del self.fields["interval"]
        else:
            self.fields["plan"].choices = plans
            self.fields["plan"].required = True
            self.fields["interval"].required = True

    def clean(self):
        data = super().clean()
        if data.get("provider") in WALLETS and not data.get("phone"):
            self.add_error("phone", _("Mobile money needs the number of the phone that approves the payment."))
        data["phone"] = (data.get("phone") or "").replace(" ", "")
        return data


class SignupNameForm(forms.Form):
    """Added to allauth's sign-up form: the name the first profile takes (not the email's local part)."""

    name = forms.CharField(
        max_length=50, required=False, label=_("Your name"),
        help_text=_("Your first profile takes this name. You can add profiles for the family later."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )

    field_order = ["name", "email", "password1"]

    def signup(self, request, user) -> None:
        """allauth's hook after the account is saved; the name was already used (accounts' adapter)."""


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
