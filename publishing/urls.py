"""Publishing routes: connected accounts per client, a job's publishing panel, signed media."""

from django.urls import path

from publishing import views

app_name = "publishing"

urlpatterns = [
    path("<slug:slug>/connections/", views.connections, name="connections"),
    path(
        "<slug:slug>/connections/<int:connection_id>/disconnect/",
        views.disconnect,
        name="disconnect",
    ),
    path(
        "<slug:slug>/connections/<int:connection_id>/automatic/",
        views.automatic,
        name="automatic",
    ),
    path("jobs/<uuid:job_id>/", views.job_panel, name="job_panel"),
    path(
        "jobs/<uuid:job_id>/publications/<int:publication_id>/<slug:action>/",
        views.publication_action,
        name="publication_action",
    ),
    path("media/<str:token>/", views.media, name="media"),
]
