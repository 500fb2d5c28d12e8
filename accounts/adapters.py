from allauth.account.adapter import DefaultAccountAdapter

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks into our services: sign-up onboards the account, every sign-in records the device."""

    def save_user(self, request, user, form, commit=True):
        name = (getattr(form, "cleaned_data", {}) or {}).get("name", "")
        if name and name.strip():
            user.display_name = name.strip()[:150]  # the first profile takes it (services.user_onboard)
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_onboard(user=user)
        return user

    def login(self, request, user):
        super().login(request, user)
        services.site_login_record_device(request=request, user=user)
