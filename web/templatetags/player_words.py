"""{% player_words %}: the player's words in the profile's language, as the JSON block static/js/player.js reads
(id "player-words"). A JSON block is data, not a script: the Content Security Policy has nothing to allow."""

from django import template
from django.utils.dates import MONTHS
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.selectors import film_localized

register = template.Library()


@register.simple_tag
def player_words() -> str:
    return json_script(
        {
            "play": _("Play"),
            "pause": _("Pause"),
            "auto": _("Auto"),
            "starting": _("Starting…"),
            "subtitlesOff": _("Subtitles off"),
            "offline": _("No connection. Check your data and try again."),
            "protected": _("Secure playback: screenshots and screen recordings of this film show a black picture."),
            "cannotPlay": _("This film cannot play right now."),
            "chooseOne": _("To watch this film, choose one of these:"),
            "subscribe": _("Subscribe"),
            "rentFor": _("Rent for {hours} hours"),
            "buy": _("Buy"),
            "ticket": _("Get a ticket"),
            "seePlans": _("See plans"),
            "backToFilm": _("Back to the film"),
            "upgrade": _("Upgrade for more streams"),
            "manageDevices": _("Manage devices"),
            "switchProfile": _("Switch profile"),
            "sessionEnded": _("This playback session has ended."),
            "playAgain": _("Play again"),
            "signedOut": _("You were signed out, so this film stopped. Sign in again to watch."),
            "signIn": _("Sign in"),
            "tryAgain": _("Try again"),
            "shortcuts": _("Keys: Space or K play and pause, F full screen, M sound, arrows 10 seconds or volume."),
            "opensOn": _("This film is not streaming here yet. It opens on {date}: add it to My List to hear when."),
            "notStreaming": _("This film is not streaming here at the moment."),
            "checkBackLater": _("Check back later."),
            "streamsInUse": _("All {count} of your plan's streams are in use. End one to watch here:"),
            "allStreamsInUse": _("All of your plan's streams are in use. End one to watch here:"),
            "endOn": _("End “{film}” on {device}"),
            "end": _("End “{film}”"),
            "deviceLimit": _("Your plan's device limit is reached: sign another device out on the account page."),
            "ratedAbove": _("This film is rated {rating}, above this profile's limit. Switch profile to watch it."),
            "aboveLimit": _("This film is above this profile's limit. Switch profile to watch it."),
            "serverFailed": _("The server could not start playback."),
            "noDash": _("This browser cannot play DASH here: use the default player."),
            "failed": _("Playback failed ({code}). Try again."),
            "noStream": _("This browser cannot play the stream. Try a recent Chrome, Firefox or Safari."),
            "track": _("Track {number}"),
            # The fail-safe: a failing stream is retried a few times, then stopped with a way to try again.
            "reconnecting": _("Reconnecting…"),
            "retry": _("Retry"),
            "stoppedNetwork": _(
                "The film stopped loading: the connection failed several times. We stopped trying so as not to use "
                "your data."
            ),
            "stoppedDecode": _(
                "This film could not be played: part of it could not be decoded. We stopped trying so as not to use "
                "your data."
            ),
            # The date a window opens, "5 Janueri 2027": the month names of the page's language.
            "months": [str(MONTHS[month]) for month in range(1, 13)],
        },
        "player-words",
    )


@register.filter
def in_language(film, field: str) -> str:
    """The film's title or tagline in the page's language (its Tok Pisin translation where it has one)."""
    return film_localized(film=film, language=get_language() or "en").get(field, "") or getattr(film, field, "")
