"""Input JSON Schemas (draft 2020-12) for the built-in job types, one dict per type."""

from __future__ import annotations

from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"

TONES = ("professional", "friendly", "playful", "authoritative", "inspirational")
LENGTHS = ("short", "medium", "long")
PLATFORMS = ("linkedin", "twitter", "facebook", "instagram")
HASHTAG_PATTERN = r"^#?(?!\d+$)\w{1,30}$"

# Sizes each visual type may be rendered at, "WxH" in pixels; the first ones are the defaults.
VISUAL_SIZES: dict[str, tuple[str, ...]] = {
    "banner": ("1200x628", "728x90", "300x250", "1500x500"),
    "social_image": ("1080x1080", "1080x1350", "1080x1920", "1200x628"),
    "infographic": ("1080x1350", "1080x1920"),
    "logo": ("512x512", "1024x1024"),
}
DEFAULT_VISUAL_SIZES: dict[str, tuple[str, ...]] = {
    "banner": ("1200x628",),
    "social_image": ("1080x1080", "1080x1350"),
    "infographic": ("1080x1350",),
    "logo": ("512x512",),
}

WEBSITE_SECTIONS = (
    "hero",
    "intro",
    "benefits",
    "services",
    "process",
    "story",
    "mission",
    "values",
    "approach",
    "faq",
    "contact_details",
    "contact_form",
    "location",
    "cta",
)
DEFAULT_WEBSITE_SECTIONS: dict[str, tuple[str, ...]] = {
    "home": ("hero", "benefits", "services", "process", "cta"),
    "about": ("hero", "story", "mission", "values", "approach", "cta"),
    "services": ("hero", "services", "process", "faq", "cta"),
    "contact": ("hero", "contact_details", "contact_form", "location", "faq", "cta"),
}


def _text(
    title: str,
    description: str,
    *,
    min_length: int = 1,
    max_length: int = 200,
    examples: list[str] | None = None,
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "string",
        "title": title,
        "description": description,
        "minLength": min_length,
        "maxLength": max_length,
    }
    if examples:
        field["examples"] = examples
    return field


def _enum(
    title: str,
    description: str,
    values: tuple[str, ...],
    default: str | None = None,
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "string",
        "title": title,
        "description": description,
        "enum": list(values),
    }
    if default is not None:
        field["default"] = default
    field["examples"] = [default or values[0]]
    return field


def _strings(
    title: str,
    description: str,
    *,
    max_items: int,
    max_length: int = 80,
    examples: list[str] | None = None,
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "array",
        "title": title,
        "description": description,
        "items": {"type": "string", "minLength": 1, "maxLength": max_length},
        "maxItems": max_items,
        "uniqueItems": True,
    }
    if examples:
        field["examples"] = [examples]
    return field


def _tone(default: str = "professional") -> dict[str, Any]:
    return _enum("Tone", "How the writing should sound.", TONES, default)


def _topic(description: str, examples: list[str]) -> dict[str, Any]:
    return _text("Topic", description, min_length=3, max_length=200, examples=examples)


def _audience() -> dict[str, Any]:
    return _text(
        "Audience",
        "Who this is for; the brand profile's audience is used when left empty.",
        max_length=200,
        examples=["Small business owners"],
    )


def _cta(max_length: int = 120) -> dict[str, Any]:
    return _text(
        "Call to action",
        "What the reader should do next, e.g. 'Book a free consultation'.",
        max_length=max_length,
        examples=["Book a call with our team"],
    )


def _schema(
    job_type: str,
    title: str,
    description: str,
    properties: dict[str, Any],
    required: list[str],
    examples: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": f"urn:production-engine:job-type:{job_type}",
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "examples": examples,
        **extra,
    }


CONTENT = _schema(
    "content",
    "Written content",
    "Blog posts, emails, landing pages and case studies in the brand's voice.",
    {
        "contentType": _enum(
            "Content type",
            "Which piece of writing to produce.",
            ("blog_post", "email", "landing_page", "case_study"),
        ),
        "topic": _topic("What the piece is about.", ["Industry trends 2024"]),
        "tone": _tone(),
        "audience": _audience(),
        "length": _enum(
            "Length",
            "Rough length: a short blog post is about 400 words, medium 800, long 1400.",
            LENGTHS,
            "medium",
        ),
        "wordCount": {
            "type": "integer",
            "title": "Word count",
            "description": "An exact target word count; overrides Length when given.",
            "minimum": 150,
            "maximum": 3000,
            "examples": [1000],
        },
        "keywords": _strings(
            "Keywords",
            "Search terms to work into headings and copy.",
            max_items=10,
            examples=["market trends", "planning"],
        ),
        "callToAction": _cta(),
        "clientName": _text(
            "Client name",
            "For a case study: the customer whose story it tells, named as they should appear.",
            max_length=120,
            examples=["Acme Freight"],
        ),
    },
    ["contentType", "topic"],
    [
        {"contentType": "blog_post", "topic": "Industry trends 2024", "tone": "professional"},
        {
            "contentType": "email",
            "topic": "Spring product launch",
            "tone": "friendly",
            "length": "short",
            "callToAction": "See the new range",
        },
        {
            "contentType": "landing_page",
            "topic": "Bookkeeping for freelancers",
            "audience": "Freelance designers",
            "keywords": ["freelance bookkeeping"],
        },
        {"contentType": "case_study", "topic": "Moving a retailer online", "wordCount": 700},
    ],
)

_size_rules = [
    {
        "if": {"properties": {"visualType": {"const": kind}}, "required": ["visualType"]},
        "then": {"properties": {"sizes": {"items": {"enum": list(sizes)}}}},
    }
    for kind, sizes in VISUAL_SIZES.items()
]

VISUAL = _schema(
    "visual",
    "Visual assets",
    "Banners, social images, infographics and logo marks in the brand's colours.",
    {
        "visualType": _enum(
            "Visual type",
            "Which kind of image to produce.",
            ("banner", "social_image", "infographic", "logo"),
        ),
        "topic": _text(
            "Topic",
            "What the visual is about; used for the headline when none is given.",
            min_length=3,
            max_length=200,
            examples=["Summer sale"],
        ),
        "headline": _text(
            "Headline", "The main line of text.", max_length=80, examples=["Summer sale is on"]
        ),
        "subline": _text(
            "Subline",
            "A supporting line under the headline.",
            max_length=140,
            examples=["New arrivals every week"],
        ),
        "callToAction": _cta(max_length=30),
        "sizes": {
            "type": "array",
            "title": "Sizes",
            "description": (
                "Pixel sizes as WxH. Banners: 1200x628, 728x90, 300x250, 1500x500. "
                "Social images: 1080x1080, 1080x1350, 1080x1920, 1200x628. "
                "Infographics: 1080x1350, 1080x1920. Logos: 512x512, 1024x1024."
            ),
            "items": {"type": "string", "pattern": "^[0-9]{2,4}x[0-9]{2,4}$"},
            "minItems": 1,
            "maxItems": 4,
            "uniqueItems": True,
            "examples": [["1200x628", "300x250"]],
        },
        "data": {
            "type": "array",
            "title": "Chart data",
            "description": "Figures for an infographic's chart, as you want them shown.",
            "items": {
                "type": "object",
                "title": "Data point",
                "properties": {
                    "label": _text("Label", "What the figure measures.", max_length=40),
                    "value": {"type": "number", "title": "Value", "description": "The figure."},
                    "prefix": _text("Prefix", "A sign before the figure, e.g. $.", max_length=3),
                    "unit": _text("Unit", "A unit after the figure, e.g. % or hrs.", max_length=8),
                },
                "required": ["label", "value"],
                "additionalProperties": False,
            },
            "minItems": 2,
            "maxItems": 12,
            "examples": [[{"label": "2023", "value": 120}, {"label": "2024", "value": 180}]],
        },
        "style": _enum(
            "Style",
            "The overall look.",
            ("modern", "bold", "minimal", "classic"),
            "modern",
        ),
    },
    ["visualType"],
    [
        {"visualType": "banner", "headline": "Summer sale is on", "sizes": ["1200x628"]},
        {"visualType": "social_image", "topic": "New opening hours", "sizes": ["1080x1080"]},
        {
            "visualType": "infographic",
            "headline": "Orders by quarter",
            "data": [{"label": "Q1", "value": 40}, {"label": "Q2", "value": 55}],
        },
        {"visualType": "logo", "style": "minimal"},
    ],
    allOf=[
        *_size_rules,
        {
            "if": {
                "properties": {"visualType": {"const": "infographic"}},
                "required": ["visualType"],
            },
            "then": {"required": ["data"]},
        },
    ],
)

BRAND = _schema(
    "brand",
    "Brand identity",
    "Brand guidelines, a voice guide or a messaging framework built from the brand profile.",
    {
        "brandType": _enum(
            "Brand document", "Which document to produce.", ("guidelines", "voice", "messaging")
        ),
        "focus": _text(
            "Focus",
            "Anything the document should pay particular attention to.",
            max_length=200,
            examples=["Launching in a new market"],
        ),
        "audience": _audience(),
        "values": _strings(
            "Values",
            "Brand values; the brand profile's values are used when left empty.",
            max_items=8,
            max_length=60,
            examples=["clarity", "care"],
        ),
    },
    ["brandType"],
    [{"brandType": "guidelines"}, {"brandType": "messaging", "values": ["clarity", "care"]}],
)

SOCIAL = _schema(
    "social",
    "Social media posts",
    "Posts written for each platform's format and limits.",
    {
        "platforms": {
            "type": "array",
            "title": "Platforms",
            "description": "Where the posts will be published.",
            "items": {"type": "string", "enum": list(PLATFORMS)},
            "minItems": 1,
            "uniqueItems": True,
            "examples": [["linkedin", "twitter"]],
        },
        "topic": _topic("What the posts are about.", ["Our new opening hours"]),
        "tone": _tone("friendly"),
        "hashtags": {
            "title": "Hashtags",
            "description": "How many hashtags per post (0 to 10), or the exact hashtags to use.",
            "oneOf": [
                {"type": "integer", "minimum": 0, "maximum": 10},
                {
                    "type": "array",
                    # Letters of any script, digits and _, as the platforms link them;
                    # a tag of digits only is not linked, so it is refused.
                    "items": {"type": "string", "pattern": HASHTAG_PATTERN},
                    "maxItems": 10,
                    "uniqueItems": True,
                },
            ],
            "default": 3,
            "examples": [3, ["SmallBusiness", "Leeds", "café", "北风", "2024Launch"]],
            "x-error": "Must be a whole number from 0 to 10, or a list of up to 10 hashtags.",
            "x-item-error": (
                "“{value}” is not a hashtag the platforms link: use letters (any language), "
                "digits and _ only, no spaces or punctuation, at most 30 characters, "
                "and not digits alone."
            ),
        },
        "includeEmoji": {
            "type": "boolean",
            "title": "Include emoji",
            "description": "Whether posts may use a few emoji.",
            "default": False,
            "examples": [True],
        },
        "postsPerPlatform": {
            "type": "integer",
            "title": "Posts per platform",
            "description": "How many different posts to write for each platform.",
            "minimum": 1,
            "maximum": 7,
            "default": 1,
            "examples": [3],
        },
        "callToAction": _cta(max_length=80),
    },
    ["platforms", "topic"],
    [
        {"platforms": ["linkedin", "twitter"], "topic": "Our new opening hours"},
        {
            "platforms": ["instagram"],
            "topic": "Behind the scenes at the bakery",
            "hashtags": 8,
            "includeEmoji": True,
            "postsPerPlatform": 3,
        },
    ],
)

SEO = _schema(
    "seo",
    "Search optimisation",
    "Meta tags, content outlines, keyword maps and local SEO copy.",
    {
        "seoType": _enum(
            "SEO deliverable",
            "Which search deliverable to produce.",
            ("meta_tags", "outline", "keywords", "local_seo"),
        ),
        "topic": _topic("The page or subject to optimise for.", ["Emergency plumbing"]),
        "url": {
            "type": "string",
            "title": "Page URL",
            "description": "The page the tags are for, used as the canonical address.",
            "format": "uri",
            "pattern": "^https?://[^\\s]+$",
            "maxLength": 300,
            "examples": ["https://northwind.example/services/plumbing"],
            "x-error": "Must be a web address starting with http:// or https://.",
        },
        "keywords": _strings(
            "Keywords",
            "Seed keywords to build on.",
            max_items=20,
            examples=["emergency plumber", "boiler repair"],
        ),
        "location": _text(
            "Location",
            "Town, city or area served; required for local SEO.",
            max_length=120,
            examples=["Leeds"],
        ),
        "businessCategory": _text(
            "Business category",
            "What kind of business this is, e.g. 'plumber' or 'dental clinic'.",
            max_length=80,
            examples=["Plumber"],
        ),
        "audience": _audience(),
    },
    ["seoType", "topic"],
    [
        {
            "seoType": "meta_tags",
            "topic": "Emergency plumbing",
            "url": "https://northwind.example/",
        },
        {"seoType": "keywords", "topic": "Emergency plumbing", "keywords": ["boiler repair"]},
        {
            "seoType": "local_seo",
            "topic": "Emergency plumbing",
            "location": "Leeds",
            "businessCategory": "Plumber",
        },
    ],
    allOf=[
        {
            "if": {"properties": {"seoType": {"const": "local_seo"}}, "required": ["seoType"]},
            "then": {"required": ["location"]},
        }
    ],
)

WEBSITE = _schema(
    "website",
    "Website copy",
    "Page copy for a home, about, services or contact page.",
    {
        "pageType": _enum("Page", "Which page to write.", ("home", "about", "services", "contact")),
        "sections": {
            "type": "array",
            "title": "Sections",
            "description": "Sections to include, in order; each page type has a sensible default.",
            "items": {"type": "string", "enum": list(WEBSITE_SECTIONS)},
            "minItems": 1,
            "maxItems": 10,
            "uniqueItems": True,
            "examples": [["hero", "services", "cta"]],
        },
        "services": _strings(
            "Services",
            "The services to describe, by name.",
            max_items=12,
            examples=["Boiler repair", "Bathroom fitting"],
        ),
        "tone": _tone(),
        "audience": _audience(),
        "callToAction": _cta(max_length=80),
    },
    ["pageType"],
    [
        {"pageType": "home"},
        {"pageType": "services", "services": ["Boiler repair", "Bathroom fitting"]},
    ],
)

VOICE = _schema(
    "voice",
    "Voice scripts",
    "Narration scripts with scene timing marks, paced for the requested duration.",
    {
        "scriptType": _enum(
            "Script type",
            "Which kind of script to write.",
            ("intro", "explainer", "testimonial", "promo"),
        ),
        "topic": _topic("What the script is about.", ["How our booking app works"]),
        "durationSeconds": {
            "type": "integer",
            "title": "Duration (seconds)",
            "description": "Running time of the narration.",
            "minimum": 10,
            "maximum": 300,
            "default": 60,
            "examples": [30],
        },
        "voice": _enum(
            "Voice",
            "The delivery the narrator should aim for.",
            ("warm", "energetic", "calm", "authoritative"),
            "warm",
        ),
        "speakerName": _text(
            "Speaker name",
            "Who reads the script; the narrator when left empty.",
            max_length=60,
            examples=["Sam"],
        ),
        "tone": _tone(),
        "callToAction": _cta(max_length=80),
    },
    ["scriptType", "topic"],
    [
        {"scriptType": "explainer", "topic": "How our booking app works", "durationSeconds": 60},
        {
            "scriptType": "promo",
            "topic": "Spring offer",
            "durationSeconds": 30,
            "voice": "energetic",
        },
    ],
)

EXAMPLE_TREATMENT = """# Cold brew launch: a 30-second spot

Tone: friendly
Audience: busy commuters

## Scene 1: Hook (0:00-0:05)
Visual: Close-up of ice dropping into a glass of cold brew.
VO: Mornings move fast. Your coffee should keep up.
On-screen text: New: Northwind Cold Brew

## Scene 2: The product (0:05-0:18)
Visual: A barista pours cold brew over ice at the counter.
VO: Steeped for eighteen hours, smooth, never bitter.

## Scene 3: Call to action (0:18-0:30)
Visual: The Northwind logo on a warm brown background.
VO: Find it in every Northwind cafe from Monday.
On-screen text: Order ahead in the app
Music: light acoustic guitar
"""

VIDEO = _schema(
    "video",
    "Video",
    "A short video planned from a treatment: storyboard, narration and an MP4 render.",
    {
        "treatment": {
            "type": "string",
            "title": "Treatment",
            "description": (
                "The video scene by scene: a heading per scene (with its time if you know it), "
                "then lines starting Visual:, VO: (narration), On-screen text: and Music:. "
                "Use the example to see the shape."
            ),
            "minLength": 10,
            "maxLength": 200000,
            "examples": [EXAMPLE_TREATMENT],
        },
        "durationSeconds": {
            "type": "integer",
            "title": "Duration (seconds)",
            "description": "Length of the finished video, 5 to 600 seconds; scenes are timed to fit.",
            "minimum": 5,
            "maximum": 600,
            "default": 30,
        },
        "aspectRatio": {
            "type": "string",
            "title": "Aspect ratio",
            "description": (
                "Frame shape: 16:9 for YouTube and the web, 9:16 for stories, reels and TikTok, "
                "1:1 or 4:5 for feeds. Smart Auto picks it from the platform."
            ),
            "enum": ["Smart Auto", "16:9", "9:16", "1:1", "4:5"],
            "default": "Smart Auto",
        },
        "platform": {
            "type": "string",
            "title": "Platform",
            "description": "Where it will be published; sets the frame size and pacing.",
            "enum": [
                "youtube",
                "web",
                "linkedin",
                "tiktok",
                "reels",
                "shorts",
                "instagram",
                "instagram_story",
            ],
            "default": "web",
        },
        "tone": {
            "type": "string",
            "title": "Tone",
            "description": "How the narration and music should feel.",
            "enum": ["professional", "friendly", "playful", "authoritative", "inspirational"],
            "default": "professional",
        },
        "language": {
            "type": "string",
            "title": "Language",
            "description": "Language code of the narration, e.g. en, es, de.",
            "default": "en",
            "maxLength": 10,
        },
        "resolution": {
            "type": "string",
            "title": "Resolution",
            "description": "720p, or 1080p for a sharper (and slower to render) video.",
            "enum": ["720p", "1080p"],
            "default": "720p",
        },
        "burnCaptions": {
            "type": "boolean",
            "title": "Burn in captions",
            "description": (
                "Draw the narration's captions into the picture. SRT and WebVTT caption "
                "files are delivered either way."
            ),
            "default": False,
        },
    },
    ["treatment"],
    [{"treatment": EXAMPLE_TREATMENT, "durationSeconds": 30, "aspectRatio": "16:9"}],
)
