"""The built-in writers: every deliverable respects its medium, the brand and the feedback."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs.job_types import (
    INPUT_SCHEMAS,
    VISUAL_SIZES,
    WRITERS,
    BrandProfile,
    Deliverable,
    validate_inputs,
    write_deliverables,
)
from jobs.job_types.writers.common import (
    contract,
    find_forbidden,
    fit,
    interpret_feedback,
    word_count,
)
from jobs.job_types.writers.content import TARGET_WORDS
from jobs.job_types.writers.social import PLATFORMS, twitter_length

FACTS = [
    "Northwind Studio has served clients in Leeds since 2012.",
    "Our planning workshops run for two hours.",
]
BRAND = BrandProfile.from_dict(
    {
        "name": "Northwind Studio",
        "voice": "warm, direct",
        "tone": "friendly",
        "colors": ["#1f4e79", "F2A541", "#abc"],
        "audience": "small business owners",
        "tagline": "Design that explains itself",
        "values": ["clarity", "care"],
        "website": "northwind.example",
        "industry": "brand design",
        "location": "Leeds",
    },
    verified_facts=FACTS,
)
BARE = BrandProfile.from_dict({})

TOPICS = (
    "Industry trends 2024",
    "Spring product launch",
    "Bookkeeping for freelancers",
    "Our new opening hours",
    "SEO",
    "Emergency plumbing",
    "Remote team onboarding",
    "Garden design ideas for small urban spaces",
    "How independent cafes can plan a seasonal menu that regulars look forward to every year "
    "while keeping waste low and suppliers local",
)
PHRASES = (
    "Book a call with our team",
    "Small business owners",
    "Launching in a new market",
    "Freelance designers",
    "See the new range",
    "Sam",
    "Parents of young children",
)
WORDS = ("planning", "budget", "local shops", "online booking", "customer service", "design")
TAGS = ("Leeds", "SmallBusiness", "Design", "Coffee", "Spring2025")
FORBIDDEN_DATA_KEYS = {"hashtags"}


# --- strategies built from the schemas -----------------------------------------------------


def _text(field: dict[str, Any], name: str) -> st.SearchStrategy[str]:
    low, high = field.get("minLength", 0), field.get("maxLength", 10_000)
    pool = TOPICS if name in {"topic", "focus"} else PHRASES + TOPICS
    if name == "url":
        return st.sampled_from(["https://northwind.example/", "https://northwind.example/services"])
    if name == "location":
        return st.sampled_from(["Leeds", "Bristol", "Glasgow"])
    return st.sampled_from([p for p in pool if low <= len(p) <= high])


def _field(field: dict[str, Any], name: str) -> st.SearchStrategy[Any]:
    if "enum" in field:
        return st.sampled_from(field["enum"])
    if "oneOf" in field:  # hashtags: a count or a list
        return st.one_of(
            st.integers(0, 10), st.lists(st.sampled_from(TAGS), max_size=5, unique=True)
        )
    kind = field.get("type")
    if kind == "string":
        return _text(field, name)
    if kind == "integer":
        return st.integers(field.get("minimum", 0), field.get("maximum", 100))
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = field["items"]
        low, high = field.get("minItems", 0), min(field.get("maxItems", 4), 4)
        if "enum" in items:
            return st.lists(
                st.sampled_from(items["enum"]), min_size=low, max_size=high, unique=True
            )
        if items.get("type") == "object":
            point = st.fixed_dictionaries(
                {
                    "label": st.sampled_from(["Q1", "Q2", "Q3", "Q4", "North"]),
                    "value": st.integers(0, 500) | st.floats(0, 500, allow_nan=False),
                }
            )
            return st.lists(point, min_size=max(low, 2), max_size=high)
        return st.lists(st.sampled_from(WORDS), min_size=low, max_size=high, unique=True)
    raise AssertionError(f"no strategy for {name}: {field}")


@st.composite
def job_inputs(draw: st.DrawFn, job_type: str) -> dict[str, Any]:
    schema = INPUT_SCHEMAS[job_type]
    props = schema["properties"]
    required = {n: _field(props[n], n) for n in schema["required"]}
    optional = {n: _field(f, n) for n, f in props.items() if n not in schema["required"]}
    data = draw(st.fixed_dictionaries(required, optional=optional))
    if job_type == "visual":
        allowed = VISUAL_SIZES[data["visualType"]]
        data["sizes"] = draw(
            st.lists(st.sampled_from(allowed), min_size=1, max_size=3, unique=True)
        )
        if data["visualType"] == "infographic" and "data" not in data:
            data["data"] = draw(_field(props["data"], "data"))
    if job_type == "seo":
        data["location"] = draw(_text(props["location"], "location"))
    return data


any_job = st.sampled_from(sorted(WRITERS)).flatmap(
    lambda job_type: st.tuples(st.just(job_type), job_inputs(job_type))
)


def write(job_type: str, data: dict[str, Any], brand: BrandProfile = BRAND, **kw: Any):
    return write_deliverables(job_type, validate_inputs(job_type, data), brand, **kw)


def one(job_type: str, data: dict[str, Any], brand: BrandProfile = BRAND, **kw: Any) -> Deliverable:
    [deliverable] = write(job_type, data, brand, **kw)
    return deliverable


def strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in FORBIDDEN_DATA_KEYS:
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, flags=re.M)


def hashtags_in(text: str) -> list[str]:
    return re.findall(r"(?<![\w#])#[A-Za-z]\w*", text)


EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
MARK = re.compile(r"^\[(\d+):(\d\d)-(\d+):(\d\d)\] ([A-Z][A-Z :]+)$", re.M)
LEFTOVER = re.compile(r"\{[A-Za-z_]+\}|\[insert|lorem|TODO|TBD|\bnan\b")


# --- properties over many valid inputs -----------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(job=any_job, brand=st.sampled_from([BRAND, BARE]))
def test_it_writes_clean_deliverables_for_any_valid_input(job, brand):
    job_type, data = job
    deliverables = write(job_type, data, brand)
    assert deliverables
    assert len({d.key for d in deliverables}) == len(deliverables)
    for d in deliverables:
        everything = [d.title, d.text, *strings(d.data)]
        for text in everything:
            assert not find_forbidden(text), (d.key, find_forbidden(text))
            assert not LEFTOVER.search(text), (d.key, LEFTOVER.search(text))
            assert not re.search(r"\d\s?%", text), d.key
        assert d.text.strip() and d.title.strip()
        assert d.metadata["word_count"] == word_count(d.text)
        assert d.metadata["revision"] == 1
        json.dumps(d.to_dict())  # storable as JSON


@settings(max_examples=40, deadline=None)
@given(job=any_job)
def test_it_writes_the_same_deliverables_for_the_same_input(job):
    job_type, data = job
    first = [d.to_dict() for d in write(job_type, data)]
    assert first == [d.to_dict() for d in write(job_type, data)]


def test_it_varies_wording_between_topics():
    a = one("content", {"contentType": "blog_post", "topic": "Spring product launch"})
    b = one("content", {"contentType": "blog_post", "topic": "Remote team onboarding"})
    assert a.text.replace("spring product launch", "") != b.text.replace(
        "remote team onboarding", ""
    )


# --- content -------------------------------------------------------------------------------


@pytest.mark.parametrize("length", ["short", "medium", "long"])
@pytest.mark.parametrize("kind", sorted(TARGET_WORDS))
def test_it_records_the_target_length_without_padding_the_draft_to_it(length, kind):
    # The built-in writer arranges what the brief says; it never fills a piece up to length.
    piece = one("content", {"contentType": kind, "topic": "Industry trends 2024", "length": length})
    assert piece.metadata["target_words"] == TARGET_WORDS[kind][length]
    assert piece.metadata["word_count"] < piece.metadata["target_words"]
    assert piece.metadata["draft_source"] == "built-in writer"


@settings(max_examples=10, deadline=None)
@given(words=st.integers(150, 3000), topic=st.sampled_from(TOPICS))
def test_it_records_an_exact_word_count_as_the_target(words, topic):
    post = one("content", {"contentType": "blog_post", "topic": topic, "wordCount": words})
    assert post.metadata["target_words"] == words


def test_it_structures_a_blog_post_with_title_intro_sections_conclusion_and_cta():
    post = one(
        "content",
        {
            "contentType": "blog_post",
            "topic": "Industry trends 2024",
            "keywords": ["market trends", "planning"],
            "callToAction": "Book a planning call",
        },
        description="Retail footfall in Leeds rose this spring. Market trends point to smaller "
        "shops. Planning early helps with stock.",
    )
    assert headings(post.text, 1) == ["Industry Trends 2024"]
    h2 = headings(post.text, 2)
    assert len(h2) >= 3
    intro = post.text.split("\n## ")[0].split("\n", 1)[1]
    assert "Retail footfall in Leeds rose this spring." in intro
    assert "Market trends" in h2 and "Planning" in h2
    assert "Market trends point to smaller shops." in post.text
    conclusion = post.text.split(f"## {h2[-1]}")[1]
    assert "Book a planning call." in conclusion
    assert post.data["cta"] == "Book a planning call."
    assert post.data["headings"] == h2


def test_it_mentions_a_relevant_verified_fact_word_for_word():
    post = one("content", {"contentType": "blog_post", "topic": "Planning workshops"})
    assert FACTS[1] in post.text
    assert post.metadata["facts_used"][0] == FACTS[1]


def test_it_makes_no_numeric_claims_without_verified_facts():
    for content_type in ("blog_post", "email", "case_study"):
        text = one(
            "content", {"contentType": content_type, "topic": "Garden design ideas"}, BARE
        ).text
        assert not re.search(r"\d", text), content_type
    for post in write(
        "social",
        {"platforms": ["linkedin", "twitter"], "topic": "Garden design", "postsPerPlatform": 7},
        BARE,
    ):
        assert not re.search(r"\d", post.text)


@pytest.mark.parametrize("topic", TOPICS)
def test_it_writes_an_email_with_subject_preheader_body_and_cta(topic):
    email = one(
        "content",
        {
            "contentType": "email",
            "topic": topic,
            "tone": "friendly",
            "callToAction": "See the new range",
        },
    )
    parts = email.data
    assert 0 < len(parts["subject"]) <= 60
    assert 0 < len(parts["preheader"]) <= 100
    assert parts["cta"] == "See the new range."
    assert parts["body"].startswith("Hi there,")
    assert "See the new range." in parts["body"]
    assert parts["body"].rstrip().endswith("The Northwind Studio team")
    assert f"**Subject:** {parts['subject']}" in email.text


def test_it_writes_a_landing_page_with_hero_points_about_and_cta():
    page = one(
        "content",
        {"contentType": "landing_page", "topic": "Bookkeeping for freelancers"},
        description="We file your quarterly returns. A named bookkeeper answers within a day. "
        "Plans start at 40 pounds a month.",
    )
    assert headings(page.text, 1) == ["Bookkeeping for Freelancers"]
    assert page.data["hero"]["subheadline"] == "We file your quarterly returns."
    assert {"Key points", "About Northwind Studio", "Next step"} <= set(headings(page.text, 2))
    assert "- Plans start at 40 pounds a month." in page.text
    assert page.data["hero"]["cta"] in page.text.split("## Next step")[1]


def test_it_bases_case_study_results_on_verified_facts_only():
    with_facts = one("content", {"contentType": "case_study", "topic": "Planning workshops"})
    assert {"The challenge", "The solution", "The results"} <= set(headings(with_facts.text, 2))
    results = with_facts.text.split("## The results")[1].split("\n## ")[0]
    assert FACTS[1] in results
    assert with_facts.metadata["results_source"] == "verified_facts"

    without = one("content", {"contentType": "case_study", "topic": "Planning workshops"}, BARE)
    results = without.text.split("## The results")[1].split("\n## ")[0]
    assert without.metadata["results_source"] == "qualitative"
    assert not re.search(r"\d", results)


# --- social --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(0, 10),
    posts=st.integers(1, 7),
    topic=st.sampled_from(TOPICS),
    emoji=st.booleans(),
    tone=st.sampled_from(["professional", "friendly", "playful"]),
)
def test_it_keeps_every_post_within_its_platform_limit_with_the_exact_hashtag_count(
    count, posts, topic, emoji, tone
):
    deliverables = write(
        "social",
        {
            "platforms": list(PLATFORMS),
            "topic": topic,
            "hashtags": count,
            "postsPerPlatform": posts,
            "includeEmoji": emoji,
            "tone": tone,
        },
    )
    assert len(deliverables) == 4 * posts
    for post in deliverables:
        platform = post.data["platform"]
        assert post.key.startswith(f"{platform}_post_")
        length = twitter_length(post.text) if platform == "twitter" else len(post.text)
        assert length <= PLATFORMS[platform]["limit"]
        assert post.metadata["length"] == length
        assert len(hashtags_in(post.text)) == count
        assert bool(EMOJI.search(post.text)) == emoji
    assert all(len(post.text) <= 2200 for post in deliverables)


def test_it_uses_the_clients_own_hashtags_exactly():
    for post in write(
        "social",
        {
            "platforms": list(PLATFORMS),
            "topic": "Opening hours",
            "hashtags": ["#Leeds", "SmallBusiness"],
        },
    ):
        assert hashtags_in(post.text) == ["#Leeds", "#SmallBusiness"]


def test_it_keeps_instagram_to_thirty_hashtags_and_twitter_to_280_with_long_tags():
    tags = [f"Tag{'x' * 25}{i}" for i in range(10)]
    posts = write(
        "social",
        {"platforms": ["twitter", "instagram"], "topic": "Opening hours", "hashtags": tags},
    )
    twitter = next(p for p in posts if p.data["platform"] == "twitter")
    instagram = next(p for p in posts if p.data["platform"] == "instagram")
    assert twitter_length(twitter.text) <= 280
    assert twitter.metadata["hashtags_dropped"]  # recorded, not silently lost
    assert len(hashtags_in(instagram.text)) == 10 <= 30


def test_it_leads_each_post_on_a_platform_with_a_different_angle():
    posts = write(
        "social", {"platforms": ["linkedin"], "topic": "Opening hours", "postsPerPlatform": 7}
    )
    assert len({p.data["angle"] for p in posts}) == 7
    assert len({p.text for p in posts}) == 7


def test_it_counts_emoji_as_two_characters_on_twitter():
    assert twitter_length("abc") == 3
    assert twitter_length("💡 tip") == 6


# --- seo -----------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS)
def test_it_writes_meta_tags_within_search_length_limits(topic):
    tags = one(
        "seo",
        {"seoType": "meta_tags", "topic": topic, "url": "https://northwind.example/a?b=1&c=2"},
    )
    assert 0 < len(tags.data["title"]) <= 60
    assert 120 <= len(tags.data["description"]) <= 160
    assert "<title>" in tags.text and '<meta name="description"' in tags.text
    assert 'href="https://northwind.example/a?b=1&amp;c=2"' in tags.text


def test_it_groups_keywords_by_search_intent():
    keywords = one(
        "seo",
        {
            "seoType": "keywords",
            "topic": "Emergency plumbing",
            "keywords": ["plumber prices", "boiler repair guide"],
        },
    )
    groups = keywords.data["groups"]
    assert set(groups) == {"informational", "commercial", "transactional", "navigational"}
    assert all(groups[intent] for intent in groups)
    flat = [row["keyword"] for rows in groups.values() for row in rows]
    assert len(flat) == len(set(flat))
    assert "plumber prices" in [r["keyword"] for r in groups["transactional"]]
    assert "boiler repair guide" in [r["keyword"] for r in groups["informational"]]
    assert any("Northwind Studio" in r["keyword"] for r in groups["navigational"])
    assert "## Navigational intent" in keywords.text


def test_it_writes_local_seo_with_nap_and_location_mentions():
    brand = BrandProfile.from_dict(
        {"name": "Northwind Plumbing", "location": "12 Mill Lane, Leeds", "phone": "0113 496 0000"}
    )
    local = one(
        "seo",
        {
            "seoType": "local_seo",
            "topic": "Emergency plumbing",
            "location": "Leeds",
            "businessCategory": "Plumber",
        },
        brand,
    )
    nap = local.data["nap"]
    assert (nap["name"], nap["address"], nap["phone"]) == (
        "Northwind Plumbing",
        "12 Mill Lane, Leeds",
        "0113 496 0000",
    )
    assert "- **Phone:** 0113 496 0000" in local.text
    assert local.metadata["location_mentions"] >= 5
    assert len(local.data["title"]) <= 60 and 120 <= len(local.data["description"]) <= 160
    assert len(local.data["gbp_description"]) <= 750
    assert all("leeds" in k.lower() or "near me" in k for k in local.data["keywords"])
    block = local.text.split("```json\n")[1].split("```")[0]
    assert json.loads(block)["telephone"] == "0113 496 0000"


def test_it_writes_an_outline_around_the_primary_keyword():
    outline = one(
        "seo",
        {
            "seoType": "outline",
            "topic": "Emergency plumbing",
            "keywords": ["emergency plumber", "burst pipe"],
        },
    )
    assert outline.data["primary_keyword"] == "emergency plumber"
    assert len(outline.data["headings"]) >= 3
    assert all(f"## {h}" in outline.text for h in outline.data["headings"])


# --- voice ---------------------------------------------------------------------------------


def marks(text: str) -> list[tuple[int, int, str]]:
    return [
        (int(a) * 60 + int(b), int(c) * 60 + int(d), label)
        for a, b, c, d, label in MARK.findall(text)
    ]


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(["intro", "explainer", "testimonial", "promo"]),
    seconds=st.integers(10, 300),
    topic=st.sampled_from(TOPICS),
    tone=st.sampled_from(["professional", "friendly", "playful", "authoritative", "inspirational"]),
    brand=st.sampled_from([BRAND, BARE]),
)
def test_it_times_voice_scripts_to_the_duration_no_faster_than_a_narrator_reads(
    kind, seconds, topic, tone, brand
):
    script = one(
        "voice",
        {"scriptType": kind, "topic": topic, "durationSeconds": seconds, "tone": tone},
        brand,
    )
    timeline = marks(script.text)
    assert timeline[0][0] == 0 and timeline[-1][1] == seconds
    assert all(a[1] == b[0] for a, b in zip(timeline, timeline[1:], strict=False))
    assert sum(end - start for start, end, _ in timeline) == seconds
    narrated = [s for s in script.data["scenes"] if s["narrated"]]
    spoken = word_count(" ".join(s["text"] for s in narrated))
    # Never faster than a narrator can read; a brief with little to say leaves scenes to the
    # visuals instead of filling them with words nobody asked for.
    assert spoken <= 180 * seconds / 60 + 20
    assert narrated and all(s["text"] for s in narrated)
    quiet = [s for s in script.data["scenes"] if not s["narrated"] and s["speaker"] != "CUSTOMER"]
    assert all(s["direction"] for s in quiet)


def test_it_never_writes_a_customers_words_for_a_testimonial():
    script = one(
        "voice", {"scriptType": "testimonial", "topic": "Booking", "durationSeconds": 60}, BARE
    )
    customer = [s for s in script.data["scenes"] if s["speaker"] == "CUSTOMER"]
    assert customer and all(not s["text"] and s["direction"] for s in customer)

    approved = BrandProfile.from_dict(
        {"name": "Northwind", "testimonials": ["They made the whole process feel simple."]}
    )
    script = one(
        "voice", {"scriptType": "testimonial", "topic": "Booking", "durationSeconds": 60}, approved
    )
    assert "They made the whole process feel simple." in script.text


def test_it_names_the_speaker_on_each_narrated_line():
    script = one("voice", {"scriptType": "intro", "topic": "Welcome", "speakerName": "Sam"})
    narrated = [s for s in script.data["scenes"] if s["narrated"]]
    assert narrated and script.text.count("Sam: ") == len(narrated)


# --- brand ---------------------------------------------------------------------------------


def test_it_writes_guidelines_with_the_brand_name_and_hex_colours():
    guide = one("brand", {"brandType": "guidelines"})
    assert guide.title == "Northwind Studio brand guidelines"
    for hex_code in ("#1F4E79", "#F2A541", "#AABBCC"):
        assert hex_code in guide.text
    for heading in ("Voice", "Tone", "Colours", "Typography", "Do", "Don't"):
        assert heading in headings(guide.text, 2)
    assert [c["hex"] for c in guide.data["colors"]] == ["#1F4E79", "#F2A541", "#AABBCC"]
    assert all(c["contrast"] >= 4.5 for c in guide.data["colors"])
    assert FACTS[0] in guide.text


def test_it_says_when_the_palette_is_a_starter_one():
    guide = one("brand", {"brandType": "guidelines"}, BARE)
    assert "No brand colours are on file yet" in guide.text
    assert "No verified facts are on file yet" in guide.text


def test_it_leads_the_voice_guide_with_the_clients_own_words():
    voice = one("brand", {"brandType": "voice"})
    traits = [t["trait"] for t in voice.data["traits"]]
    assert traits[:2] == ["Warm", "Direct"] and len(set(traits)) == len(traits)


def test_it_uses_only_verified_facts_as_proof_points():
    messaging = one("brand", {"brandType": "messaging", "values": ["clarity", "speed"]})
    assert messaging.data["proof_points"] == FACTS
    assert [m["title"] for m in messaging.data["key_messages"]] == ["Clarity", "Speed"]


# --- website and visual --------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "about", "services", "contact"])
def test_it_writes_every_default_section_of_a_page(page):
    copy = one("website", {"pageType": page})
    assert len(headings(copy.text, 1)) == 1
    sections = copy.metadata["sections"]
    assert [s["key"] for s in copy.data["sections"]] == sections
    for section in copy.data["sections"][1:]:
        assert f"## {section['title']}" in copy.text


def test_it_writes_the_requested_sections_in_order_with_each_service():
    copy = one(
        "website",
        {
            "pageType": "services",
            "sections": ["hero", "services", "faq"],
            "services": ["Logo design", "Brand strategy"],
        },
    )
    assert headings(copy.text, 2)[:2] == ["Our services", "Frequently asked questions"]
    assert {"Logo design", "Brand strategy"} <= set(headings(copy.text, 3))


def test_it_writes_contact_details_only_from_the_profile():
    copy = one("website", {"pageType": "contact", "sections": ["contact_details"]}, BARE)
    assert "Phone" not in copy.text and "@" not in copy.text


@pytest.mark.parametrize("visual_type", sorted(VISUAL_SIZES))
def test_it_specifies_one_image_per_size_in_brand_colours(visual_type):
    data = {
        "visualType": visual_type,
        "topic": "Summer sale on everything in the garden centre",
        "sizes": list(VISUAL_SIZES[visual_type]),
    }
    if visual_type == "infographic":
        data["data"] = [{"label": "Q1", "value": 40}, {"label": "Q2", "value": 55.5}]
    specs = write("visual", data)
    assert [s.key for s in specs] == [f"{visual_type}_{size}" for size in VISUAL_SIZES[visual_type]]
    for spec in specs:
        assert spec.kind == "image_spec"
        assert f"{spec.data['width']}x{spec.data['height']}" in spec.key
        assert len(spec.data["headline"]) <= spec.metadata["limits"]["headline"] or (
            visual_type == "logo"
        )
        assert spec.data["colors"] == BRAND.colors
        assert spec.data["headline"] in spec.text
    if visual_type == "infographic":
        assert specs[0].data["data"] == data["data"]
        assert "Figures supplied by Northwind Studio." in specs[0].text
    if visual_type == "logo":
        assert specs[0].data["headline"] == "Northwind Studio"
        assert specs[0].data["initials"] == "NS"


def test_it_keeps_one_headline_across_a_banner_set_where_it_fits():
    specs = write(
        "visual",
        {
            "visualType": "banner",
            "headline": "Summer sale",
            "sizes": ["1200x628", "300x250", "728x90"],
        },
    )
    assert {s.data["headline"] for s in specs} == {"Summer sale"}


# --- feedback ------------------------------------------------------------------------------

SAMPLES = {
    "content": {"contentType": "blog_post", "topic": "Industry trends 2024"},
    "visual": {"visualType": "social_image", "topic": "Summer sale"},
    "brand": {"brandType": "messaging"},
    "social": {"platforms": ["linkedin", "twitter", "instagram"], "topic": "Opening hours"},
    "seo": {"seoType": "meta_tags", "topic": "Emergency plumbing"},
    "website": {"pageType": "home"},
    "voice": {"scriptType": "explainer", "topic": "Booking online", "durationSeconds": 60},
}
SHORTER_CASES = [
    ("content", {"contentType": kind, "topic": "Industry trends 2024"})
    for kind in ("blog_post", "email", "landing_page", "case_study")
] + [
    ("social", {"platforms": ["linkedin"], "topic": "Opening hours"}),
    ("website", {"pageType": "about"}),
    ("voice", {"scriptType": "promo", "topic": "Spring offer", "durationSeconds": 60}),
    ("brand", {"brandType": "guidelines"}),
    ("seo", {"seoType": "outline", "topic": "Emergency plumbing"}),
]


@pytest.mark.parametrize(("job_type", "data"), SHORTER_CASES)
def test_it_writes_less_when_asked_to_make_it_shorter(job_type, data):
    before = one(job_type, data)
    after = one(job_type, data, feedback=["Make it shorter"], revision=2)
    assert after.metadata["word_count"] < before.metadata["word_count"]
    assert after.metadata["feedback_applied"] == ["Made it shorter."]
    assert after.metadata["revision"] == 2


def test_it_shortens_a_voice_script_to_a_new_running_time_that_still_adds_up():
    after = one("voice", SAMPLES["voice"], feedback=["too long, cut it down"], revision=2)
    assert after.data["duration_seconds"] < 60
    assert marks(after.text)[-1][1] == after.data["duration_seconds"]


@pytest.mark.parametrize("job_type", sorted(SAMPLES))
def test_it_mentions_what_the_reviewer_asked_for(job_type):
    for d in write(
        job_type, SAMPLES[job_type], feedback=["Please mention free shipping."], revision=2
    ):
        assert "free shipping" in d.text.lower(), d.key
        assert "Mentioned 'free shipping'." in d.metadata["feedback_applied"]
        if d.data.get("platform") == "twitter":
            assert twitter_length(d.text) <= 280


@pytest.mark.parametrize("job_type", sorted(SAMPLES))
def test_it_removes_what_the_reviewer_asked_to_remove(job_type):
    before = write(job_type, SAMPLES[job_type])
    word = "plan" if any(re.search(r"\bplan\b", d.text, re.I) for d in before) else "clear"
    for d in write(job_type, SAMPLES[job_type], feedback=[f"Remove the word {word}"], revision=2):
        for text in [d.title, d.text, *strings(d.data)]:
            assert not re.search(rf"\b{word}\b", text, re.I), (d.key, text)


def test_it_changes_tone_when_asked_to_be_more_casual():
    data = {"contentType": "blog_post", "topic": "Industry trends 2024", "tone": "professional"}
    before = one("content", data)
    after = one("content", data, feedback=["Can it be more casual?"], revision=2)
    contraction = re.compile(r"\b\w+'(?:s|t|re|ll|ve|d)\b")
    assert before.metadata["tone"] == "professional" and not contraction.search(before.text)
    assert after.metadata["tone"] == "friendly" and contraction.search(after.text)


def test_it_takes_a_new_angle_on_feedback_it_cannot_parse():
    data = {"contentType": "blog_post", "topic": "Industry trends 2024"}
    before = one("content", data)
    after = one("content", data, feedback=["This feels generic to me"], revision=2)
    assert after.metadata["angle"] != before.metadata["angle"]
    assert after.title != before.title
    assert after.metadata["feedback_applied"] == [
        "Reworked the angle in response to: 'This feels generic to me'."
    ]


def test_it_puts_more_focus_where_the_reviewer_asks():
    post = one("content", SAMPLES["content"], feedback=["Focus more on supplier costs"], revision=2)
    intro = post.text.split("\n## ")[0]
    assert "supplier costs" in intro


def test_it_reads_several_requests_in_one_comment():
    plan = interpret_feedback(
        ["Make it shorter and friendlier, mention free shipping and remove the jargon."]
    )
    assert plan.length_factor < 1
    assert plan.tone == "friendly"
    assert plan.mentions == ["free shipping"]
    assert plan.removals == ["jargon"]


def test_it_understands_emoji_and_hashtag_requests_on_social():
    posts = write(
        "social",
        {"platforms": ["instagram"], "topic": "Opening hours", "hashtags": 5, "includeEmoji": True},
        feedback=["Remove the emoji", "drop the hashtags"],
        revision=2,
    )
    assert not EMOJI.search(posts[0].text) and not hashtags_in(posts[0].text)


# --- helpers -------------------------------------------------------------------------------


def test_it_fits_text_at_a_word_boundary_without_a_dangling_word():
    assert fit("Summer sale on everything in the garden", 25) == "Summer sale on everything"
    assert fit("Summer sale on everything in the garden", 24) == "Summer sale"
    assert fit("Short", 24) == "Short"


def test_it_contracts_only_where_it_reads_naturally():
    assert contract("It is fine and you are welcome.") == "It's fine and you're welcome."
    assert contract("Tell us where you are and we will reply.") == (
        "Tell us where you are and we'll reply."
    )


def test_it_parses_a_brand_profile_with_defaults_and_clean_colours():
    brand = BrandProfile.from_dict(
        {"name": " Acme ", "colors": ["#abc", "nope", "123456"], "values": ["care", "Care", ""]},
        verified_facts=["A fact."],
    )
    assert (brand.name, brand.colors, brand.values) == ("Acme", ["#AABBCC", "#123456"], ["care"])
    assert brand.verified_facts == ["A fact."] and brand.colors_from_client
    bare = BrandProfile.from_dict(None)
    assert bare.name and len(bare.colors) == 3 and not bare.colors_from_client
    assert bare.audience_or_default == "your customers"


def test_it_refuses_an_unknown_deliverable_kind_or_job_type():
    with pytest.raises(ValueError):
        Deliverable(key="x", kind="poem", title="x", text="x")
    with pytest.raises(ValueError):
        write_deliverables("podcast", {}, BRAND)
