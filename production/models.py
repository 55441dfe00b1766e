"""Tenants (clients) and the roles users hold in them."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    REVIEWER = "reviewer", "Reviewer"
    OWNER = "owner", "Owner"


# What each role may do; a higher role includes everything below it.
ROLE_RANK = {Role.MEMBER: 1, Role.REVIEWER: 2, Role.OWNER: 3}


class Client(models.Model):
    """A tenant: a business that orders deliverables, with the brand and facts they rest on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # Brand profile: voice, tone, colours, audience, tagline, values, industry, website, location.
    brand_profile = models.JSONField(default=dict, blank=True)
    # The truth layer checks claims and testimonials against these two lists.
    verified_facts = models.JSONField(default=list, blank=True)
    approved_testimonials = models.JSONField(default=list, blank=True)
    competitors = models.JSONField(default=list, blank=True)
    auto_approve = models.BooleanField(
        default=False, help_text="Approve verified-safe, truth-verified work without a reviewer."
    )
    threshold_verified_safe = models.PositiveSmallIntegerField(default=95)
    threshold_safe = models.PositiveSmallIntegerField(default=80)
    threshold_review = models.PositiveSmallIntegerField(default=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def brand(self) -> dict:
        """The brand profile with the client's name and verified facts folded in."""
        profile = {"name": self.name, **(self.brand_profile or {})}
        profile["verified_facts"] = list(self.verified_facts or [])
        return profile


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="one_membership_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.client} ({self.role})"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the key is shown once, when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # None: never expires (tokens made before expiry existed); new tokens always get a date.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first response to a create request with an Idempotency-Key, replayed on retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]


class BrandAssetKind(models.TextChoices):
    LOGO = "logo", "Logo"
    PRODUCT_PHOTO = "product_photo", "Product photo"
    TEAM_PHOTO = "team_photo", "Team photo"
    FONT = "font", "Brand font"


def brand_asset_path(instance: BrandAsset, filename: str) -> str:
    # A random name with the checked format's extension: the uploader's name is not used.
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"brand/{instance.client_id}/{instance.kind}/{uuid.uuid4().hex}{suffix}"


class BrandAsset(models.Model):
    """A client's logo, photo or font, validated by content; visuals and videos draw with it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="brand_assets")
    kind = models.CharField(max_length=16, choices=BrandAssetKind.choices)
    title = models.CharField(
        max_length=120, blank=True, help_text="What it shows; videos match photos to scenes by it."
    )
    file = models.FileField(upload_to=brand_asset_path, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    source_format = models.CharField(max_length=8)
    mime_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64)
    font_family = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-created_at", "-id"]
        indexes = [models.Index(fields=["client", "kind"], name="brand_asset_client_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title or self.original_name}"
