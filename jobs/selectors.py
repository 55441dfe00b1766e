"""Reads on jobs, always scoped to the clients the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jobs.models import ProductionJob
from production.tenancy import client_ids_for


def jobs_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ProductionJob]:
    """Jobs of the user's clients; staff see all."""
    qs = ProductionJob.objects.select_related("client")
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(client_id__in=client_ids_for(user))


def visible_to(user: AbstractBaseUser | AnonymousUser, job: ProductionJob) -> bool:
    """The check `jobs_for` makes, on a job already in hand."""
    if user.is_authenticated and user.is_staff:
        return True
    return job.client_id in client_ids_for(user)


def job_for(user: AbstractBaseUser | AnonymousUser, job_id: Any) -> ProductionJob:
    """The job if the user may see it, else 404: another client's job does not exist for them."""
    return get_object_or_404(jobs_for(user), pk=job_id)
