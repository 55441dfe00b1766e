"""What each job type is called, what it can produce and how it is shown on the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from .schemas import SELECTOR_FIELDS


@dataclass(frozen=True)
class OutputType:
    """One thing a client can order within a job type."""

    key: str
    label: str


@dataclass(frozen=True)
class JobTypeInfo:
    """Display and routing metadata for one job type."""

    key: str
    label: str
    description: str
    output_types: tuple[OutputType, ...]
    high_impact: bool
    icon: str
    selector: str

    def output_label(self, key: str) -> str:
        for output in self.output_types:
            if output.key == key:
                return output.label
        raise KeyError(key)


def _info(
    key: str,
    label: str,
    description: str,
    outputs: list[tuple[str, str]],
    icon: str,
    *,
    high_impact: bool = False,
) -> JobTypeInfo:
    return JobTypeInfo(
        key=key,
        label=label,
        description=description,
        output_types=tuple(OutputType(k, v) for k, v in outputs),
        high_impact=high_impact,
        icon=icon,
        selector=SELECTOR_FIELDS[key],
    )


JOB_TYPES: dict[str, JobTypeInfo] = {
    info.key: info
    for info in (
        _info(
            "content",
            "Content",
            "Written marketing content: blog posts, emails, landing pages and case studies.",
            [
                ("blog_post", "Blog post"),
                ("email", "Email"),
                ("landing_page", "Landing page"),
                ("case_study", "Case study"),
            ],
            "file-text",
        ),
        _info(
            "visual",
            "Visual",
            "Graphic assets in the brand's colours: banners, social images, infographics, logos.",
            [
                ("banner", "Banner"),
                ("social_image", "Social image"),
                ("infographic", "Infographic"),
                ("logo", "Logo mark"),
            ],
            "image",
        ),
        _info(
            "brand",
            "Brand",
            "Brand identity documents: guidelines, a voice guide and a messaging framework.",
            [
                ("guidelines", "Brand guidelines"),
                ("voice", "Brand voice"),
                ("messaging", "Messaging"),
            ],
            "palette",
            high_impact=True,
        ),
        _info(
            "social",
            "Social",
            "Posts written for each platform's format, limits and hashtag habits.",
            [
                ("linkedin", "LinkedIn post"),
                ("twitter", "Twitter/X post"),
                ("facebook", "Facebook post"),
                ("instagram", "Instagram caption"),
            ],
            "share-2",
        ),
        _info(
            "seo",
            "SEO",
            "Search optimisation: meta tags, content outlines, keyword maps and local SEO.",
            [
                ("meta_tags", "Meta tags"),
                ("outline", "Content outline"),
                ("keywords", "Keyword map"),
                ("local_seo", "Local SEO"),
            ],
            "search",
        ),
        _info(
            "website",
            "Website",
            "Page copy for the core pages of a website.",
            [
                ("home", "Home page"),
                ("about", "About page"),
                ("services", "Services page"),
                ("contact", "Contact page"),
            ],
            "layout",
            high_impact=True,
        ),
        _info(
            "voice",
            "Voice",
            "Narration scripts with scene timing, ready to record or synthesise.",
            [
                ("intro", "Intro script"),
                ("explainer", "Explainer script"),
                ("testimonial", "Testimonial script"),
                ("promo", "Promo script"),
            ],
            "mic",
        ),
    )
}


def output_types_for(job_type: str) -> tuple[OutputType, ...]:
    """The outputs a client can order for a job type; KeyError for an unknown type."""
    return JOB_TYPES[job_type].output_types
