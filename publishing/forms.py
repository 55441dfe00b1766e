"""Forms of the publishing pages: connecting an account, and publishing a job's deliverable."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from jobs.models import Output
from publishing.limits import WORDPRESS_STATUSES, YOUTUBE_PRIVACY
from publishing.models import Connection, Platform


class WordPressForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="How people will recognise it, e.g. “Blog”.")
    site_url = forms.CharField(
        label="Site address", max_length=300, help_text="e.g. https://blog.example.com"
    )
    username = forms.CharField(label="User name", max_length=150)
    application_password = forms.CharField(
        label="Application password",
        max_length=200,
        widget=forms.PasswordInput,
        help_text="Users → Profile → Application Passwords in WordPress. Stored encrypted.",
    )
    secret_fields = ("application_password",)


class YouTubeForm(forms.Form):
    name = forms.CharField(max_length=120)
    channel = forms.CharField(label="Channel", max_length=200, required=False)
    client_id = forms.CharField(label="OAuth client id", max_length=300)
    client_secret = forms.CharField(
        label="OAuth client secret", max_length=300, widget=forms.PasswordInput
    )
    access_token = forms.CharField(
        label="Access token", max_length=4000, widget=forms.PasswordInput
    )
    refresh_token = forms.CharField(
        label="Refresh token",
        max_length=4000,
        widget=forms.PasswordInput,
        help_text="Renews the one-hour access token before it expires. Stored encrypted.",
    )
    secret_fields = ("client_id", "client_secret", "access_token", "refresh_token")


class InstagramForm(forms.Form):
    name = forms.CharField(max_length=120)
    ig_user_id = forms.CharField(label="Instagram user id", max_length=40)
    username = forms.CharField(label="Instagram user name", max_length=100, required=False)
    access_token = forms.CharField(
        label="Long-lived access token",
        max_length=4000,
        widget=forms.PasswordInput,
        help_text="Renewed a week before its 60 days end. Stored encrypted.",
    )
    secret_fields = ("access_token",)


CONNECTION_FORMS: dict[str, type[forms.Form]] = {
    Platform.WORDPRESS: WordPressForm,
    Platform.YOUTUBE: YouTubeForm,
    Platform.INSTAGRAM: InstagramForm,
}


def split(form: forms.Form) -> tuple[str, dict, dict]:
    """(name, account details, secrets) of a valid connection form."""
    data = dict(form.cleaned_data)
    name = data.pop("name")
    secrets = {key: data.pop(key) for key in form.secret_fields}  # type: ignore[attr-defined]
    return name, data, secrets


VISIBILITY_CHOICES = [
    ("", "Platform default"),
    *[(v, f"WordPress: {'draft' if v == 'draft' else 'published'}") for v in WORDPRESS_STATUSES],
    *[(v, f"YouTube: {v}") for v in YOUTUBE_PRIVACY],
]


class PublishForm(forms.Form):
    connection = forms.ModelChoiceField(
        queryset=Connection.objects.none(),
        label="Account",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this client's connected accounts."},
    )
    output = forms.ModelChoiceField(
        queryset=Output.objects.none(),
        label="Deliverable",
        empty_label=None,
        error_messages={"invalid_choice": "Choose an output of the approved revision."},
    )
    image = forms.ModelChoiceField(
        queryset=Output.objects.none(),
        label="Featured image (WordPress)",
        required=False,
        error_messages={"invalid_choice": "Choose an image of the approved revision."},
    )
    title = forms.CharField(max_length=200, required=False)
    caption = forms.CharField(
        label="Caption or description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(choices=VISIBILITY_CHOICES, required=False)
    scheduled_for = forms.DateTimeField(
        label="Publish at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=f"In {timezone.get_default_timezone_name()}; empty publishes now.",
    )

    def __init__(self, *args, connections, outputs, images, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = connections
        self.fields["output"].queryset = outputs
        self.fields["image"].queryset = images
        self.fields["connection"].label_from_instance = lambda c: (
            f"{c.get_platform_display()}: {c.name}"
        )
        self.fields["output"].label_from_instance = lambda o: (
            f"{o.title or o.get_kind_display()} ({o.get_kind_display().lower()})"
        )
        self.fields["image"].label_from_instance = lambda o: o.title or f"Image {o.pk}"
