"""The interface speaks the selected profile's language (English or Tok Pisin)."""

from django.utils import translation

# The profile's id is kept under accounts.selectors.PROFILE_SESSION_KEY (accounts owns profiles); its language here.
LANGUAGE_SESSION_KEY = "wans_profile_language"


class ProfileLanguageMiddleware:
    """After authentication: a signed-in viewer who picked a profile sees the site in that profile's language.
    The language is kept in the session next to the profile id when the profile is chosen or edited, so this
    costs no query. Without a profile, Django's LocaleMiddleware choice (browser language) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            language = request.session.get(LANGUAGE_SESSION_KEY)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", translation.get_language())
        return response
