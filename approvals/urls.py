"""Reviewer queue routes."""

from django.urls import path

from approvals import (
    comment_views,
    evidence_facts,
    evidence_views,
    guest_views,
    output_decision_views,
    stage_views,
    views,
)

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/", views.review, name="review"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path(
        "<int:request_id>/outputs/<int:output_id>/decide/",
        output_decision_views.decide,
        name="output_decide",
    ),
    path(
        "outputs/<int:output_id>/flags/<int:index>/evidence/",
        evidence_views.attach_evidence,
        name="attach_evidence",
    ),
    path(
        "outputs/<int:output_id>/flags/<int:index>/dismiss/",
        evidence_views.dismiss_flag,
        name="dismiss_flag",
    ),
    path(
        "outputs/<int:output_id>/evidence/<int:evidence_id>/confirm/",
        evidence_views.confirm,
        name="evidence_confirm",
    ),
    path(
        "outputs/<int:output_id>/evidence/<int:evidence_id>/withdraw/",
        evidence_views.withdraw,
        name="evidence_withdraw",
    ),
    path("clients/<slug:client_slug>/facts/", evidence_facts.facts, name="facts"),
    path("clients/<slug:client_slug>/stages/", stage_views.stages, name="stages"),
    path(
        "clients/<slug:client_slug>/stages/<int:stage_id>/remove/",
        stage_views.remove_stage,
        name="stage_remove",
    ),
    path("clients/<slug:client_slug>/roles/", stage_views.add_role, name="role_add"),
    path(
        "clients/<slug:client_slug>/roles/<int:role_id>/remove/",
        stage_views.remove_role,
        name="role_remove",
    ),
    path("jobs/<uuid:job_id>/revise/", views.revise_brief, name="revise_brief"),
    path("<int:request_id>/claim/", views.claim, name="claim"),
    path("<int:request_id>/release/", views.release, name="release"),
    path("<int:request_id>/assign/", views.assign, name="assign"),
    path("<int:request_id>/due/", views.set_due, name="set_due"),
    path("bulk/", views.bulk_decide, name="bulk"),
    path("jobs/<uuid:job_id>/compare/", views.compare, name="compare"),
    path("outputs/<int:output_id>/comments/", comment_views.add, name="comment_add"),
    path("comments/<int:comment_id>/reply/", comment_views.reply, name="comment_reply"),
    path("comments/<int:comment_id>/resolve/", comment_views.resolve, name="comment_resolve"),
    path("comments/<int:comment_id>/reopen/", comment_views.reopen, name="comment_reopen"),
    path("jobs/<uuid:job_id>/guest-links/", guest_views.manage_links, name="guest_links"),
    path(
        "jobs/<uuid:job_id>/guest-links/<int:link_id>/revoke/",
        guest_views.revoke_link,
        name="guest_link_revoke",
    ),
    path("guest/<str:token>/", guest_views.guest_review, name="guest"),
    path(
        "guest/<str:token>/comment/<int:output_id>/",
        guest_views.guest_comment,
        name="guest_comment",
    ),
    path("guest/<str:token>/decide/", guest_views.guest_decide, name="guest_decide"),
    path("guest/<str:token>/file/<int:output_id>/", guest_views.guest_file, name="guest_file"),
]
