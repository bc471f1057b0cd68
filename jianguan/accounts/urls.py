from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("org/", views.org, name="org"),
    path("org/users/", views.users, name="users"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/second-factor/", views.second_factor_page, name="second_factor"),
]
