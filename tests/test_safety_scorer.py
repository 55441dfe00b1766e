"""Unit tests of the safety scorer: each detector, the truth layer, spans, score and bands."""

from __future__ import annotations

import pytest

from approvals.safety import (
    BAND_LABELS,
    BANDS,
    CATEGORIES,
    Flag,
    SafetyReport,
    Thresholds,
    band_for,
    combine_reports,
    score_text,
)


def categories(text: str, **kwargs: object) -> set[str]:
    return {flag.category for flag in score_text(text, **kwargs).flags}  # type: ignore[arg-type]


def only_flag(text: str, **kwargs: object) -> Flag:
    flags = score_text(text, **kwargs).flags  # type: ignore[arg-type]
    assert len(flags) == 1, flags
    return flags[0]


# --- bands and thresholds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "verified_safe"),
        (95, "verified_safe"),
        (94, "safe"),
        (80, "safe"),
        (79, "review_needed"),
        (60, "review_needed"),
        (59, "safety_concerns"),
        (0, "safety_concerns"),
    ],
)
def test_it_puts_scores_in_the_seed_bands(score: int, band: str) -> None:
    assert band_for(score) == band


def test_it_uses_a_clients_own_thresholds() -> None:
    strict = Thresholds(verified_safe=99, safe=90, review_needed=70)
    assert band_for(98, strict) == "safe"
    assert band_for(89, strict) == "review_needed"
    assert band_for(69, strict) == "safety_concerns"
    assert score_text("Best coffee in town.", thresholds=strict).band == "safe"


def test_it_refuses_thresholds_out_of_order() -> None:
    with pytest.raises(ValueError):
        Thresholds(verified_safe=80, safe=90, review_needed=60)


def test_every_band_has_a_label() -> None:
    assert set(BAND_LABELS) == set(BANDS)
    assert BAND_LABELS["review_needed"] == "Review needed"


# --- score, verified, spans -----------------------------------------------------------------


def test_it_scores_clean_copy_100_and_verified() -> None:
    report = score_text("Fresh sourdough every morning from 7am. Pop in for a loaf and a chat.")
    assert (report.score, report.band, report.verified, report.flags) == (
        100,
        "verified_safe",
        True,
        (),
    )


def test_one_unbacked_superlative_is_safe_but_not_verified() -> None:
    report = score_text("We're the best plumbers in Leeds.")
    assert report.score == 90
    assert report.band == "safe"
    assert report.verified is False


def test_a_fabricated_testimonial_lands_in_safety_concerns() -> None:
    report = score_text("“Best dentist I've ever been to!” — Mark T., Leeds")
    assert report.score == 55
    assert report.band == "safety_concerns"
    assert not report.verified


def test_a_slur_lands_in_safety_concerns_but_leaves_truth_verified() -> None:
    report = score_text("Don't be a retard, book your MOT early.")
    assert report.band == "safety_concerns"
    assert report.verified  # no claim or testimonial is involved


def test_repeats_in_one_category_cost_less_each_time() -> None:
    one = score_text("The fastest broadband in Cornwall.").score
    two = score_text("The fastest broadband and the cheapest prices in Cornwall.").score
    two_categories = score_text("The fastest broadband. Lorem ipsum.").score
    assert (one, two) == (90, 85)
    assert two_categories < two


def test_one_category_alone_bottoms_out_but_many_reach_zero() -> None:
    fabricated = " ".join(f"“I love it, number {i}!” — Customer {i}." for i in range(30))
    assert score_text(fabricated).score == 10  # 45 + 22.5 + 11.25 + ... stays under 90
    slurs = " ".join("Don't be a retard." for _ in range(5))
    assert score_text(fabricated + " " + slurs).score == 0


def test_every_flag_span_points_at_its_excerpt() -> None:
    text = (
        "Hi {{first_name}}! We're the #1 rated roofers in Kent. "
        "“Best roof ever.” — Dan, Margate. Call Steve on 07700 900789. "
        "Use my code ROOF10. No bullshit, unlike QuickRoof, who overcharge everyone. "
        "Our tonic cures arthritis, and you can double your money."
    )
    report = score_text(text)
    # Every category an English text can raise (it cannot be in an uncovered language).
    assert {f.category for f in report.flags} == set(CATEGORIES) - {"uncovered_language"}
    for flag in report.flags:
        assert text[flag.start : flag.end] == flag.excerpt
        assert flag.excerpt.strip()
        assert flag.message.endswith(".")
    assert [f.start for f in report.flags] == sorted(f.start for f in report.flags)


def test_report_and_flag_serialise_to_plain_dicts() -> None:
    report = score_text("73% of buyers saw results.")
    data = report.as_dict()
    assert set(data) == {
        "score",
        "band",
        "band_label",
        "verified",
        "flags",
        "language",
        "breakdown",
    }
    assert data["band_label"] == "Safe"
    assert data["language"] == "en"
    assert data["breakdown"] == ["-10 unsubstantiated statistic '73% of buyers'"]
    assert data["flags"] == [
        {
            "category": "unsubstantiated_claim",
            "severity": "medium",
            "message": 'Unbacked statistic "73% of buyers": no verified fact supports it.',
            "start": 0,
            "end": 13,
            "excerpt": "73% of buyers",
            "claim_type": "statistic",
            "occurrences": [[0, 13]],
            "count": 1,
            "points": 10,
        }
    ]


def test_a_flag_refuses_an_unknown_category_or_severity() -> None:
    with pytest.raises(ValueError):
        Flag("rudeness", "high", "x", 0, 1, "x")
    with pytest.raises(ValueError):
        Flag("placeholder_text", "dire", "x", 0, 1, "x")


def test_a_job_takes_its_lowest_output_score_and_needs_every_output_verified() -> None:
    clean = score_text("Hand-poured soy candles, made in Bristol.")
    claim = score_text("The most trusted accountants in the South West.")
    job = combine_reports([clean, claim])
    assert job.score == claim.score
    assert job.band == band_for(claim.score)
    assert job.verified is False
    assert job.flags == clean.flags + claim.flags
    assert combine_reports([clean, clean]).verified is True


def test_a_job_without_outputs_is_clean() -> None:
    assert combine_reports([]) == SafetyReport(100, "verified_safe", True, ())


# --- the truth layer: claims ------------------------------------------------------------------


def test_it_backs_a_statistic_with_a_fact_holding_the_same_percentage() -> None:
    text = "With 98% customer satisfaction, we're a safe pair of hands."
    assert categories(text) == {"unsubstantiated_claim"}
    assert categories(text, facts=["98% of 2024 survey respondents rated us good"]) == set()


def test_a_count_needs_more_than_a_matching_number_to_be_backed() -> None:
    text = "We've been fixing boilers for over 30 years."
    assert categories(text, facts=["A team of 30 staff"]) == {"unsubstantiated_claim"}
    assert categories(text, facts=["Fixing boilers in Hull for 30 years"]) == set()


def test_it_backs_an_award_claim_with_the_award_on_file() -> None:
    text = "Voted Brighton's best brunch by Brighton Eats readers in 2023."
    assert (
        categories(text, facts=["Winner, Brighton Eats Readers' Awards 2023: Best Brunch"]) == set()
    )
    assert categories(text, facts=["Open seven days a week"]) == {"unsubstantiated_claim"}


def test_a_different_rating_on_file_does_not_back_the_claimed_one() -> None:
    flag = only_flag("Rated 4.8 stars on Trustpilot.", facts=["Trustpilot score 4.6"])
    assert flag.excerpt == "Rated 4.8 stars"


@pytest.mark.parametrize(
    "text",
    [
        "Our plumbers follow industry best practices on every job.",
        "The best way to keep your bike running is a service every six months.",
        "Our most popular class runs every weekday at 6pm.",
        "Your safety is our number one priority.",
        "Spring sale: 20% off all garden furniture.",
        "Classes run for 10 weeks with up to 12 students per group.",
        "There's no guarantee of planning permission.",
    ],
)
def test_everyday_phrases_are_not_claims(text: str) -> None:
    assert categories(text) == set()


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("The most trusted accountants in the South West.", "The most trusted accountants"),
        ("Join over 50,000 happy customers.", "over 50,000 happy customers"),
        ("Nine out of ten dentists recommend us.", "Nine out of ten dentists recommend"),
        ("Our software makes your team 3x more productive.", "3x more"),
        ("Proudly serving Norwich since 1987.", "since 1987"),
        ("Results guaranteed.", "guaranteed"),
        ("Quicker than any other broker in Essex.", "Quicker than any other"),
    ],
)
def test_it_flags_the_claim_itself(text: str, excerpt: str) -> None:
    flag = only_flag(text)
    assert (flag.category, flag.excerpt) == ("unsubstantiated_claim", excerpt)


# --- the truth layer: testimonials ------------------------------------------------------------


def test_an_approved_testimonial_passes_despite_case_and_punctuation() -> None:
    text = "“HONESTLY the nicest haircut I've had in years!!” — Tom, Headingley"
    approved = ["Honestly, the nicest haircut I’ve had in years."]
    assert score_text(text, testimonials=approved).verified
    assert categories(text) == {"unapproved_testimonial"}


def test_part_of_an_approved_testimonial_passes_but_an_altered_one_does_not() -> None:
    approved = ["The team rebuilt our website in three weeks and enquiries doubled."]
    part = "“The team rebuilt our website in three weeks.” — Priya Shah"
    altered = "“The team rebuilt our website in three weeks and enquiries tripled.” — Priya Shah"
    assert categories(part, testimonials=approved) == set()
    flag = only_flag(altered, testimonials=approved)
    assert flag.category == "unapproved_testimonial"
    assert flag.severity == "critical"
    assert flag.excerpt.startswith("“The team") and flag.excerpt.endswith("Priya Shah")


@pytest.mark.parametrize(
    "text",
    [
        'Customers say: "I couldn\'t believe how quickly they fixed my boiler."',
        '"Our sales doubled within a month," says Claire, founder of Bloom & Co.',
        "'I've never felt so looked after,' says Maureen, 78.",
        "“Five stars. Friendly, fast and fairly priced.” — Google review",
    ],
)
def test_it_recognises_testimonials_in_several_forms(text: str) -> None:
    assert categories(text) == {"unapproved_testimonial"}


def test_quoted_slogans_and_names_are_not_testimonials() -> None:
    assert categories("Our motto has always been “bake it better”, and we mean it.") == set()
    assert categories("Try our new “Sunrise” blend, roasted on Tuesdays.") == set()


# --- health and financial promises ------------------------------------------------------------


def test_a_cure_is_a_health_promise_no_fact_can_back() -> None:
    text = "Our herbal tea cures anxiety."
    flag = only_flag(text, facts=["Our herbal tea cures anxiety."])
    assert (flag.category, flag.severity, flag.excerpt) == (
        "health_promise",
        "high",
        "cures anxiety",
    )


def test_clinically_proven_is_backed_by_the_trial_on_file() -> None:
    text = "Clinically proven to reduce plaque when used twice daily."
    assert categories(text) == {"health_promise"}
    trial = "Clinically proven to reduce plaque by 21% over 12 weeks when used twice daily"
    assert categories(text, facts=[trial]) == set()


def test_everyday_uses_of_medical_words_are_not_health_promises() -> None:
    assert categories("Treat yourself to a slice of lemon drizzle.") == set()
    assert categories("The resin floor cures in 24 hours.") == set()
    assert categories("A boiler often stops working in a cold snap.") == set()


def test_a_guaranteed_return_is_one_financial_promise_not_also_a_guarantee_claim() -> None:
    flag = only_flag("Guaranteed returns of 12% a year.")
    assert (flag.category, flag.excerpt) == ("financial_promise", "Guaranteed returns of 12%")


def test_risk_free_is_financial_only_when_the_sentence_is_about_money() -> None:
    assert categories("Risk-free investing: you can't lose.") == {"financial_promise"}
    assert categories("Try our app with a risk-free trial.") == {"unsubstantiated_claim"}


def test_savings_protection_and_risk_warnings_are_not_promises() -> None:
    assert categories("Past performance is not a guide to future returns.") == set()
    assert categories("Deposits are protected by the FSCS up to £85,000.") == set()


# --- disclosure -----------------------------------------------------------------------------


def test_a_material_connection_without_a_label_is_flagged() -> None:
    flag = only_flag("Obsessed with my new trainers, use my code LUCY15 for 15% off!")
    assert (flag.category, flag.excerpt) == ("missing_disclosure", "my code")


@pytest.mark.parametrize(
    "text",
    [
        "#ad Obsessed with my new trainers, use my code LUCY15 for 15% off!",
        "This post contains affiliate links. Shop my affiliate links below.",
        "Paid partnership with Nordic Knits: I was gifted this jumper.",
        "Use code SPRING15 at checkout for 15% off your first box.",
        "Join our gifted and talented maths club.",
    ],
)
def test_disclosed_or_unconnected_copy_passes(text: str) -> None:
    assert "missing_disclosure" not in categories(text)


# --- personal data --------------------------------------------------------------------------


def test_business_contact_details_are_not_personal_data() -> None:
    text = "Email support@brightleaf.co.uk or call us on 0113 496 0123."
    assert categories(text) == set()


@pytest.mark.parametrize(
    ("text", "excerpt", "severity"),
    [
        ("Send your CV to james.w84@gmail.com today.", "james.w84@gmail.com", "high"),
        (
            "Invoices: contact Tom at tom.baker@greenleaf.co.uk.",
            "tom.baker@greenleaf.co.uk",
            "medium",
        ),
        ("Ring Dave on 07911 123456 any time.", "07911 123456", "high"),
        ("Message Sarah on her mobile, 07700 900 982.", "07700 900 982", "high"),
        ("Card: 4111 1111 1111 1111 for the deposit.", "4111 1111 1111 1111", "critical"),
        ("Winner: Mark Evans, DOB 14/03/1986.", "DOB 14/03/1986", "high"),
    ],
)
def test_it_flags_personal_data(text: str, excerpt: str, severity: str) -> None:
    flag = only_flag(text)
    assert (flag.category, flag.excerpt, flag.severity) == ("personal_data", excerpt, severity)


def test_a_number_failing_the_card_checksum_is_not_a_card() -> None:
    assert categories("Order reference 4111 1111 1111 1112 is on its way.") == set()


# --- profanity and hate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our Scunthorpe showroom is open on Saturdays.",
        "Cocktail classes at Essex Hall, Sussex, with a Dickens theme.",
        "Our therapists assess every client first.",
        "A Bloody Mary and brunch for £12.",
        "Read Moby-Dick with our book club.",
    ],
)
def test_words_containing_rude_strings_stay_clean(text: str) -> None:
    assert categories(text) == set()


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("This sale is f*cking huge.", "critical"),
        ("Get your sh!t together.", "critical"),
        ("Our coffee is so damn good.", "medium"),
        ("Immigrants are ruining this town.", "critical"),
        ("Women can't fix cars.", "high"),
    ],
)
def test_it_grades_profanity_and_hate(text: str, severity: str) -> None:
    flag = only_flag(text)
    assert (flag.category, flag.severity) == ("profanity_hate", severity)


# --- competitors ----------------------------------------------------------------------------


def test_named_competitors_given_by_the_client_are_recognised() -> None:
    text = "Pizza Palace uses frozen dough, while we make ours by hand."
    assert categories(text) == set()
    assert categories(text, competitors=["Pizza Palace"]) == {"competitor_disparagement"}


def test_naming_a_competitor_without_running_it_down_is_fine() -> None:
    assert categories("Switching from Xero? We move your data free.", competitors=["Xero"]) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Unlike BrightWave, which hides its fees, we show every price.",
        "Other agencies rip you off with hidden retainers.",
        "QuickFix Plumbing is a scam, so call us instead.",
        "Don't waste money on the cowboy builders down the road.",
    ],
)
def test_it_flags_disparagement_of_rivals(text: str) -> None:
    assert categories(text) == {"competitor_disparagement"}


def test_a_plain_comparison_is_not_disparagement() -> None:
    assert categories("Unlike most bikes at this price, ours has disc brakes.") == set()


# --- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Lorem ipsum, our new range lands in spring.", "Lorem ipsum"),
        ("Hi {{ first_name }}, your trial ends tomorrow.", "{{ first_name }}"),
        ("[Company Name] opens a new branch.", "[Company Name]"),
        ("Book now, offer ends TBD.", "TBD"),
        ("Dear *|FNAME|*, thanks for subscribing!", "*|FNAME|*"),
        ("Visit www.example.com to learn more.", "www.example.com"),
        ("Prices from £__ per month.", "__"),
        ("Our founder, NAME SURNAME, started in a kitchen.", "NAME SURNAME"),
    ],
)
def test_it_flags_leftover_placeholders(text: str, excerpt: str) -> None:
    flag = only_flag(text)
    assert (flag.category, flag.excerpt) == ("placeholder_text", excerpt)


@pytest.mark.parametrize(
    "text",
    [
        "[Ad] My honest thoughts on the new trainers.",
        "[Read the brochure](https://brightleaf.co.uk/brochure) before you call.",
        "XXL and XXXL sizes are back in stock.",
        "SAVE THE DATE: OUR SUMMER PARTY",
    ],
)
def test_labels_links_and_banners_are_not_placeholders(text: str) -> None:
    assert categories(text) == set()
