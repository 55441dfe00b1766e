"""QC sentinel checks on single deliverables: the defects the issue names, and their look-alikes."""

from __future__ import annotations

from approvals.qc import Brief, Deliverable, brief_from_inputs, check_deliverable
from approvals.qc.text import brief_details
from jobs.mediakit import render_banner

BRAND = {"name": "Harbour Loaf", "colors": ["#1f4e79", "#f2c14e"]}


def checks(deliverable: Deliverable, brief: Brief | None = None) -> set[str]:
    return {f.check for f in check_deliverable(deliverable, brief or Brief()) if f.blocking}


def test_it_blocks_an_image_tag_with_a_script_copied_from_the_brief() -> None:
    post = "Our loaves rise overnight.\n\n<img src=x onerror=alert(1)>\n\nVisit us on Friday."
    assert "markup" in checks(Deliverable(kind="markdown", text=post))


def test_it_lets_an_html_deliverable_keep_its_meta_tags() -> None:
    html = '<meta name="description" content="Fresh sourdough every Friday in Leeds.">'
    assert checks(Deliverable(kind="html", text=html)) == set()


def test_it_blocks_stage_directions_read_aloud_in_narration() -> None:
    script = "On screen: the logo. Every loaf starts before sunrise. Music: soft piano."
    assert "stage_directions" in checks(Deliverable(kind="text", text=script, key="narration_2"))


def test_the_same_words_in_a_blog_post_are_not_narration() -> None:
    post = "Music: our playlist for the shop is on the website, with songs our bakers love."
    assert "stage_directions" not in checks(Deliverable(kind="markdown", text=post, key="blog"))


def test_it_finds_a_banner_whose_text_renders_as_boxes() -> None:
    # Thai: neither the bundled font nor the Noto CJK and emoji fallbacks draw it.
    png = render_banner(1200, 628, brand=BRAND, headline="ขายดี 🎉", subline="Fresh bread")
    banner = Deliverable(kind="image", data=png, metadata={"text": "ขายดี 🎉\nFresh bread"})
    assert checks(banner) == {"glyphs"}


def test_a_latin_banner_passes() -> None:
    png = render_banner(1200, 628, brand=BRAND, headline="Fresh bread", subline="Every Friday")
    banner = Deliverable(kind="image", data=png, metadata={"text": "Fresh bread\nEvery Friday"})
    assert checks(banner, Brief(sizes=((1200, 628),))) == set()


def test_the_brief_names_and_numbers_are_read_from_its_topic() -> None:
    assert brief_details("How Greenway Nursery moved 40 percent of orders online") == [
        "40",
        "Greenway Nursery",
    ]
    # German capitalises nouns: only names of two words or with an inner capital count.
    assert brief_details("Schichtplanung mit PlanWerk für Restaurants", "de") == ["PlanWerk"]


def test_only_the_main_piece_is_held_to_the_brief_length() -> None:
    brief = brief_from_inputs(inputs={"contentType": "email", "length": "short"})
    short = "Fresh bread is back on Friday. Come early, the first loaves go fast."
    assert "length" in checks(Deliverable(kind="markdown", text=short, primary=True), brief)
    assert "length" not in checks(Deliverable(kind="markdown", text=short, key="meta"), brief)
