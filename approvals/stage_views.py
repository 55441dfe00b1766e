"""The review stages settings page of a client: its owners add, list and remove stages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from approvals.models import ApproverRole, ReviewStage
from approvals.stage_forms import ApproverRoleForm, StageForm
from jobs.models import JobType
from production.models import Client, Role
from production.tenancy import client_ids_for, has_role


def _owned_client(request: HttpRequest, client_slug: str) -> Client:
    """The client, for its owners (and staff); 404 for people of other clients."""
    client = Client.objects.filter(slug=client_slug).first()
    user = request.user
    if client is None or not (user.is_staff or client.pk in client_ids_for(user)):
        raise Http404("Client not found.")
    if not has_role(user, client.pk, Role.OWNER):
        raise PermissionDenied(f"Only an owner of {client.name} can change its review stages.")
    return client


def _grouped(client: Client) -> list[tuple[str, list[ReviewStage]]]:
    """The client's stages by scope: every type first, then each type with its own, then each
    template's."""
    labels = dict(JobType.choices)
    groups: dict[tuple[str, str], list[ReviewStage]] = {}
    stages = ReviewStage.objects.filter(client=client).select_related("template")
    for stage in stages.select_related("approver_role").prefetch_related("members"):
        if stage.template is not None:
            key = ("2", f"Template “{stage.template.name}”")
        elif stage.job_type:
            key = ("1", labels.get(stage.job_type, stage.job_type))
        else:
            key = ("0", "Every job type")
        groups.setdefault(key, []).append(stage)
    return [(key[1], groups[key]) for key in sorted(groups)]


@login_required
@require_http_methods(["GET", "POST"])
def stages(request: HttpRequest, client_slug: str) -> HttpResponse:
    client = _owned_client(request, client_slug)
    form = StageForm(request.POST or None, client=client)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            stage = form.save()
            messages.success(request, f"Stage {stage.position} “{stage.name}” added.")
            return redirect("reviews:stages", client.slug)
        status = 400
    return _page(request, client, form=form, status=status)


def _page(
    request: HttpRequest,
    client: Client,
    *,
    form: StageForm | None = None,
    role_form: ApproverRoleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "client_obj": client,
        "groups": _grouped(client),
        "form": form or StageForm(client=client),
        "roles": ApproverRole.objects.filter(client=client).prefetch_related("members"),
        "role_form": role_form or ApproverRoleForm(client=client),
    }
    return render(request, "approvals/stages.html", context, status=status)


@login_required
@require_POST
def add_role(request: HttpRequest, client_slug: str) -> HttpResponse:
    client = _owned_client(request, client_slug)
    form = ApproverRoleForm(request.POST, client=client)
    if not form.is_valid():
        return _page(request, client, role_form=form, status=400)
    role = form.save()
    messages.success(request, f"Approver role “{role.name}” added.")
    return redirect("reviews:stages", client.slug)


@login_required
@require_POST
def remove_role(request: HttpRequest, client_slug: str, role_id: int) -> HttpResponse:
    client = _owned_client(request, client_slug)
    role = get_object_or_404(ApproverRole, client=client, pk=role_id)
    using = list(role.stages.values_list("name", flat=True))
    if using:
        messages.error(
            request,
            f"“{role.name}” decides {', '.join(using)}: remove "
            f"{'that stage' if len(using) == 1 else 'those stages'} first.",
        )
        return redirect("reviews:stages", client.slug)
    role.delete()
    messages.success(request, f"Approver role “{role.name}” removed.")
    return redirect("reviews:stages", client.slug)


@login_required
@require_POST
def remove_stage(request: HttpRequest, client_slug: str, stage_id: int) -> HttpResponse:
    client = _owned_client(request, client_slug)
    stage = get_object_or_404(ReviewStage, client=client, pk=stage_id)
    stage.delete()
    # Requests already open at this stage keep their copy of it and are decided as they were.
    messages.success(request, f"Stage “{stage.name}” removed; reviews already open keep it.")
    return redirect("reviews:stages", client.slug)
