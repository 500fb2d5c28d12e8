"""The portal's forms: they parse and check what a person typed; the services decide."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.maturity import Maturity

MAX_LINKS = 5
IMAGE_MAX_BYTES = 10 * 1024 * 1024


def _image_checked(upload, label):
    if upload and upload.size > IMAGE_MAX_BYTES:
        raise forms.ValidationError(_("%(label)s is over 10 MB: choose a smaller image.") % {"label": label})
    return upload


class CreatorApplyForm(forms.Form):
    display_name = forms.CharField(max_length=120, label=_("Name viewers see"))
    slug = forms.SlugField(
        max_length=140, required=False, label=_("Address of your creator page"),
        help_text=_("Letters, numbers and dashes; made from your name when empty."),
    )
    bio = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
                          label=_("About you"))
    country = forms.ChoiceField(choices=list(countries), initial="PG", label=_("Country"))
    avatar = forms.ImageField(required=False, label=_("Photo or logo"))
    links = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Links"),
        help_text=_("Up to 5 web addresses, one a line: your site, festival pages, socials."),
    )

    def clean_avatar(self):
        return _image_checked(self.cleaned_data.get("avatar"), _("The photo"))

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(_("At most 5 links."))
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                check(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("%(link)s is not a web address: start it with https://") % {"link": line[:80]}
                ) from None
        return lines


CREDIT_ROLES = ["director", "writer", "producer", "cast", "cinematographer", "editor", "composer"]


class FilmForm(forms.Form):
    """A film's metadata, its Tok Pisin texts, genres, tags and credits, and its artwork."""

    title = forms.CharField(max_length=200, label=_("Title"))
    tagline = forms.CharField(max_length=200, required=False, label=_("Tagline"))
    synopsis = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
                               label=_("Synopsis"))
    title_tpi = forms.CharField(max_length=200, required=False, label=_("Title in Tok Pisin"))
    tagline_tpi = forms.CharField(max_length=200, required=False, label=_("Tagline in Tok Pisin"))
    synopsis_tpi = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                   label=_("Synopsis in Tok Pisin"))
    runtime_minutes = forms.IntegerField(min_value=1, max_value=1000, required=False, label=_("Running time (minutes)"))
    release_year = forms.IntegerField(min_value=1888, max_value=2100, required=False, label=_("Year"))
    maturity = forms.TypedChoiceField(coerce=int, choices=Maturity.choices, initial=int(Maturity.PG),
                                      label=_("Rating"))
    original_language = forms.ChoiceField(
        choices=[("en", _("English")), ("tpi", _("Tok Pisin")), ("ho", _("Hiri Motu")), ("other", _("Other"))],
        label=_("Original language"),
    )
    genres = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                            label=_("Genres"))
    tags = forms.CharField(max_length=500, required=False, label=_("Tags"),
                           help_text=_("Words viewers search for, separated by commas."))
    credits = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Credits"),
        help_text=_("One a line: role, a colon, the name; for cast add the character after “as”. Roles: director, "
                    "writer, producer, cast, cinematographer, editor, composer. Example: cast: Mary Kila as Rose"),
    )
    poster = forms.ImageField(required=False, label=_("Poster (portrait, 2:3)"))
    backdrop = forms.ImageField(required=False, label=_("Backdrop (landscape, 16:9)"))

    def __init__(self, *args, genres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["genres"].queryset = genres

    def clean_tags(self):
        names = [name.strip()[:40] for name in self.cleaned_data["tags"].split(",") if name.strip()]
        return list(dict.fromkeys(names))[:20]

    def clean_credits(self):
        credits = []
        for number, line in enumerate(self.cleaned_data["credits"].splitlines(), start=1):
            if not line.strip():
                continue
            role, sep, rest = line.partition(":")
            role = role.strip().lower()
            if not sep or role not in CREDIT_ROLES or not rest.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write a role, a colon and a name, like “director: Jane Wari”.")
                    % {"number": number}
                )
            name, _as, character = rest.partition(" as ")
            credits.append({"name": name.strip()[:120], "role": role,
                            "character": character.strip()[:120] if role == "cast" else ""})
        return credits

    def clean_poster(self):
        return _image_checked(self.cleaned_data.get("poster"), _("The poster"))

    def clean_backdrop(self):
        return _image_checked(self.cleaned_data.get("backdrop"), _("The backdrop"))


class FilmFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search titles"))
    status = forms.ChoiceField(required=False, label=_("Status"))

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *statuses]


WINDOW_TYPES = [
    ("festival", _("Festival")), ("cinema", _("Cinema")), ("collector", _("Collector edition")),
    ("pvod", _("Premium buy (PVOD)")), ("ppv", _("Pay-per-view event")), ("tvod", _("Rent (TVOD)")),
    ("svod", _("Subscription (SVOD)")), ("avod", _("Free with ads (AVOD)")),
]


class WindowForm(forms.Form):
    window_type = forms.ChoiceField(choices=WINDOW_TYPES, label=_("Kind of window"))
    territories = forms.CharField(
        max_length=500, label=_("Where"), initial="PG",
        help_text=_("Country codes or groups, separated by commas: PG, PACIFIC, WORLD."),
    )
    starts_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Empty: stays open."))
    prices = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Prices"),
        help_text=_("One a line: currency and amount, like PGK 15.00. Rent, buy, collector and ticketed festival "
                    "windows need a price; subscription and free windows take none."),
    )
    festival_ticketed = forms.BooleanField(required=False, label=_("Festival: viewers need a ticket"))
    rental_hours = forms.IntegerField(required=False, min_value=1, max_value=720, initial=48,
                                      label=_("Rent: hours to finish once started"))
    edition_size = forms.IntegerField(required=False, min_value=1, max_value=1_000_000,
                                      label=_("Collector: copies for sale"))

    def clean_prices(self):
        from studio.windows import prices_parse

        try:
            return prices_parse(self.cleaned_data["prices"])
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(line)s” is not a price: write a currency code and an amount, like PGK 15.00.")
                % {"line": error.args[0]}
            ) from None

    def clean_territories(self):
        return [entry.strip().upper() for entry in self.cleaned_data["territories"].split(",") if entry.strip()]


class ReleasePlanForm(forms.Form):
    starts_on = forms.DateField(label=_("Festival premiere on"), widget=forms.DateInput(attrs={"type": "date"}))
    territories = forms.CharField(max_length=500, initial="PG", label=_("Where"),
                                  help_text=_("Country codes or groups, separated by commas: PG, PACIFIC, WORLD."))

    def clean_territories(self):
        return [entry.strip().upper() for entry in self.cleaned_data["territories"].split(",") if entry.strip()]


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        choices=[("editor", _("Editor: films and windows")),
                 ("analyst", _("Analyst: analytics and revenue, read-only"))],
        label=_("Role"),
    )
