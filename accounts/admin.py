from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services
from accounts.models import CreatorProfile, Device, Profile, TeamMember, User
from accounts.roles import Role
from core.exceptions import DomainError


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileInline(admin.TabularInline):
    model = Profile
    extra = 0
    fields = ("name", "language", "maturity_limit", "is_kids")


class DeviceInline(admin.TabularInline):
    model = Device
    extra = 0
    fields = ("name", "kind", "last_ip", "last_country", "last_seen_at", "signed_out_at")
    readonly_fields = fields
    can_delete = False


def _role_action(role: Role):
    def action(modeladmin, request, queryset):
        for user in queryset:
            services.user_set_role(user=user, role=role)
        modeladmin.message_user(request, f"{queryset.count()} account(s) now have the role {role.value}.")

    action.__name__ = f"make_{role.name.lower()}"
    action.short_description = f"Set role: {role.value}"
    return action


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = ("email", "display_name", "country", "roles", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("groups", "is_active", "is_staff", "is_superuser", "country")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("display_name", "country")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [ProfileInline, DeviceInline]
    actions = [*(_role_action(role) for role in Role), "lock_accounts", "unlock_accounts"]

    @admin.display(description="Roles")
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description="Lock: block sign-in and sign out every device")
    def lock_accounts(self, request, queryset):
        for user in queryset:
            services.user_lock(user=user)
        self.message_user(request, f"Locked {queryset.count()} account(s).", messages.WARNING)

    @admin.action(description="Unlock: allow sign-in and clear failed attempts")
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            services.user_unlock(user=user)
        self.message_user(request, f"Unlocked {queryset.count()} account(s).")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "language", "maturity_limit", "is_kids", "created_at")
    list_filter = ("language", "is_kids", "maturity_limit")
    search_fields = ("name", "user__email")
    raw_id_fields = ("user",)


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "kind", "last_ip", "last_country", "last_seen_at", "signed_out_at")
    list_filter = ("kind", ("signed_out_at", admin.EmptyFieldListFilter), "last_country")
    search_fields = ("name", "user__email", "device_key", "last_ip")
    raw_id_fields = ("user",)
    readonly_fields = ("device_key", "user_agent", "created_at")
    actions = ["sign_out"]

    @admin.action(description="Sign out the selected devices")
    def sign_out(self, request, queryset):
        for device in queryset.filter(signed_out_at__isnull=True):
            services.device_sign_out(user=device.user, device_id=device.pk)
        self.message_user(request, "Signed out.")


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    """Creator applications are reviewed here too (the same services as POST /api/creators/<slug>/approve)."""

    list_display = ("display_name", "user", "status", "country", "applied_at", "created_at")
    search_fields = ("display_name", "user__email", "slug")
    list_filter = ("status", "country", "payout_currency")
    raw_id_fields = ("user",)
    prepopulated_fields = {"slug": ("display_name",)}
    readonly_fields = ("status", "applied_at", "reviewed_at", "reviewed_by")
    actions = ["approve_applications", "reject_applications"]

    @admin.action(description="Approve the selected creator applications")
    def approve_applications(self, request, queryset):
        for profile in queryset:
            services.creator_approve(profile=profile, by=request.user)
        self.message_user(request, f"Approved {queryset.count()}.")

    @admin.action(description="Refuse the selected applications (write each one's rejection reason first)")
    def reject_applications(self, request, queryset):
        refused, skipped = 0, []
        for profile in queryset:
            try:
                services.creator_reject(profile=profile, by=request.user, reason=profile.rejection_reason)
                refused += 1
            except DomainError as error:
                skipped.append(f"{profile.display_name}: {error.message}")
        self.message_user(request, f"Refused {refused}.")
        for line in skipped:
            self.message_user(request, line, level=messages.WARNING)


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    """Creators' teams (the studio's Team page invites and removes; staff look here when a creator asks)."""

    list_display = ("email", "role", "creator", "user", "created_at")
    search_fields = ("email", "creator__email", "user__email")
    list_filter = ("role",)
    raw_id_fields = ("creator", "user", "invited_by")
    readonly_fields = ("created_at",)
