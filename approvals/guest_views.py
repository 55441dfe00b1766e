"""Guest review pages (by signed link) and the page where reviewers and owners manage the links."""

from __future__ import annotations

import mimetypes
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import comments, guests, selectors, services
from approvals.models import GuestLink
from jobs.models import Output
from production.ranged_files import ranged_file_response

MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "audio/", "video/")
ANCHOR_FIELDS = ("quote", "x", "y", "w", "h", "at_seconds")


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _gone(request: HttpRequest, error: guests.LinkGone) -> HttpResponse:
    return render(request, "approvals/guest_gone.html", {"message": str(error)}, status=403)


def _guest(request: HttpRequest, link: GuestLink) -> guests.Guest | None:
    data = request.session.get(f"guest-link-{link.pk}")
    return guests.Guest(**data) if isinstance(data, dict) else None


def _page(request: HttpRequest, token: str, link: GuestLink, **extra: Any) -> HttpResponse:
    guest = _guest(request, link)
    approval = guests.open_request(link)
    # After a decision the guest still sees what they reviewed, without a form.
    shown = approval or guests.last_request(link)
    context = {
        "token": token,
        "link": link,
        "job": link.job,
        "guest": guest,
        "approval": approval,
        "outputs": selectors.reviewed_outputs(shown) if shown else [],
        **extra,
    }
    return render(request, "approvals/guest_review.html", context, status=extra.get("status", 200))


@require_http_methods(["GET", "POST"])
def guest_review(request: HttpRequest, token: str) -> HttpResponse:
    """The guest's page; the first visit asks for a name and an e-mail address."""
    try:
        link = guests.open_link(token)
    except guests.LinkGone as error:
        return _gone(request, error)
    if request.method == "POST":
        try:
            guest = guests.guest_from(request.POST.get("name", ""), request.POST.get("email", ""))
        except services.DecisionError as error:
            return _page(
                request, token, link, enter_error=error.message, enter_field=error.field, status=400
            )
        request.session[f"guest-link-{link.pk}"] = {"name": guest.name, "email": guest.email}
        return redirect("reviews:guest", token)
    GuestLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return _page(request, token, link)


def _writable(request: HttpRequest, token: str) -> tuple[GuestLink, guests.Guest] | HttpResponse:
    try:
        link = guests.open_link(token)
    except guests.LinkGone as error:
        return _gone(request, error)
    guest = _guest(request, link)
    if guest is None:
        return redirect("reviews:guest", token)
    if not guests.allow(link, _address(request)):
        return render(
            request,
            "approvals/guest_gone.html",
            {"message": "Too many requests from this link; wait a few minutes."},
            status=429,
        )
    return link, guest


@require_POST
def guest_comment(request: HttpRequest, token: str, output_id: int) -> HttpResponse:
    found = _writable(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, guest = found
    output = Output.objects.filter(pk=output_id, job=link.job).first()
    if output is None:
        raise Http404("No such output.")
    error, status = "", 200
    try:
        guests.comment(
            link=link,
            guest=guest,
            output_id=output_id,
            body=request.POST.get("body", ""),
            anchor=request.POST.get("anchor", ""),
            **{name: request.POST.get(name) for name in ANCHOR_FIELDS},
        )
    except services.DecisionError as problem:
        error, status = problem.message, 400
    context = {
        "output": output,
        "threads": comments.threads_for(output),
        "comment_error": error,
        "body": request.POST.get("body", "") if error else "",
        "guest_token": token,
    }
    return render(request, "approvals/_comments.html", context, status=status)


@require_POST
def guest_decide(request: HttpRequest, token: str) -> HttpResponse:
    found = _writable(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, guest = found
    raw = request.POST.get("expected_revision", "")
    try:
        guests.decide(
            link=link,
            guest=guest,
            decision=request.POST.get("decision", ""),
            feedback=request.POST.get("feedback", ""),
            expected_revision=int(raw) if raw.isdigit() else None,
        )
    except services.DecisionError as error:
        status = (
            409
            if error.code in ("stale_revision", "already_decided", "no_pending_request")
            else 400
        )
        return _page(request, token, link, decision_error=error.message, status=status)
    return _page(request, token, link, done="Thank you: your decision is recorded.")


@require_GET
def guest_file(request: HttpRequest, token: str, output_id: int) -> HttpResponse:
    """Images and recordings of the link's job only; text is shown on the page itself."""
    try:
        link = guests.open_link(token)
    except guests.LinkGone as error:
        return _gone(request, error)
    output = get_object_or_404(Output, pk=output_id, job=link.job)
    mime = output.mime_type or mimetypes.guess_type(output.file.name or "")[0] or ""
    if not output.file or not mime.startswith(MEDIA_TYPES):
        raise Http404("No such file.")
    response = ranged_file_response(
        request,
        output.file.open("rb"),
        size=output.file.size,
        filename=output.file.name.rsplit("/", 1)[-1],
        content_type=mime,
        as_attachment=False,
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the links, for those who send them ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage_links(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = selectors.job_for(request.user, job_id)
    if not guests.can_issue(request.user, job):
        raise Http404("No such page.")
    created = None
    error = ""
    if request.method == "POST":
        raw = request.POST.get("days", "")
        try:
            link = guests.issue(
                user=request.user,
                job=job,
                days=int(raw) if raw.isdigit() else 0,
                note=request.POST.get("note", ""),
            )
        except services.DecisionError as problem:
            error = problem.message
        else:
            created = request.build_absolute_uri(
                reverse("reviews:guest", args=[guests.token_for(link)])
            )
    links = GuestLink.objects.filter(job=job).select_related("created_by")
    context = {"job": job, "links": links, "created": created, "error": error}
    return render(request, "approvals/guest_links.html", context, status=400 if error else 200)


@login_required
@require_POST
def revoke_link(request: HttpRequest, job_id: UUID, link_id: int) -> HttpResponse:
    job = selectors.job_for(request.user, job_id)
    try:
        guests.revoke(user=request.user, link_id=link_id, job=job)
    except services.NotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Link revoked: it no longer opens anything.")
    return redirect("reviews:guest_links", job.pk)
