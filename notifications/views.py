"""The inbox, its live unread count, the signed links from e-mails and the preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from notifications import services
from notifications.forms import PreferencesForm
from notifications.links import read_token, safe_path
from notifications.models import Notification

INBOX_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = request.POST.getlist("id")
        services.mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] or None)
        return redirect("notifications:inbox")
    items = list(Notification.objects.filter(user=request.user).select_related("job")[:INBOX_SIZE])
    unread = sum(1 for item in items if item.is_unread)
    return render(request, "notifications/inbox.html", {"items": items, "unread": unread})


@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The badge htmx polls: one indexed count, nothing else."""
    count = 0
    if request.user.is_authenticated:
        count = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notifications/_unread_badge.html", {"unread": count})


@require_GET
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from an e-mail: mark the notice read and go where it leads."""
    try:
        notification_id, user_id = read_token(token)
    except signing.SignatureExpired:
        return HttpResponseBadRequest("This link has expired; open your inbox instead.")
    except signing.BadSignature:
        return HttpResponseBadRequest("This link is not valid.")
    if not request.user.is_authenticated:
        # Signed in first: only then may the request read the notice (and its job's client).
        return redirect_to_login(request.get_full_path())
    notification = Notification.objects.filter(pk=notification_id, user_id=user_id).first()
    if notification is None:
        return redirect("notifications:inbox")
    target = safe_path(notification.url)
    if request.user.pk == user_id and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST":
        if form.is_valid():
            for event, channel in form.cleaned_data.items():
                services.set_preference(user=request.user, event=event, channel=channel)
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
