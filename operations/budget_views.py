"""The owners' budget page: the monthly limit, this month's spend and the runs held for sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from approvals.models import ApprovalRequest, ApprovalStatus
from operations import budgets
from operations.forms import BudgetForm
from operations.models import ClientBudget
from operations.webhook_views import owned_client


@login_required
@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    client = owned_client(request, slug)
    limit = budgets.budget_of(client.pk)
    form = BudgetForm(request.POST or None, initial={"monthly_usd": limit})
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["monthly_usd"]
        if amount is None:
            ClientBudget.objects.filter(client=client).delete()
            messages.success(request, "Budget removed: runs are no longer held.")
        else:
            ClientBudget.objects.update_or_create(
                client=client, defaults={"monthly_usd": amount, "updated_by": request.user}
            )
            messages.success(request, f"Monthly budget set to ${amount}.")
        return redirect("operations:budget", slug=client.slug)
    spent = budgets.month_spend(client)
    held = (
        ApprovalRequest.objects.filter(
            job__client=client, gate=budgets.BUDGET_GATE, status=ApprovalStatus.PENDING
        )
        .select_related("job")
        .order_by("created_at")
    )
    context = {
        "client": client,
        "form": form,
        "limit": limit,
        "spent": spent,
        "percent": int(spent * 100 / limit) if limit else None,
        "unpriced": budgets.unpriced_calls(client),
        "average": budgets.average_cost(client),
        "held": held,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "operations/budget.html", context, status=status)
