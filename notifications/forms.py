"""The settings page's form: delivery settings (time zone, quiet hours, language, phone); the preference grid is
read from the checkboxes named pref-<category>-<channel>."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

COMMON_ZONES = ["Pacific/Port_Moresby", "Pacific/Bougainville", "Australia/Brisbane", "Australia/Sydney",
                "Pacific/Auckland", "Pacific/Fiji", "Pacific/Guadalcanal", "Asia/Jayapura", "Europe/London",
                "America/Los_Angeles", "UTC"]


class DeliveryForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Time zone"))
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    language = forms.ChoiceField(label=_("Language of messages"), required=False)
    phone = forms.CharField(label=_("Mobile number for SMS"), required=False, max_length=20,
                            help_text=_("With the country code, e.g. +67571234567."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = COMMON_ZONES + sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
        self.fields["time_zone"].choices = [(zone, zone.replace("_", " ")) for zone in zones]
        self.fields["language"].choices = [("", _("As my first profile"))] + [
            (code, name) for code, name in settings.LANGUAGES]
