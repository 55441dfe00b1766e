"""Publishing pages: a client's connected accounts (owners), the publishing panel of a job page
(its live fragment and the publish form), and the signed media links platforms fetch."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import OutputKind
from jobs.selectors import job_for
from production import tenant_scope
from production.models import Client
from production.tenancy import clients_for
from publishing import services
from publishing.eligibility import MAIN_KINDS, current_outputs, publish_blocker
from publishing.forms import CONNECTION_FORMS, PublishForm, split
from publishing.limits import instagram_jpeg, read_bytes
from publishing.media_links import read_token
from publishing.models import ACTIVE_STATUSES, PILL_STATUS, Connection, Platform, Publication
from publishing.selectors import publications_for


def _client(request: HttpRequest, slug: str) -> Client:
    client = clients_for(request.user).filter(slug=slug).first()
    if client is None:
        raise Http404("No such client.")
    if not services.can_manage_connections(request.user, client):
        raise PermissionDenied("Only an owner manages connected accounts.")
    return client


@login_required
@require_http_methods(["GET", "POST"])
def connections(request: HttpRequest, slug: str) -> HttpResponse:
    client = _client(request, slug)
    platform = request.POST.get("platform", "")
    forms = {
        key: form_class(request.POST if platform == key else None, prefix=key)
        for key, form_class in CONNECTION_FORMS.items()
    }
    status = 200
    if request.method == "POST":
        form = forms.get(platform)
        if form is None:
            raise Http404("No such platform.")
        if form.is_valid():
            name, account, secrets = split(form)
            try:
                connection = services.connection_create(
                    client=client,
                    platform=platform,
                    name=name,
                    account=account,
                    secrets=secrets,
                    user=request.user,
                )
            except services.PublishingError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"{connection.name} is connected.")
                return redirect("publishing:connections", slug=client.slug)
        status = 400
    rows = Connection.objects.filter(client=client)
    return render(
        request,
        "publishing/connections.html",
        {
            "client": client,
            "connections": rows,
            "forms": [(Platform(key).label, key, form) for key, form in forms.items()],
            "open_platform": platform,
        },
        status=status,
    )


@login_required
@require_POST
def disconnect(request: HttpRequest, slug: str, connection_id: int) -> HttpResponse:
    client = _client(request, slug)
    connection = get_object_or_404(Connection, pk=connection_id, client=client)
    services.connection_disconnect(connection=connection, user=request.user)
    messages.success(request, f"{connection.name} is disconnected; its credentials are deleted.")
    return redirect("publishing:connections", slug=client.slug)


@login_required
@require_POST
def automatic(request: HttpRequest, slug: str, connection_id: int) -> HttpResponse:
    client = _client(request, slug)
    connection = get_object_or_404(Connection, pk=connection_id, client=client)
    enabled = request.POST.get("enabled") == "1"
    services.connection_set_auto(connection=connection, enabled=enabled, user=request.user)
    messages.success(
        request,
        f"Approved work now goes to {connection.name} automatically."
        if enabled
        else f"{connection.name} is published to only when someone asks.",
    )
    return redirect("publishing:connections", slug=client.slug)


def _panel_context(request: HttpRequest, job: Any, form: PublishForm | None = None) -> dict:
    publications = list(publications_for(request.user).filter(job=job)[:50])
    blocker = publish_blocker(job)
    may_publish = services.can_publish(request.user, job.client)
    accounts = list(Connection.objects.filter(client=job.client, is_active=True))
    if form is None and may_publish and not blocker and accounts:
        outputs = list(current_outputs(job))
        kinds = {
            kind for platform in {a.platform for a in accounts} for kind in MAIN_KINDS[platform]
        }
        main = [o.pk for o in outputs if o.kind in kinds]
        images = [o.pk for o in outputs if o.kind == OutputKind.IMAGE and o.file]
        form = PublishForm(
            connections=Connection.objects.filter(pk__in=[a.pk for a in accounts]),
            outputs=current_outputs(job).filter(pk__in=main),
            images=current_outputs(job).filter(pk__in=images),
            prefix="publish",
        )
    return {
        "job": job,
        "publications": [(p, PILL_STATUS[p.status]) for p in publications],
        "live": any(p.status in ACTIVE_STATUSES for p in publications),
        "blocker": blocker,
        "may_publish": may_publish,
        "may_connect": services.can_manage_connections(request.user, job.client),
        "has_accounts": bool(accounts),
        "form": form,
        "has_images": form is not None and form.fields["image"].queryset.exists(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def job_panel(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The job page's publishing panel; POST publishes and answers with the panel again."""
    job = job_for(request.user, job_id)
    if request.method == "GET":
        return render(request, "publishing/_job_panel.html", _panel_context(request, job))
    if not services.can_publish(request.user, job.client):
        raise PermissionDenied("Only reviewers and owners publish work.")
    accounts = Connection.objects.filter(client=job.client, is_active=True)
    outputs = current_outputs(job)
    form = PublishForm(
        request.POST,
        connections=accounts,
        outputs=outputs,
        images=outputs.filter(kind=OutputKind.IMAGE),
        prefix="publish",
    )
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_request(
                job=job,
                user=request.user,
                connection=data["connection"],
                output=data["output"],
                image=data["image"],
                title=data["title"],
                caption=data["caption"],
                visibility=data["visibility"],
                scheduled_for=data["scheduled_for"],
            )
        except services.PublishingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            form, status = None, 200
    context = _panel_context(request, job, form)
    if status == 200:
        context["notice"] = "Sent to the publisher; the status below follows it."
    if not request.htmx:
        if status == 200:
            messages.success(request, context["notice"])
        return (
            redirect("job_detail", job.pk)
            if status == 200
            else render(request, "publishing/_job_panel.html", context, status=status)
        )
    return render(request, "publishing/_job_panel.html", context, status=status)


@login_required
@require_POST
def publication_action(
    request: HttpRequest, job_id: Any, publication_id: int, action: str
) -> HttpResponse:
    job = job_for(request.user, job_id)
    publication = get_object_or_404(publications_for(request.user), pk=publication_id, job=job)
    act = {"cancel": services.publication_cancel, "retry": services.publication_retry}.get(action)
    if act is None:
        raise Http404("No such action.")
    context_notice = ""
    try:
        act(publication=publication, user=request.user)
    except services.PublishingError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        context_notice = exc.message
    context = _panel_context(request, job)
    context["notice"] = context_notice
    if not request.htmx:
        return redirect("job_detail", job.pk)
    return render(
        request, "publishing/_job_panel.html", context, status=409 if context_notice else 200
    )


@require_GET
def media(request: HttpRequest, token: str) -> HttpResponse:
    """A publication's media for the platform to download: signed, expiring, and only while the
    publication is being sent."""
    ids = read_token(token)
    if ids is None:
        raise Http404("This link is not valid or has expired.")
    # Signed by us: found across clients, then the request sees only the publication's client.
    with tenant_scope.system():
        publication = Publication.objects.select_related("output").filter(pk=ids[0]).first()
    if publication is not None:
        tenant_scope.scope_request_to_client(publication.client_id)
    if (
        publication is None
        or publication.output_id != ids[1]
        or publication.status not in ACTIVE_STATUSES
    ):
        raise Http404("Nothing to fetch here.")
    output = publication.output
    if output.kind == OutputKind.IMAGE and publication.platform == Platform.INSTAGRAM:
        body, content_type = instagram_jpeg(output), "image/jpeg"
    else:
        body, content_type = read_bytes(output), output.mime_type or "application/octet-stream"
    response = HttpResponse(io.BytesIO(body).getvalue(), content_type=content_type)
    response["Content-Length"] = str(len(body))
    response["Cache-Control"] = "private, no-store"
    return response
