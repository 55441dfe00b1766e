"""Demo data: two clients with brand profiles, a user per role, templates and jobs. Idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from jobs.job_types import job_type_spec
from production.models import Client, Membership, Role

PASSWORD = "demo12345"

CLIENTS = [
    {
        "slug": "northwind",
        "name": "Northwind Coffee",
        "brand_profile": {
            "voice": "warm, knowledgeable, unpretentious",
            "tone": "friendly",
            "colors": ["#6B3E26", "#F2E3C6", "#2F6F4E"],
            "audience": "independent cafe owners and home baristas",
            "tagline": "Roasted close to home",
            "values": ["craft", "fair sourcing", "community"],
            "industry": "specialty coffee",
            "website": "https://northwind.example",
            "location": "Portland, Oregon",
        },
        "verified_facts": [
            "Northwind has roasted coffee in Portland since 2012.",
            "Northwind sources from 14 partner farms in Colombia, Ethiopia and Guatemala.",
            "Orders over $40 ship free within the continental US.",
            "Every bag is roasted within 48 hours of shipping.",
        ],
        "approved_testimonials": [
            {
                "quote": "Our espresso has never tasted this consistent.",
                "author": "Maya R., cafe owner",
            },
        ],
        "competitors": ["Bluebird Roasters"],
        "auto_approve": True,
    },
    {
        "slug": "helix",
        "name": "Helix Analytics",
        "brand_profile": {
            "voice": "precise, calm, expert",
            "tone": "professional",
            "colors": ["#1B2A4A", "#3FA7D6", "#F5F7FA"],
            "audience": "finance and operations leaders at mid-sized companies",
            "tagline": "Numbers you can act on",
            "values": ["clarity", "rigour", "trust"],
            "industry": "B2B analytics software",
            "website": "https://helix.example",
            "location": "Austin, Texas",
        },
        "verified_facts": [
            "Helix connects to 40 accounting and ERP systems.",
            "Helix customers close their books 3 days faster on average (2024 customer survey, n=212).",
            "Helix is SOC 2 Type II certified.",
        ],
        "approved_testimonials": [
            {
                "quote": "Helix turned our month-end close into a calm week.",
                "author": "Dana K., CFO",
            },
        ],
        "competitors": ["Quantive"],
        "auto_approve": False,
    },
]

# (username, where that role works), printed by seed_demo and the launcher.
DEMO_LOGINS = [
    ("admin", "staff: every client's work and sign-offs in /admin/"),
    ("northwind-member", "member at Northwind Coffee: orders and follows jobs at /"),
    ("northwind-reviewer", "reviewer at Northwind Coffee: the review queue at /reviews/"),
    ("northwind-owner", "owner at Northwind Coffee: high-impact sign-off at /reviews/"),
    ("helix-member", "member at Helix Analytics: orders and follows jobs at /"),
    ("helix-reviewer", "reviewer at Helix Analytics: the review queue at /reviews/"),
    ("helix-owner", "owner at Helix Analytics: high-impact sign-off at /reviews/"),
]

TEMPLATES = [
    (
        None,
        "Blog post",
        "content",
        {"contentType": "blog_post", "topic": "", "tone": "professional", "length": "medium"},
    ),
    (
        None,
        "Launch email",
        "content",
        {"contentType": "email", "topic": "", "tone": "friendly"},
    ),
    (
        None,
        "Social week",
        "social",
        {"platforms": ["linkedin", "twitter", "instagram"], "topic": "", "postsPerPlatform": 2},
    ),
    (None, "Brand guidelines", "brand", {"brandType": "guidelines"}),
    (None, "Homepage copy", "website", {"pageType": "home"}),
    (
        "northwind",
        "Seasonal banner set",
        "visual",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "sizes": ["1200x628", "300x250"],
        },
    ),
    (
        "helix",
        "Explainer voiceover",
        "voice",
        {"scriptType": "explainer", "topic": "Faster month-end close", "durationSeconds": 45},
    ),
]


def _user(username: str, *, staff: bool = False, first: str = "", last: str = ""):  # noqa: ANN202
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_staff": staff,
            "is_superuser": staff,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_clients() -> dict[str, Client]:
    from jobs.models import JobTemplate

    _user("admin", staff=True, first="Avery", last="Admin")
    clients: dict[str, Client] = {}
    for spec in CLIENTS:
        client, _ = Client.objects.update_or_create(
            slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
        )
        clients[spec["slug"]] = client
        for role in (Role.MEMBER, Role.REVIEWER, Role.OWNER):
            user = _user(f"{spec['slug']}-{role}", first=spec["name"].split()[0], last=role.label)
            Membership.objects.update_or_create(user=user, client=client, defaults={"role": role})
    for slug, name, job_type, inputs in TEMPLATES:
        JobTemplate.objects.update_or_create(
            client=clients[slug] if slug else None,
            name=name,
            defaults={
                "job_type": job_type,
                "default_inputs": inputs,
                "high_impact": job_type_spec(job_type).high_impact,
                "description": f"{name} preset",
            },
        )
    from jobs.workflows.production.seeds import seed_workflows

    seed_workflows()  # the film, advertising and social production workflows
    return clients
