"""Sign-in forms for the site and the admin that refuse guessing (see sign_in_guard)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from production import sign_in_guard


class GuardedSignInMixin:
    """Refuses sign-in while the account or the address is locked, and counts failures."""

    request: Any
    data: Any

    def clean(self) -> dict[str, Any]:
        address = sign_in_guard.client_address(self.request)
        account = (self.data.get("username") or "")[:150] or None
        locked = sign_in_guard.seconds_locked(address, account)
        if locked:
            raise forms.ValidationError(sign_in_guard.lock_message(locked), code="locked")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if self.get_user() is not None:  # type: ignore[attr-defined]
                raise  # the right password for an account refused here: not a guess
            locked = sign_in_guard.record_failure(address, account)
            if locked:
                raise forms.ValidationError(
                    sign_in_guard.lock_message(locked), code="locked"
                ) from None
            raise
        if account:
            sign_in_guard.record_success(account)
        return cleaned


class SignInForm(GuardedSignInMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password don't match. Please try again.",
    }


class AdminSignInForm(GuardedSignInMixin, AdminAuthenticationForm):
    pass
