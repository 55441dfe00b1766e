"""Reviewer queue routes."""

from django.urls import path

from approvals import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/", views.review, name="review"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("jobs/<uuid:job_id>/revise/", views.revise_brief, name="revise_brief"),
]
