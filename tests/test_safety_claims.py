"""Claims that need substantiation: the kinds regulators cite, in four languages, backed only by
a verified fact; grouped flags with a readable breakdown; languages the scorer cannot read."""

from __future__ import annotations

import pytest

from approvals.safety import score_text
from jobs.inline import run_inline
from tests.factories import BLOG_INPUTS, make_job


def types(text: str, **kwargs: object) -> set[str]:
    return {f.claim_type for f in score_text(text, **kwargs).flags}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "claim_type"),
    [
        ("Our cups are eco-friendly.", "environmental"),
        ("These bags are degradable.", "environmental"),
        ("The can is ozone-friendly.", "environmental"),
        ("We offset all of our delivery emissions.", "environmental"),
        ("A non-toxic floor cleaner.", "environmental"),
        ("Sustainable trainers for everyday runs.", "environmental"),
        ("Melt away pounds with our tea.", "health"),
        ("Sharper memory in four weeks.", "health"),
        ("Our gummies boost immunity.", "health"),
        ("This tonic cures fatigue.", "health"),
        ("Doctors recommend our vitamins.", "endorsement"),
        ("As seen on TV.", "endorsement"),
        ("The undisputed No. 1 pizza in Chicago.", "comparative"),
        ("We are the King of Burgers.", "comparative"),
        ("Best mattress I have ever slept on.", "comparative"),
        ("Our detergent cleans better than Ariel.", "comparative"),
        ("Made in America since 1990.", "origin"),
        ("American-made boots.", "origin"),
        ("The Trail Mug weighs only 4 oz.", "specification"),
        ("Our crust has fewer calories per slice.", "specification"),
        ("Was £80, now £40.", "price"),
        ("Our students earn £5,000 a month.", "earnings"),
    ],
)
def test_it_flags_the_claims_regulators_cite_as_unverified(text: str, claim_type: str) -> None:
    report = score_text(text)
    assert claim_type in {f.claim_type for f in report.flags}, report.flags
    assert not report.verified


def test_a_spanish_superlative_guarantee_and_health_promise_scores_like_its_english_twin() -> None:
    spanish = score_text("El mejor café de Madrid, garantizado, y refuerza tus defensas.")
    english = score_text("The best coffee in Madrid, guaranteed, and it boosts your immunity.")
    assert spanish.language == "es" and english.language == "en"
    assert not spanish.verified and not english.verified
    assert spanish.band == english.band == "review_needed"
    assert {"comparative", "health"} <= {f.claim_type for f in spanish.flags}


@pytest.mark.parametrize(
    "text",
    [
        "Nos gobelets sont écologiques et notre pain est le meilleur de Paris.",
        "Unsere Becher sind kompostierbar, und wir sind Testsieger 2024.",
    ],
)
def test_french_and_german_claims_are_unverified(text: str) -> None:
    report = score_text(text)
    assert not report.verified
    assert {"environmental", "comparative"} <= {f.claim_type for f in report.flags}


def test_a_verified_fact_backs_the_claim_it_states_and_no_other() -> None:
    text = "Our cups are compostable and made in the USA."
    fact = "Cups certified compostable under EN 13432 (TÜV cert S0123)"
    assert types(text, facts=[fact]) == {"origin"}
    assert score_text(text, facts=[fact, "Made in the USA: cups made in our Ohio plant"]).verified


def test_a_specification_stays_in_the_top_band_but_is_not_verified() -> None:
    report = score_text("The Trail Mug weighs only 4 oz.")
    assert report.band == "verified_safe" and report.score == 96
    assert report.verified is False
    backed = score_text("The Trail Mug weighs only 4 oz.", facts=["Trail Mug weight: 4 oz"])
    assert backed.verified and backed.score == 100


def test_repeats_of_one_claim_are_one_flag_with_its_occurrences_and_a_breakdown() -> None:
    text = "Our tonic cures fatigue. Yes, it cures fatigue! And it's eco-friendly."
    report = score_text(text)
    fatigue = next(f for f in report.flags if f.excerpt == "cures fatigue")
    first, second = text.index("cures fatigue"), text.rindex("cures fatigue")
    assert fatigue.occurrences == ((first, first + 13), (second, second + 13))
    assert fatigue.count == 2 and fatigue.points == 33
    assert report.breakdown == (
        "-33 unsubstantiated health claim 'cures fatigue' x2",
        "-10 unsubstantiated environmental claim 'eco-friendly'",
    )
    assert report.score == 100 - 33 - 10
    data = report.as_dict()
    assert data["flags"][0]["occurrences"] == [[first, first + 13], [second, second + 13]]
    assert data["breakdown"] == list(report.breakdown)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Il nostro caffè è il migliore della città, garantito al cento per cento.", "it"),
        ("O nosso creme é o mais vendido do país e não tem efeitos secundários.", "pt"),
        ("我们的茶叶是全国最好的，每天喝一杯可以治愈失眠。", "other-script"),
    ],
)
def test_text_in_a_language_the_scorer_cannot_read_is_never_verified_and_says_why(
    text: str, language: str
) -> None:
    report = score_text(text)
    assert report.language == language
    assert not report.verified
    flag = next(f for f in report.flags if f.category == "uncovered_language")
    assert "English, Spanish, French and German" in flag.message


@pytest.mark.parametrize(
    "text",
    [
        "Pasta al forno con funghi, a classic on our menu.",
        "Winner: Gemma Lloyd, 27 Beech Road, Wrexham.",
        "Nuestro café se tuesta cada martes en el barrio.",
    ],
)
def test_covered_or_undecidable_short_texts_are_not_called_uncovered(text: str) -> None:
    assert "uncovered_language" not in {f.category for f in score_text(text).flags}


@pytest.mark.parametrize(
    "text",
    [
        "Loving my new trainers, get yours with my code RUN15 ... more\n#ad",
        "Loving my new trainers, use my code RUN15 #running #fitness #trainers #ad",
        "Me encanta este sérum, usa mi código LUZ20.",
        "J'adore cette crème, avec mon code ECLAT20.",
        "Dieses Serum wurde mir kostenlos zur Verfügung gestellt.",
    ],
)
def test_a_connection_without_a_clear_disclosure_is_flagged(text: str) -> None:
    assert "missing_disclosure" in {f.category for f in score_text(text).flags}


@pytest.mark.parametrize(
    "text",
    [
        "#ad Loving my new trainers, get yours with my code RUN15.",
        "#publi Me encanta este sérum, usa mi código LUZ20.",
        "#pub J'adore cette crème, avec mon code ECLAT20.",
        "Werbung | Ich liebe dieses Serum, mit meinem Code GLOW20.",
    ],
)
def test_a_clear_disclosure_in_any_covered_language_counts(text: str) -> None:
    assert "missing_disclosure" not in {f.category for f in score_text(text).flags}


@pytest.mark.django_db(transaction=True)
def test_an_unbacked_specification_is_not_auto_approved_however_well_it_scores(acme, clean_queues):
    # A specification costs 4 points, less for each repeat: the score can pass while the
    # claim still has no evidence, and then it is the truth check that holds the job back.
    acme.auto_approve = True
    acme.threshold_verified_safe = 90
    acme.save(update_fields=["auto_approve", "threshold_verified_safe"])
    job = make_job(
        acme,
        auto_process=True,
        inputs={**BLOG_INPUTS, "topic": "The trail mug that weighs only 4 oz"},
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.safety_score >= 90 and not job.truth_verified
    assert {f["claim_type"] for f in job.safety_flags} == {"specification"}
    assert job.status == "review"
