"""Comments on outputs: pin, reply, resolve and reopen; threads carried across revisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from approvals.models import AnchorKind, Comment
from approvals.services import DecisionError, NotAllowed, NotFound, User
from jobs.models import Output, ProductionJob
from jobs.selectors import visible_to
from production.models import Role
from production.tenancy import has_role

MAX_BODY = 5000
MAX_QUOTE = 500
DEFAULT_REGION = 0.12  # a click marks a square this fraction of the image wide


class CommentError(DecisionError):
    """A comment that cannot be written; `field` names the input it is about."""


def _label(user: User) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[union-attr]


def _check_member(user: User, job: ProductionJob) -> None:
    if not user.is_authenticated:
        raise NotAllowed("Sign in to comment.")
    if not visible_to(user, job):
        raise NotFound("Not found.")
    if not user.is_staff and not has_role(user, job.client_id, Role.MEMBER):
        raise NotAllowed("Only people of this client can comment.")


def _body(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CommentError("Write a comment.", "body")
    if len(text) > MAX_BODY:
        raise CommentError(f"Comments are limited to {MAX_BODY} characters.", "body")
    return text


def _fraction(raw: Any, name: str) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise CommentError(f"The region's {name} must be a number.", "anchor") from None
    if not 0 <= value <= 1:
        raise CommentError(f"The region's {name} must lie on the image.", "anchor")
    return value


def _anchor(output: Output, anchor: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validated anchor fields; a passage is found in the output's own text, never trusted."""
    if anchor in ("", AnchorKind.NONE):
        return {"anchor": AnchorKind.NONE}
    if anchor == AnchorKind.TEXT:
        quote = " ".join(str(data.get("quote") or "").split())
        if not quote:
            raise CommentError("Select the passage to comment on.", "anchor")
        if len(quote) > MAX_QUOTE:
            raise CommentError(f"Quote at most {MAX_QUOTE} characters.", "anchor")
        start, end = locate(output.text, quote)
        if start < 0:
            raise CommentError("That passage is not in this output.", "anchor")
        return {"anchor": anchor, "start": start, "end": end, "quote": output.text[start:end]}
    if anchor == AnchorKind.REGION:
        if output.kind != "image":
            raise CommentError("Only images take a region.", "anchor")
        x, y = _fraction(data.get("x"), "x"), _fraction(data.get("y"), "y")
        w = min(_fraction(data.get("w") or DEFAULT_REGION, "width"), 1 - x)
        h = min(_fraction(data.get("h") or DEFAULT_REGION, "height"), 1 - y)
        return {"anchor": anchor, "x": x, "y": y, "w": w, "h": h}
    if anchor == AnchorKind.TIME:
        if output.kind not in ("video", "audio"):
            raise CommentError("Only video and audio take a timecode.", "anchor")
        try:
            seconds = float(data.get("at_seconds"))
        except (TypeError, ValueError):
            raise CommentError("The timecode must be a number of seconds.", "anchor") from None
        duration = (output.metadata or {}).get("duration")
        if seconds < 0 or (isinstance(duration, int | float) and seconds > duration + 0.5):
            raise CommentError("The timecode is outside the recording.", "anchor")
        return {"anchor": anchor, "at_seconds": round(seconds, 2)}
    raise CommentError("Unknown kind of pin.", "anchor")


def locate(text: str, quote: str) -> tuple[int, int]:
    """Where a quote (whitespace-normalised) is in the text, as (start, end); (-1, -1) if absent."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    # The same words with other whitespace (the page renders paragraphs and line breaks).
    words = quote.split()
    position = 0
    first = -1
    for index, word in enumerate(words):
        found = text.find(word, position)
        if found < 0 or (index and text[position:found].strip()):
            return -1, -1
        if index == 0:
            first = found
        position = found + len(word)
    return first, position


def add_comment(
    *, user: User, output_id: int, body: str, anchor: str = "", **anchor_data: Any
) -> Comment:
    output = Output.objects.select_related("job__client").filter(pk=output_id).first()
    if output is None:
        raise NotFound("Output not found.")
    _check_member(user, output.job)
    fields = _anchor(output, anchor, anchor_data)
    return Comment.objects.create(
        job=output.job,
        output=output,
        output_key=output.key or output.step,
        revision=output.revision,
        body=_body(body),
        author=user,
        author_label=_label(user),
        **fields,
    )


def add_comment_as(
    *,
    job: ProductionJob,
    output_id: int,
    label: str,
    body: str,
    anchor: str = "",
    **anchor_data: Any,
) -> Comment:
    """A comment by someone checked elsewhere (a guest link scoped to `job`)."""
    output = Output.objects.filter(pk=output_id, job=job).first()
    if output is None:
        raise NotFound("Output not found.")
    fields = _anchor(output, anchor, anchor_data)
    return Comment.objects.create(
        job=job,
        output=output,
        output_key=output.key or output.step,
        revision=output.revision,
        body=_body(body),
        author=None,
        author_label=label[:120],
        **fields,
    )


def _root(user: User, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("job__client").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("Comment not found.")
    _check_member(user, comment.job)
    return comment.parent or comment


def reply(*, user: User, comment_id: int, body: str) -> Comment:
    root = _root(user, comment_id)
    return Comment.objects.create(
        job=root.job,
        output=root.output,
        output_key=root.output_key,
        revision=root.revision,
        parent=root,
        body=_body(body),
        author=user,
        author_label=_label(user),
    )


def resolve(*, user: User, comment_id: int) -> Comment:
    root = _root(user, comment_id)
    with transaction.atomic():
        Comment.objects.filter(pk=root.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by_label=_label(user)
        )
    root.refresh_from_db()
    return root


def reopen(*, user: User, comment_id: int) -> Comment:
    root = _root(user, comment_id)
    Comment.objects.filter(pk=root.pk).update(resolved_at=None, resolved_by_label="")
    root.refresh_from_db()
    return root


# --- reads --------------------------------------------------------------------------------------


@dataclass
class Thread:
    root: Comment
    replies: list[Comment]
    # Set when an open thread from an earlier revision is shown on this one.
    carried_from: int | None = None
    # For a carried passage: whether this revision still has the quoted words.
    passage_changed: bool | None = None
    # Where the quoted passage is in this revision's text, when it is still there.
    start: int | None = None
    end: int | None = None


def threads_for(output: Output) -> list[Thread]:
    """This output's threads, plus open ones from earlier revisions of the same deliverable."""
    key = output.key or output.step
    rows = list(
        Comment.objects.filter(
            job_id=output.job_id, output_key=key, revision__lte=output.revision
        ).order_by("created_at", "id")
    )
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id:
            replies.setdefault(row.parent_id, []).append(row)
    threads = []
    for root in rows:
        if root.parent_id:
            continue
        if root.revision < output.revision and root.is_resolved:
            continue  # settled on an earlier revision
        thread = Thread(root, replies.get(root.pk, []))
        if root.revision < output.revision:
            thread.carried_from = root.revision
            if root.anchor == AnchorKind.TEXT:
                start, end = locate(output.text, " ".join(root.quote.split()))
                thread.passage_changed = start < 0
                if start >= 0:
                    thread.start, thread.end = start, end
        elif root.anchor == AnchorKind.TEXT:
            thread.start, thread.end = root.start, root.end
        threads.append(thread)
    return threads
