"""URL map: dashboard, reviews, admin, API and its docs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from production.sign_in_forms import SignInForm

urlpatterns = [
    path("admin/django-rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reviews/", include("approvals.urls")),
    path("notifications/", include("notifications.urls")),
    path("publishing/", include("publishing.urls")),
    path("api/", include("production.api_urls")),
    path("", include("operations.urls")),
    path("", include("dashboards.urls")),
]

# MEDIA_URL is never served: output files go out only through the access-checked views
# (dashboards.views.output_file and the API's signed download), in every mode.

# Under /api/ these answer in the API's JSON error shape; elsewhere they are Django's pages.
handler400 = "jobs.api.errors.bad_request"
handler403 = "jobs.api.errors.permission_denied"
handler404 = "jobs.api.errors.page_not_found"
handler500 = "jobs.api.errors.server_error"
