"""Comment routes: pin a comment, reply, resolve and reopen; each answers with the threads."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from approvals import comments
from approvals.models import Comment
from approvals.services import DecisionError, NotAllowed, NotFound
from jobs.models import Output

ANCHOR_FIELDS = ("quote", "x", "y", "w", "h", "at_seconds")


def _threads(
    request: HttpRequest, output: Output, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "output": output,
        "threads": comments.threads_for(output),
        "comment_error": error,
        "body": request.POST.get("body", "") if error else "",
    }
    return render(request, "approvals/_comments.html", context, status=status)


def _answer(request: HttpRequest, output: Output, action: Callable[[], object]) -> HttpResponse:
    try:
        action()
    except NotFound:
        raise
    except NotAllowed as error:
        return _threads(request, output, error.message, 403)
    except DecisionError as error:
        return _threads(request, output, error.message, 400)
    return _threads(request, output)


@login_required
@require_POST
def add(request: HttpRequest, output_id: int) -> HttpResponse:
    output = Output.objects.filter(pk=output_id).first()
    if output is None:
        raise NotFound("Output not found.")
    data = {name: request.POST.get(name) for name in ANCHOR_FIELDS}
    return _answer(
        request,
        output,
        lambda: comments.add_comment(
            user=request.user,
            output_id=output_id,
            body=request.POST.get("body", ""),
            anchor=request.POST.get("anchor", ""),
            **data,
        ),
    )


def _on_thread(
    request: HttpRequest, comment_id: int, act: Callable[..., object], **extra: str
) -> HttpResponse:
    comment = Comment.objects.select_related("output").filter(pk=comment_id).first()
    if comment is None or comment.output is None:
        raise NotFound("Comment not found.")
    # The threads are shown on the output the form was on (a carried thread's newer revision).
    shown = (
        Output.objects.filter(
            pk=request.POST.get("shown_output") or comment.output_id, job_id=comment.job_id
        ).first()
        or comment.output
    )
    return _answer(request, shown, lambda: act(user=request.user, comment_id=comment_id, **extra))


@login_required
@require_POST
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _on_thread(request, comment_id, comments.reply, body=request.POST.get("body", ""))


@login_required
@require_POST
def resolve(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _on_thread(request, comment_id, comments.resolve)


@login_required
@require_POST
def reopen(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _on_thread(request, comment_id, comments.reopen)
