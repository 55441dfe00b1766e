"""Who may do what in the API, on top of tenant scoping (which already hides other clients)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from jobs.models import JobTemplate
from production.models import Role
from production.tenancy import has_role


def can_edit_template(user: Any, client_id: Any) -> bool:
    """Owners edit their client's templates; global templates (no client) are staff-only."""
    if client_id is None:
        return bool(user.is_authenticated and user.is_staff)
    return has_role(user, client_id, Role.OWNER)


class TemplateEditPermission(BasePermission):
    message = "Only the client's owners may change its templates; global templates are staff-only."

    def has_object_permission(self, request: Request, view: Any, obj: JobTemplate) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_edit_template(request.user, obj.client_id)
