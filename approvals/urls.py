"""Reviewer queue routes."""

from django.urls import path

urlpatterns: list = []
