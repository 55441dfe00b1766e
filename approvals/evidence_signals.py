"""Fact recall on any edit of a client's facts or testimonials (the facts page, the admin or
code): the values as loaded are kept on the instance, and a save that changed them recalls
the work that relied on the old ones. The jobs recalled are left on the instance."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_init, post_save

from production.models import Client

KEPT = "_facts_as_loaded"


def _keep(sender: type[Client], instance: Client, **kwargs: Any) -> None:
    # Read from the instance's own values: touching a deferred field would cost a query
    # for every client loaded without its facts.
    loaded = instance.__dict__
    if "verified_facts" not in loaded or "approved_testimonials" not in loaded:
        return
    facts, testimonials = loaded["verified_facts"], loaded["approved_testimonials"]
    setattr(instance, KEPT, (list(facts or []), list(testimonials or [])))


def _recall(sender: type[Client], instance: Client, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    before = instance.__dict__.pop(KEPT, None)
    _keep(sender, instance)
    if created or before is None:
        return
    if fields is not None and not {"verified_facts", "approved_testimonials"} & set(fields):
        return
    facts, testimonials = before
    if facts == list(instance.verified_facts or []) and testimonials == list(
        instance.approved_testimonials or []
    ):
        return
    from approvals.evidence_recall import recall_changes

    # The facts page names who made the change; other saves are recorded as the system's.
    instance.recalled_jobs = recall_changes(  # type: ignore[attr-defined]
        instance,
        facts_before=facts,
        testimonials_before=testimonials,
        actor=getattr(instance, "changed_by", None),
    )


def connect() -> None:
    post_init.connect(_keep, sender=Client, dispatch_uid="approvals.facts_as_loaded")
    post_save.connect(_recall, sender=Client, dispatch_uid="approvals.fact_recall")
