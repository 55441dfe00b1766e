"""After a review decided output by output, the next revision remakes only what was sent back:
approved outputs are kept as they were (same bytes), a step whose every output is kept is not
run again, and changes asked of the whole job remake everything."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from approvals import services
from approvals.output_decisions import decide_output
from approvals.review import kept_outputs
from jobs.engine import kept
from jobs.inline import run_inline
from jobs.models import Output, ProductionJob, Status, StepRun
from jobs.workflows.base import Step, StepContext
from tests.factories import produce

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = ["300x250", "728x90", "1200x628"]


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def banners(acme) -> ProductionJob:
    job = produce(
        acme,
        job_type="visual",
        title="Cold brew banners",
        inputs={"visualType": "banner", "headline": "Slow-steeped cold brew", "sizes": SIZES},
    )
    assert job.status == Status.REVIEW
    return job


def outputs_of(job: ProductionJob, revision: int) -> dict[tuple[str, str], Output]:
    return {(o.step, o.key): o for o in Output.objects.filter(job=job, revision=revision)}


def decide_each(job: ProductionJob, reviewer, sent_back: dict[tuple[str, str], str]) -> None:
    request = services.pending_request_for(job)
    for (step, key), output in outputs_of(job, job.revision).items():
        note = sent_back.get((step, key), "")
        decide_output(
            request_id=request.pk,
            output_id=output.pk,
            user=reviewer,
            decision="request_changes" if note else "approve",
            feedback=note,
        )


def test_only_the_banner_sent_back_is_made_again(acme, rita, media_root):
    job = banners(acme)
    first = outputs_of(job, 1)
    decide_each(job, rita, {("render", "banner_300x250"): "Keep “Slow-steeped” on one line."})

    job.refresh_from_db()
    assert job.revision == 2 and job.status == Status.QUEUED
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == Status.REVIEW
    second = outputs_of(job, 2)
    assert set(second) == set(first)
    for key in ("banner_728x90", "banner_1200x628"):
        for step in ("copy", "render"):
            new, old = second[(step, key)], first[(step, key)]
            assert new.metadata["kept_from"] == {"revision": 1, "output_id": old.pk}
            assert (new.checksum, new.text, new.title) == (old.checksum, old.text, old.title)
    # Kept images are the same bytes, stored under the new revision's own names.
    kept_image = second[("render", "banner_728x90")]
    assert (
        "/r2/" in kept_image.file.name
        and kept_image.file.name != first[("render", "banner_728x90")].file.name
    )
    assert kept_image.file.read() == first[("render", "banner_728x90")].file.read()
    # The banner sent back, and the copy it is made from, are made again.
    for step in ("copy", "render"):
        assert "kept_from" not in second[(step, "banner_300x250")].metadata
    notes = dict(StepRun.objects.filter(job=job, revision=2).values_list("step", "note"))
    assert "Kept 2 outputs approved in revision 1 as they were." in notes["copy"]
    assert "Kept 2 outputs approved in revision 1 as they were." in notes["render"]


def test_changes_asked_of_the_whole_job_remake_everything(acme, rita, media_root):
    job = banners(acme)
    services.job_decide(
        job=job, user=rita, decision="request_changes", feedback="Warmer colours everywhere."
    )
    job.refresh_from_db()
    assert kept_outputs(job) == {}
    run_inline(job.pk)
    assert not any("kept_from" in o.metadata for o in outputs_of(job, 2).values())


def test_a_review_decided_only_in_part_keeps_nothing(acme, rita, media_root):
    job = banners(acme)
    request = services.pending_request_for(job)
    one = outputs_of(job, 1)[("render", "banner_728x90")]
    decide_output(request_id=request.pk, output_id=one.pk, user=rita, decision="approve")
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Redo all.")
    job.refresh_from_db()
    assert kept_outputs(job) == {}


# --- which step keeps what ----------------------------------------------------------------------


def made(job: ProductionJob, step: str, key: str, item: int = 0, **extra) -> Output:
    return Output.objects.create(
        job=job, step=step, key=key, item=item, revision=1, kind="text", text=key, **extra
    )


STEPS = [
    Step("copy", "Copy"),
    Step("render", "Render", depends_on=("copy",)),
    Step("music", "Music"),
]


def test_a_step_whose_every_output_is_kept_is_not_run_again(acme, media_root):
    job = produce(acme)
    ProductionJob.objects.filter(pk=job.pk).update(revision=2)
    job.refresh_from_db()
    copy, image, _sent_back = (
        made(job, "copy", "spec"),
        made(job, "render", "png"),
        made(job, "music", "bed"),
    )
    approved = {("copy", "spec"): copy, ("render", "png"): image}  # the music was sent back

    assert kept.for_step(job, approved, STEPS, "copy") == ({"spec": copy}, True)
    assert kept.for_step(job, approved, STEPS, "render") == ({"png": image}, True)
    assert kept.for_step(job, approved, STEPS, "music") == ({}, False)


def test_an_approved_output_is_remade_when_its_item_is_remade_along_its_chain(acme, media_root):
    job = produce(acme)
    ProductionJob.objects.filter(pk=job.pk).update(revision=2)
    job.refresh_from_db()
    spec0, spec1 = made(job, "copy", "a", 0), made(job, "copy", "b", 1)
    png0, png1 = made(job, "render", "a", 0), made(job, "render", "b", 1)
    approved = {("copy", "a"): spec0, ("copy", "b"): spec1, ("render", "b"): png1}
    # png0 was sent back: its copy is written again; item 1 is kept on both steps.
    assert kept.for_step(job, approved, STEPS, "copy") == ({"b": spec1}, False)
    assert kept.for_step(job, approved, STEPS, "render") == ({"b": png1}, False)
    # New copy sent back upstream means a new picture, even if the picture was approved.
    approved = {("copy", "b"): spec1, ("render", "a"): png0, ("render", "b"): png1}
    assert kept.for_step(job, approved, STEPS, "render") == ({"b": png1}, False)


def test_keep_all_copies_files_and_falls_back_when_one_is_gone(acme, media_root):
    job = produce(acme)
    ProductionJob.objects.filter(pk=job.pk).update(revision=2)
    job.refresh_from_db()
    name = default_storage.save("outputs/x/r1/render-0-banner.png", ContentFile(b"\x89PNG..."))
    image = made(job, "render", "png", file=name, mime_type="image/png")
    image.kind = "image"
    context = StepContext(job=job, step=STEPS[1], step_run=None, feedback=[], upstream={})  # type: ignore[arg-type]

    assert kept.keep_all(context, {"png": image}) is True
    (copy,) = context.outputs
    assert (copy.content, copy.filename, copy.key) == (b"\x89PNG...", "banner.png", "png")
    assert context.note == ("Not run again: its output approved in revision 1 is kept as it was.")

    default_storage.delete(name)
    again = StepContext(job=job, step=STEPS[1], step_run=None, feedback=[], upstream={})  # type: ignore[arg-type]
    assert kept.keep_all(again, {"png": image}) is False and again.outputs == []


def test_the_review_page_marks_what_was_kept(client, acme, rita, media_root):
    from django.urls import reverse

    from tests.factories import login

    job = banners(acme)
    decide_each(job, rita, {("render", "banner_300x250"): "Keep “Slow-steeped” on one line."})
    run_inline(job.pk)
    request = services.pending_request_for(job)
    login(client, rita)
    page = client.get(reverse("reviews:review", args=[request.pk])).content.decode()
    assert page.count("Kept as approved in revision 1") == 4
