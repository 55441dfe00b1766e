"""Dashboard pages: thin views over selectors and services.

A page and its live fragment come from the same view: an htmx request gets only the fragment.
Every job route loads the job through the tenant-scoped selectors, so another client's job is
a 404 on the page, on every partial and on every download.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from approvals.preflight_treatment import preflight_treatment
from approvals.services import request_for_user
from dashboards import (
    actions,
    job_list,
    live_fragments,
    roles,
    selectors,
    submissions,
    switcher,
)
from dashboards.forms import build_fields, parse_inputs, split_errors
from dashboards.manifest import manifest_panel, scene_labels
from dashboards.output_groups import group_outputs
from jobs.inputs import InputErrors, input_schema, validate_job_inputs
from jobs.job_fields import DESCRIPTION_MAX, TITLE_MAX, description_problems, title_problems
from jobs.job_types.catalogue import JOB_TYPES
from jobs.models import Manifest, Output, Priority
from jobs.output_names import download_name, extension_for
from jobs.planner import PlannerInputError, plan
from jobs.selectors import visible_to
from jobs.services import JobError, can_create_jobs, job_create
from jobs.success import success_score
from jobs.workflows.video import planner_user_inputs
from production.input_safety import positive_int, posted_text_errors, storable_text, text_problem
from production.models import Client
from production.ranged_files import ranged_file_response
from production.tenancy import clients_for

LIVE_PARTS = ("live", "pipeline", "timeline", "badge", "outputs", "manifest", "budget")
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "audio/", "video/")


def _is_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


# --- the dashboard -----------------------------------------------------------------------------


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where a sign-in lands: a person who only reviews starts on the review queue. The Jobs
    page stays reachable from the navigation."""
    return redirect("reviews:queue" if roles.only_reviews(request.user) else "dashboard")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Status cards and the job list; htmx (filters, paging, polling) gets the list fragment."""
    view = job_list.ListView.of(request)
    if _is_fragment(request):
        return HttpResponse(job_list.list_render(view)[1].html)
    context = job_list.list_context(view)
    context["can_order"] = roles.orders_work(request.user)
    if context["current_client_id"]:
        # Full page only: the polled list fragment does not recompute it every second.
        context["success"] = success_score(context["current_client_id"])
    return render(request, "dashboards/dashboard.html", context)


@login_required
@require_POST
def switch_client(request: HttpRequest) -> HttpResponse:
    client_id = request.POST.get("client", "")
    if not switcher.choose_client(request, client_id):
        raise Http404("No such client.")
    target = reverse("dashboard")
    if _is_fragment(request):
        return HttpResponseClientRedirect(target)
    return redirect(target)


# --- the new-job dialog ------------------------------------------------------------------------


def _creatable_clients(request: HttpRequest) -> list[Client]:
    return [
        c for c in clients_for(request.user).order_by("name") if can_create_jobs(request.user, c)
    ]


def _job_type_choices() -> list[tuple[str, str, str]]:
    """(value, label, description) of every job type a person can order, from the specs."""
    return [(key, spec.label, spec.description) for key, spec in JOB_TYPES.items()]


def _option_labels(job_type: str) -> dict[str, str]:
    info = JOB_TYPES.get(job_type)
    return {o.key: o.label for o in info.output_types} if info else {}


def _new_job_context(
    request: HttpRequest,
    data: Any,
    *,
    input_values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    general: list[str] | None = None,
    posted: Any = None,
) -> dict[str, Any]:
    clients = _creatable_clients(request)
    client_ids = [c.pk for c in clients]
    templates = list(selectors.templates_for(client_ids))
    types = _job_type_choices()
    template = next((t for t in templates if str(t.pk) == (data.get("template") or "")), None)
    job_type = data.get("jobType") or ""
    # Both controls are sent; the one the person just changed wins.
    changed_template = request.headers.get("HX-Trigger-Name") == "template"
    if template is not None and job_type and job_type != template.job_type and not changed_template:
        template = None
    if template is not None:
        job_type = template.job_type
    if job_type not in {value for value, _, _ in types}:
        job_type = ""
    chosen_client = data.get("client") or switcher.current_client_id(request)
    if chosen_client not in {str(pk) for pk in client_ids}:
        chosen_client = str(client_ids[0]) if client_ids else ""
    errors = errors or {}
    fields = []
    if job_type:
        defaults = (
            input_values
            if input_values is not None
            else (template.default_inputs if template else {})
        )
        fields = build_fields(
            input_schema(job_type),
            defaults,
            option_labels=_option_labels(job_type),
            # Sent back with errors: show what was typed, unless the type was just changed.
            posted=posted if data.get("jobType") == job_type else None,
        )
        for entry in fields:
            entry.errors = errors.get(entry.name, [])
    priority = data.get("priority") or (template.priority if template else Priority.NORMAL)
    title = data.get("title") or ""
    if not title and template is not None and request.method == "GET":
        title = template.name
    return {
        "clients": clients,
        "chosen_client": chosen_client,
        "templates": templates,
        "template": template,
        "job_types": types,
        "job_type": job_type,
        "fields": fields,
        "title": title or "",
        "description": data.get("description") or "",
        "priority": priority,
        "priorities": Priority.choices,
        # A fresh form starts processing right away; a re-rendered one keeps the person's choice.
        "auto_process": data.get("autoProcess") == "on" if "submitted" in data else True,
        "errors": errors,
        "general_errors": general or [],
        # A new token per rendered form; a form sent back with errors keeps its own.
        "submit_token": submissions.token_for(data.get("submitToken", "")),
        "title_max": TITLE_MAX,
        "description_max": DESCRIPTION_MAX,
    }


@login_required
@require_http_methods(["GET", "POST"])
def new_job(request: HttpRequest) -> HttpResponse:
    """The dialog's form for the chosen type or template; a valid post creates the job."""
    template_name = (
        "dashboards/_new_job_form.html" if _is_fragment(request) else "dashboards/new_job.html"
    )
    if request.method == "GET":
        return render(request, template_name, _new_job_context(request, request.GET))
    return _create_job(request, template_name)


def _created_response(request: HttpRequest, job_id: Any) -> HttpResponse:
    target = reverse("job_detail", args=[job_id])
    if _is_fragment(request):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def _create_job(request: HttpRequest, template_name: str) -> HttpResponse:
    data = request.POST
    # One submission makes one job: a second post of the same form (a double click, a resend)
    # is answered with the job the first one made.
    submission = submissions.claim(request.user, data.get("submitToken", ""))
    made = submission.job_id
    if made and selectors.scoped_jobs(request.user).filter(pk=made).exists():
        return _created_response(request, made)
    context = _new_job_context(request, data)
    job_type = context["job_type"]
    client = next((c for c in context["clients"] if str(c.pk) == data.get("client")), None)
    if client is None and len(context["clients"]) == 1:
        client = context["clients"][0]
    # NUL (and the like) cannot be stored: a form error at the field, before anything else.
    errors: dict[str, list[str]] = posted_text_errors(data)
    if client is None:
        errors["client"] = ["Choose a client you can create jobs for."]
    if not job_type:
        errors.setdefault("jobType", ["Choose a job type or a template."])
    # Every field is checked before anything is written, so all problems show at once.
    for problem in title_problems(data.get("title", "")):
        errors.setdefault("title", []).append(problem)
    for problem in description_problems(data.get("description", "")):
        errors.setdefault("description", []).append(problem)
    inputs: dict[str, Any] | None = None
    if job_type:
        inputs, parse_errors = parse_inputs(input_schema(job_type), data)
        errors.update(parse_errors)
        try:
            validate_job_inputs(job_type, {**_template_inputs(context), **inputs})
        except InputErrors as exc:
            for path, messages in exc.errors.items():
                errors.setdefault(path, list(messages))
    if errors or submission.busy:
        if submission.busy:
            errors.setdefault("", []).append(
                "This form is already being sent; the job will open when it is created."
            )
        else:
            submission.release()
        return _form_errors(request, template_name, data, errors, inputs)
    try:
        job = job_create(
            client=client,  # type: ignore[arg-type]
            job_type=job_type,
            title=data.get("title", ""),
            description=data.get("description", ""),
            priority=data.get("priority") or Priority.NORMAL,
            input_data=inputs,
            template=context["template"],
            created_by=request.user,  # type: ignore[arg-type]
            auto_process=data.get("autoProcess") == "on",
        )
    except InputErrors as exc:
        submission.release()
        return _form_errors(request, template_name, data, dict(exc.errors), inputs)
    except JobError as exc:
        submission.release()
        return _form_errors(request, template_name, data, {exc.field or "": [exc.message]}, inputs)
    submission.done(job.pk)
    return _created_response(request, job.pk)


def _template_inputs(context: dict[str, Any]) -> dict[str, Any]:
    template = context["template"]
    return dict(template.default_inputs or {}) if template is not None else {}


def _form_errors(
    request: HttpRequest,
    template_name: str,
    data: Any,
    errors: dict[str, list[str]],
    inputs: dict[str, Any] | None,
) -> HttpResponse:
    known = ["title", "description", "priority", "client", "jobType", "template"]
    context = _new_job_context(request, data, input_values=inputs, posted=data)
    known += [f.name for f in context["fields"]]
    by_field, general = split_errors(errors, known)
    context = _new_job_context(
        request, data, input_values=inputs, errors=by_field, general=general, posted=data
    )
    # 422 tells htmx-aware clients the form came back with errors; htmx swaps it all the same.
    return render(request, template_name, context, status=422)


# --- a job's detail panel and its live partials -------------------------------------------------


def _detail_context(request: HttpRequest, job_id: Any, **options: Any) -> dict[str, Any]:
    detail = selectors.job_detail(
        request.user, job_id, revision=positive_int(request.GET.get("revision")), **options
    )
    panel = manifest_panel(detail.manifest) if detail.manifest else None
    return {
        "detail": detail,
        "job": detail.job,
        "pipeline": detail.pipeline,
        "events": detail.events,
        "outputs": detail.outputs,
        "groups": group_outputs(detail.outputs, scene_labels(panel)),
        "manifest": panel,
        "allowed": actions.allowed_actions(request.user, detail.job, detail.open_request),
        "live": detail.job.is_live,
    }


def _live_response(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The polled fragment after an action; it tells the page to reload outputs when a step
    has finished."""
    response = render(request, "dashboards/_job_live.html", context, status=status)
    return _outputs_changed(request, response, context["pipeline"].signature)


def _outputs_changed(request: HttpRequest, response: HttpResponse, signature: str) -> HttpResponse:
    seen = request.GET.get("seen")
    if seen is not None and seen != signature:
        trigger_client_event(response, "outputs-changed")
    return response


def live_fragment_html(request: HttpRequest, job_id: Any) -> tuple[str, str]:
    """The fragment open pages show on every change, and the pipeline signature it shows:
    rendered once per job version and view (see live_fragments), after the same tenant check
    and role reading as a full render. Http404 when this person may not see the job."""

    def load() -> tuple[Any, list[Any]]:
        job = selectors.scoped_job(request.user, job_id)
        return job, selectors.open_requests_for(job)

    version = live_fragments.version_of(job_id)
    job, found = live_fragments.facts(job_id, version, load)
    if not visible_to(request.user, job):
        raise Http404("No such job.")
    open_request = request_for_user(request.user, found)
    allowed = actions.allowed_actions(request.user, job, open_request)
    decides = open_request.pk if open_request is not None and actions.APPROVE in allowed else None
    return live_fragments.fragment(
        request,
        job,
        version,
        live_fragments.view_key(allowed, decides),
        lambda: _detail_context(request, job_id, with_outputs=False, job=job, open_requests=found),
    )


def _live_fragment(request: HttpRequest, job_id: Any) -> HttpResponse:
    html, signature = live_fragment_html(request, job_id)
    return _outputs_changed(request, HttpResponse(html), signature)


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: Any) -> HttpResponse:
    if _is_fragment(request):
        return _live_fragment(request, job_id)
    return render(request, "dashboards/job_detail.html", _detail_context(request, job_id))


@login_required
@require_GET
def job_partial(request: HttpRequest, job_id: Any, part: str) -> HttpResponse:
    """One piece of the detail panel on its own: pipeline, timeline, badge, outputs, manifest
    or a production's budget sign-off."""
    if part not in LIVE_PARTS:
        raise Http404("No such part.")
    if part == "live":
        return _live_fragment(request, job_id)
    if part == "budget":
        job = selectors.scoped_job(request.user, job_id)
        return render(request, "dashboards/productions/_budget_panel.html", {"job": job})
    context = _detail_context(
        request, job_id, with_outputs=part == "outputs", with_events=part in ("live", "timeline")
    )
    return render(
        request,
        f"dashboards/_{'safety_badge' if part == 'badge' else part}.html",
        {
            **context,
            "score": context["job"].safety_score,
            "band": context["job"].safety_band,
            "verified": context["job"].truth_verified,
        },
    )


@login_required
@require_POST
def job_action(request: HttpRequest, job_id: Any, action: str) -> HttpResponse:
    """Start, cancel, retry, delete, approve, request changes or reject; errors show in an alert."""
    job = selectors.scoped_job(request.user, job_id)
    problem = text_problem(request.POST.get("feedback") or "")
    if problem:
        # Refused before any service runs; the text comes back without what was refused.
        feedback = storable_text(request.POST.get("feedback") or "")
        outcome = actions.Outcome(error=problem, field="feedback", feedback=feedback)
    else:
        outcome = actions.perform(request.user, job, action, request.POST)
    if outcome.deleted:
        messages.success(request, f"Deleted “{job.title}” and its outputs.")
        target = reverse("dashboard")
        return HttpResponseClientRedirect(target) if _is_fragment(request) else redirect(target)
    status = 403 if outcome.forbidden else 422 if outcome.error else 200
    if not _is_fragment(request):
        if outcome.forbidden:
            # A plain form post of an action this role does not have: the page, with why.
            context = _detail_context(request, job_id)
            context["error"] = outcome.error
            return render(request, "dashboards/job_detail.html", context, status=403)
        return redirect("job_detail", job_id=job.pk)
    context = _detail_context(request, job_id, with_outputs=False)
    context.update(
        {"error": outcome.error, "error_field": outcome.field, "feedback": outcome.feedback}
    )
    response = _live_response(request, context, status=status)
    if outcome.changed:
        trigger_client_event(response, "outputs-changed")
    return response


# --- output files ------------------------------------------------------------------------------


@login_required
@require_GET
def output_file(request: HttpRequest, job_id: Any, output_id: int) -> HttpResponse:
    """An output's file or text, only for those who may see the job; media is never linked directly."""
    job = selectors.scoped_job(request.user, job_id)
    output = get_object_or_404(Output, job=job, pk=output_id)
    want_inline = request.GET.get("inline") == "1"
    name = download_name(job, output)
    if output.file:
        stored = PurePosixPath(output.file.name).name
        mime = output.mime_type or mimetypes.guess_type(stored)[0] or "application/octet-stream"
        inline = want_inline and mime.startswith(INLINE_TYPES)
        response = ranged_file_response(
            request,
            output.file.open("rb"),
            size=output.file.size,
            filename=name,
            content_type=mime,
            as_attachment=not inline,
        )
    else:
        mime = {"md": "text/markdown", "html": "text/html", "json": "application/json"}.get(
            extension_for(output), "text/plain"
        )
        # Text is always an attachment: generated HTML must never run on our origin.
        response = HttpResponse(output.text, content_type=f"{mime}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the scene preview of a video brief -----------------------------------------------------------


@login_required
@require_POST
def new_job_preview(request: HttpRequest) -> HttpResponse:
    """The scenes the planner reads from the dialog's treatment; nothing is stored."""
    clients = _creatable_clients(request)
    client = next((c for c in clients if str(c.pk) == request.POST.get("client")), None)
    if client is None and clients:
        client = clients[0]
    if client is None:
        raise Http404("No client to plan for.")
    inputs, errors = parse_inputs(input_schema("video"), request.POST)
    treatment = inputs.get("treatment", "")
    error = next(iter(errors.values()), [""])[0]
    if not error and len(treatment.strip()) < 10:
        error = "Write the treatment first (at least 10 characters), or use the example."
    if error:
        return render(request, "dashboards/_scene_preview.html", {"error": error})
    try:
        result = plan(
            treatment,
            user=planner_user_inputs(inputs),
            title=request.POST.get("title", ""),
            profile=client.brand(),
        )
    except PlannerInputError as exc:
        return render(request, "dashboards/_scene_preview.html", {"error": exc.message})
    unsaved = Manifest(
        client=client,
        manifest=result.manifest,
        valid=result.valid,
        repairs=result.repairs,
        warnings=result.warnings,
        used_repair=result.used_repair,
        used_fallback=result.used_fallback,
        processing_ms=result.processing_ms,
    )
    # Pre-flight of the planned scenes, so the client answers for them before the job exists.
    treatment_check = preflight_treatment(
        client,
        manifest=result.manifest,
        topic=str(inputs.get("topic") or ""),
        language=str(inputs.get("language") or ""),
    )
    return render(
        request,
        "dashboards/_scene_preview.html",
        {"manifest": manifest_panel(unsaved), "treatment": treatment_check},
    )
