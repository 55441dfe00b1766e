"""The one place job types are declared: a spec per type, and live views derived from them.

Adding a job type means adding a JobTypeSpec to SPECS below (with its schema, writer or
workflow in this package or jobs/workflows) and a choice on jobs.models.JobType; the system
check in jobs/job_types/checks.py refuses to start when the two disagree. The catalogue, the
validation, the writers, the workflows, the review policy, the forms and the API all read these
specs, so nothing else lists job types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set
from typing import Any, TypeVar

from . import schemas
from .schemas import DEFAULT_VISUAL_SIZES
from .spec import JobTypeSpec, outputs
from .writers import brand, content, seo, social, visual, voice, website

SINGLE_PURPOSE = "jobs.workflows.single_purpose"


def _visual_sizes(data: dict[str, Any]) -> dict[str, Any]:
    if "sizes" not in data:
        data["sizes"] = list(DEFAULT_VISUAL_SIZES.get(data.get("visualType", ""), ()))
    return data


def _bare_hashtags(data: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data.get("hashtags"), list):
        data["hashtags"] = [tag.lstrip("#") for tag in data["hashtags"]]
    return data


SPECS: tuple[JobTypeSpec, ...] = (
    JobTypeSpec(
        key="content",
        label="Content",
        description=(
            "Written marketing content: blog posts, emails, landing pages and case studies."
        ),
        icon="file-text",
        input_schema=schemas.CONTENT,
        output_types=outputs(
            ("blog_post", "Blog post"),
            ("email", "Email"),
            ("landing_page", "Landing page"),
            ("case_study", "Case study"),
        ),
        selector="contentType",
        writer=content.write,
        workflow=f"{SINGLE_PURPOSE}.write_only",
        write_label="Write the content",
        demo_inputs={"contentType": "blog_post", "topic": "Industry trends 2024"},
    ),
    JobTypeSpec(
        key="visual",
        label="Visual",
        description=(
            "Graphic assets in the brand's colours: banners, social images, infographics, logos."
        ),
        icon="image",
        input_schema=schemas.VISUAL,
        output_types=outputs(
            ("banner", "Banner"),
            ("social_image", "Social image"),
            ("infographic", "Infographic"),
            ("logo", "Logo mark"),
        ),
        selector="visualType",
        writer=visual.write,
        workflow=f"{SINGLE_PURPOSE}.copy_then_images",
        write_label="Write the image copy",
        prepare=_visual_sizes,
        demo_inputs={"visualType": "banner", "headline": "Summer sale is on"},
    ),
    JobTypeSpec(
        key="brand",
        label="Brand",
        description=(
            "Brand identity documents: guidelines, a voice guide and a messaging framework."
        ),
        icon="palette",
        input_schema=schemas.BRAND,
        output_types=outputs(
            ("guidelines", "Brand guidelines"),
            ("voice", "Brand voice"),
            ("messaging", "Messaging"),
        ),
        selector="brandType",
        writer=brand.write,
        workflow=f"{SINGLE_PURPOSE}.write_only",
        write_label="Write the brand document",
        high_impact=True,
        demo_inputs={"brandType": "guidelines"},
    ),
    JobTypeSpec(
        key="social",
        label="Social",
        description="Posts written for each platform's format, limits and hashtag habits.",
        icon="share-2",
        input_schema=schemas.SOCIAL,
        output_types=outputs(
            ("linkedin", "LinkedIn post"),
            ("twitter", "Twitter/X post"),
            ("facebook", "Facebook post"),
            ("instagram", "Instagram caption"),
        ),
        selector="platforms",
        writer=social.write,
        workflow=f"{SINGLE_PURPOSE}.write_only",
        write_label="Write the posts",
        prepare=_bare_hashtags,
        demo_inputs={"platforms": ["linkedin", "twitter"], "topic": "Our new opening hours"},
    ),
    JobTypeSpec(
        key="seo",
        label="SEO",
        description=(
            "Search optimisation: meta tags, content outlines, keyword maps and local SEO."
        ),
        icon="search",
        input_schema=schemas.SEO,
        output_types=outputs(
            ("meta_tags", "Meta tags"),
            ("outline", "Content outline"),
            ("keywords", "Keyword map"),
            ("local_seo", "Local SEO"),
        ),
        selector="seoType",
        writer=seo.write,
        workflow=f"{SINGLE_PURPOSE}.write_only",
        write_label="Write the SEO deliverables",
        demo_inputs={"seoType": "meta_tags", "topic": "Emergency plumbing"},
    ),
    JobTypeSpec(
        key="website",
        label="Website",
        description="Page copy for the core pages of a website.",
        icon="layout",
        input_schema=schemas.WEBSITE,
        output_types=outputs(
            ("home", "Home page"),
            ("about", "About page"),
            ("services", "Services page"),
            ("contact", "Contact page"),
        ),
        selector="pageType",
        writer=website.write,
        workflow=f"{SINGLE_PURPOSE}.write_only",
        write_label="Write the page copy",
        high_impact=True,
        demo_inputs={"pageType": "home"},
    ),
    JobTypeSpec(
        key="voice",
        label="Voice",
        description="Narration scripts with scene timing, ready to record or synthesise.",
        icon="mic",
        input_schema=schemas.VOICE,
        output_types=outputs(
            ("intro", "Intro script"),
            ("explainer", "Explainer script"),
            ("testimonial", "Testimonial script"),
            ("promo", "Promo script"),
        ),
        selector="scriptType",
        writer=voice.write,
        workflow=f"{SINGLE_PURPOSE}.script_then_narration",
        write_label="Write the script",
        demo_inputs={"scriptType": "explainer", "topic": "How our booking app works"},
    ),
    JobTypeSpec(
        key="video",
        label="Video",
        description=(
            "A short video planned from your treatment: storyboard, narration and an MP4 render."
        ),
        icon="film",
        input_schema=schemas.VIDEO,
        output_types=outputs(
            ("video", "Video"),
        ),
        workflow=f"{SINGLE_PURPOSE}.video",
        collapse_whitespace=False,  # a treatment's lines are its scenes
        demo_inputs={
            "treatment": schemas.EXAMPLE_TREATMENT,
            "durationSeconds": 30,
            "aspectRatio": "16:9",
        },
    ),
)

# The registry itself: tests add a spec with monkeypatch.setitem and every view below sees it.
JOB_TYPE_SPECS: dict[str, JobTypeSpec] = {spec.key: spec for spec in SPECS}

V = TypeVar("V")


def job_type_spec(key: str) -> JobTypeSpec:
    """The spec of a job type; KeyError naming the known types for an unknown one."""
    try:
        return JOB_TYPE_SPECS[key]
    except KeyError:
        raise KeyError(f"unknown job type {key!r}; known: {', '.join(JOB_TYPE_SPECS)}") from None


class SpecView(Mapping[str, V]):
    """A read-only mapping of job type to one attribute of its spec, read at each access.

    Live rather than built once, so a spec added to JOB_TYPE_SPECS (in a test, say) shows
    everywhere at once. Specs whose attribute is None are left out.
    """

    def __init__(self, attribute: Callable[[JobTypeSpec], V | None]) -> None:
        self._attribute = attribute

    def _items(self) -> dict[str, V]:
        found = {key: self._attribute(spec) for key, spec in JOB_TYPE_SPECS.items()}
        return {key: value for key, value in found.items() if value is not None}

    def __getitem__(self, key: str) -> V:
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class HighImpactTypes(Set[str]):
    """The job types whose work always needs an owner's sign-off, read at each access."""

    def _keys(self) -> set[str]:
        return {key for key, spec in JOB_TYPE_SPECS.items() if spec.high_impact}

    def __contains__(self, key: object) -> bool:
        return key in self._keys()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._keys()))

    def __len__(self) -> int:
        return len(self._keys())


INPUT_SCHEMAS: Mapping[str, dict[str, Any]] = SpecView(lambda spec: spec.input_schema)
SELECTOR_FIELDS: Mapping[str, str] = SpecView(lambda spec: spec.selector)
HIGH_IMPACT_TYPES: Set[str] = HighImpactTypes()
