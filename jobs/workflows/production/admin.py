"""Staff edit production workflows in the admin; a definition is checked before it is saved."""

from __future__ import annotations

from django.contrib import admin

from jobs.models import ProductionWorkflow
from jobs.workflows.production.estimates import estimate_for


@admin.register(ProductionWorkflow)
class ProductionWorkflowAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "workflow_type", "is_active", "step_count", "estimate")
    list_filter = ("workflow_type", "is_active")
    search_fields = ("name", "slug", "description")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="Steps")
    def step_count(self, obj: ProductionWorkflow) -> int:
        return len((obj.definition or {}).get("steps", []))

    @admin.display(description="Estimate")
    def estimate(self, obj: ProductionWorkflow) -> str:
        return estimate_for(obj).summary
