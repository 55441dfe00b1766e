"""Notification routes."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.unread_count, name="unread"),
    path("preferences/", views.preferences, name="preferences"),
    path("open/<str:token>/", views.open_link, name="open"),
]
