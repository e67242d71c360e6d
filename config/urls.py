"""Top-level URLs: the desk, sign-in and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("claims.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Claimdesk administration"
admin.site.site_title = "Claimdesk admin"
admin.site.index_title = "Bulk edits, imports and exports"
