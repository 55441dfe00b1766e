"""Redoc served fully offline: drf-spectacular's page without its web-font links."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template import engines
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework.request import Request

# The stock page preconnects to Google Fonts; with no network the browser would wait on it.
OFFLINE_REDOC = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}
<title>{{ title|default:"Redoc" }}</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
{% endblock head %}
"""


class OfflineRedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        context = {
            "title": self.title,
            "redoc_standalone": self._redoc_standalone(),
            "schema_url": self._get_schema_url(request),
            "settings": self._dump(self._settings()),
        }
        html = engines["django"].from_string(OFFLINE_REDOC).render(context, request)
        return HttpResponse(html)

    @staticmethod
    def _settings() -> Any:
        from drf_spectacular.settings import spectacular_settings

        return spectacular_settings.REDOC_UI_SETTINGS
