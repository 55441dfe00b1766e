"""Owners' webhook pages: endpoints of their client, the delivery log, redelivery and rotation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from operations import services
from operations.forms import EndpointForm
from operations.models import WebhookDelivery, WebhookEndpoint
from production.models import Client, Role
from production.tenancy import clients_for, has_role

RECENT_DELIVERIES = 50


def owned_client(request: HttpRequest, slug: str) -> Client:
    """The client, if the user sees it (404 otherwise) and is its owner or staff (403)."""
    client = clients_for(request.user).filter(slug=slug).first()
    if client is None:
        raise Http404("No such client.")
    if not has_role(request.user, client.pk, Role.OWNER):
        raise PermissionDenied("Only an owner manages webhooks.")
    return client


def _label(request: HttpRequest) -> str:
    return request.user.get_full_name() or request.user.get_username()


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request: HttpRequest, slug: str) -> HttpResponse:
    client = owned_client(request, slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(
            client=client,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
            user=request.user,
        )
        messages.success(request, "Endpoint added. Its signing secret is below.")
        return redirect("operations:endpoint", slug=client.slug, endpoint_id=endpoint.pk)
    rows = WebhookEndpoint.objects.filter(client=client).order_by("created_at")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "operations/webhooks.html",
        {"client": client, "endpoints": rows, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def endpoint_detail(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    client = owned_client(request, slug)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, client=client)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("message")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
    return render(
        request,
        "operations/webhook_endpoint.html",
        {"client": client, "endpoint": endpoint, "deliveries": deliveries},
    )


@login_required
@require_POST
def endpoint_action(request: HttpRequest, slug: str, endpoint_id: int, action: str) -> HttpResponse:
    client = owned_client(request, slug)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, client=client)
    if action == "rotate":
        services.endpoint_rotate_secret(endpoint=endpoint)
        messages.success(request, "New secret. The old one also signs for the next 24 hours.")
    elif action == "disable":
        services.endpoint_disable(endpoint=endpoint, reason=f"Disabled by {_label(request)}.")
        messages.success(request, "Endpoint disabled: nothing is sent to it.")
    elif action == "enable":
        services.endpoint_enable(endpoint=endpoint)
        messages.success(request, "Endpoint enabled.")
    elif action == "delete":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, "Endpoint deleted.")
        return redirect("operations:webhooks", slug=client.slug)
    else:
        raise Http404("No such action.")
    return redirect("operations:endpoint", slug=client.slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def redeliver(request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int) -> HttpResponse:
    client = owned_client(request, slug)
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint"),
        pk=delivery_id,
        endpoint_id=endpoint_id,
        endpoint__client=client,
    )
    try:
        services.delivery_redeliver(delivery=delivery, requested_by=_label(request))
    except services.WebhookError as exc:
        messages.error(request, exc.message)
        return redirect("operations:endpoint", slug=client.slug, endpoint_id=endpoint_id)
    messages.success(request, "Redelivery queued.")
    return redirect("operations:endpoint", slug=client.slug, endpoint_id=endpoint_id)
