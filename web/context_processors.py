from django.utils.functional import SimpleLazyObject

from web.viewer import viewer_for


def viewer(request):
    """`viewer` in every template (the header shows the profile): worked out only if a template reads it."""
    if not hasattr(request, "user"):
        return {}
    return {"viewer": SimpleLazyObject(lambda: viewer_for(request))}
