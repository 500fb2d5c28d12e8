from django.urls import path

from web.views import account, checkout, creators, entrance, films, profiles

app_name = "web"
urlpatterns = [
    path("browse/", films.browse, name="browse"),
    path("browse/<slug:genre_slug>/", films.browse, name="browse-genre"),
    path("film/<slug:slug>/", films.film, name="film"),
    path("search/", films.search, name="search"),
    path("creators/<slug:slug>/", creators.creator, name="creator"),
    path("creators/<slug:slug>/follow", creators.follow, name="creator-follow"),
    path("coming-soon/", films.coming_soon, name="coming-soon"),
    path("search/suggest", films.search_suggest, name="search-suggest"),
    path("my-list/", films.my_list, name="my-list"),
    path("my-list/<int:film_id>/", films.my_list_toggle, name="my-list-toggle"),
    path("join/resend-confirmation", entrance.resend_confirmation, name="resend-confirmation"),
    path("profiles/", profiles.profiles, name="profiles"),
    path("profiles/manage/", profiles.profiles_manage, name="profiles-manage"),
    path("profiles/new/", profiles.profile_new, name="profile-new"),
    path("profiles/<int:profile_id>/choose", profiles.profile_choose, name="profile-choose"),
    path("profiles/<int:profile_id>/edit/", profiles.profile_edit, name="profile-edit"),
    path("profiles/<int:profile_id>/delete", profiles.profile_delete, name="profile-delete"),
    path("account/", account.account, name="account"),
    path("account/subscription", account.subscription_change, name="subscription-change"),
    path("account/payments/<uuid:public_id>/receipt", account.receipt, name="receipt"),
    path("account/streams/<uuid:session_id>/end", account.stream_end, name="stream-end"),
    path("checkout/plans/", checkout.plans, name="checkout-plans"),
    path("checkout/renew/", checkout.renew, name="renew"),
    path("checkout/offer/<int:window_id>/", checkout.offer, name="checkout-offer"),
    path("checkout/return/<str:token>/", checkout.checkout_return, name="checkout-return"),
    path("checkout/payment/<uuid:public_id>/", checkout.payment, name="checkout-payment"),
    path("checkout/payment/<uuid:public_id>/action", checkout.payment_action, name="checkout-payment-action"),
    path("checkout/payment/<uuid:public_id>/status", checkout.payment_status, name="checkout-payment-status"),
]
