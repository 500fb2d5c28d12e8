"""The payout account form of the creator portal. It collects what the creator types; payouts.services checks it
(one home for the rules: bank and branch codes, PNG mobile numbers, Stripe's countries) and the view shows its
refusals on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from payouts import selectors as payouts_selectors


class PayoutAccountForm(forms.Form):
    kind = forms.ChoiceField(label=_("Paid to"), widget=forms.RadioSelect)
    bank = forms.ChoiceField(label=_("Bank"), required=False)
    branch_code = forms.CharField(label=_("Branch (BSB) code"), max_length=12, required=False,
                                  help_text=_("6 digits, on your statement or the bank's website."))
    account_number = forms.CharField(label=_("Account number"), max_length=24, required=False)
    account_name = forms.CharField(label=_("Name on the account"), max_length=60, required=False)
    wallet = forms.ChoiceField(label=_("Wallet"), required=False)
    msisdn = forms.CharField(label=_("Wallet phone number"), max_length=20, required=False,
                             help_text=_("Your PNG mobile number, e.g. 7123 4567."))
    country = forms.ChoiceField(label=_("Country of your bank (Stripe)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = payouts_selectors.account_choices()
        kinds = [("bank", _("A bank account in Papua New Guinea")),
                 ("wallet", _("A mobile wallet (CellMoni, M-PAiSA)"))]
        if choices["stripe_countries"]:
            kinds.append(("stripe", _("A bank account abroad, through Stripe")))
        self.fields["kind"].choices = kinds
        self.fields["bank"].choices = [("", "-"), *choices["banks"]]
        self.fields["wallet"].choices = [("", "-"), *choices["wallets"]]
        self.fields["country"].choices = [("", "-"), *[(code, countries.name(code)) for code in
                                                       choices["stripe_countries"]]]
