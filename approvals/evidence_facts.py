"""An owner's page for the client's verified facts and approved testimonials: add, edit or
retract them. An edit or retraction recalls the work that relied on the old wording
(evidence_recall.py, through the client's save), and the page lists what was recalled."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from approvals.evidence import MAX_TEXT
from production.models import Client, Role
from production.tenancy import client_ids_for, has_role

KINDS = {"fact": "verified_facts", "testimonial": "approved_testimonials"}


class FactError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _text(item: Any) -> str:
    return str(item.get("quote", "")) if isinstance(item, dict) else str(item)


def _replaced(item: Any, text: str) -> Any:
    return {**item, "quote": text} if isinstance(item, dict) else text


def change_fact(client: Client, user: Any, data: dict[str, str]) -> Client:
    """Apply one add, edit or retraction; the client's save recalls what relied on it."""
    kind, action = data.get("kind", ""), data.get("action", "")
    if kind not in KINDS or action not in ("add", "edit", "retract"):
        raise FactError("Choose a fact or a testimonial, and add, edit or retract.")
    text = " ".join((data.get("text") or "").split())
    if action != "retract" and not text:
        raise FactError("The text is required.")
    if len(text) > MAX_TEXT or "\x00" in text:
        raise FactError(f"The text must be at most {MAX_TEXT} characters of plain text.")
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        items = list(getattr(client, KINDS[kind]) or [])
        if action == "add":
            items.append({"quote": text} if kind == "testimonial" else text)
        else:
            try:
                index = int(data.get("index", ""))
            except ValueError:
                raise FactError("Pick the entry to change.") from None
            if not 0 <= index < len(items) or _text(items[index]) != data.get("original", ""):
                raise FactError(
                    "This entry changed since the page was opened: reload and try again.", 409
                )
            if action == "edit":
                items[index] = _replaced(items[index], text)
            else:
                del items[index]
        setattr(client, KINDS[kind], items)
        client.changed_by = user  # type: ignore[attr-defined]
        client.save(update_fields=[KINDS[kind]])
    return client


@login_required
def facts(request: HttpRequest, client_slug: str) -> HttpResponse:
    client = Client.objects.filter(slug=client_slug).first()
    user = request.user
    if client is None or not (user.is_staff or client.pk in client_ids_for(user)):
        raise Http404("Client not found.")
    if not has_role(user, client.pk, Role.OWNER):  # type: ignore[arg-type]
        raise PermissionDenied(f"Only an owner of {client.name} can change its facts.")
    error, recalled, status = "", None, 200
    if request.method == "POST":
        try:
            client = change_fact(client, user, request.POST.dict())
            recalled = getattr(client, "recalled_jobs", [])
        except FactError as exc:
            error, status = exc.message, exc.status
    context = {
        "client_obj": client,
        "facts": [_text(f) for f in client.verified_facts or []],
        "testimonials": [_text(t) for t in client.approved_testimonials or []],
        "recalled": recalled,
        "error": error,
    }
    return render(request, "approvals/evidence_facts.html", context, status=status)
