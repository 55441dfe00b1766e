"""The brand asset library page: list, upload and remove a client's logo, photos and fonts.

Every route reads assets through `brand_assets_for`, so another client's asset is a 404 on the
page, on its file and on its delete. Files are served only from here, after that check.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboards import switcher
from production.asset_validation import AssetRejected
from production.brand_library import (
    brand_asset_create,
    brand_asset_delete,
    brand_assets_for,
    can_manage_assets,
    read_upload,
)
from production.input_safety import text_problem
from production.models import BrandAssetKind, Client
from production.ranged_files import ranged_file_response
from production.tenancy import clients_for

ACCEPT = ".png,.jpg,.jpeg,.webp,.svg,.ttf,.otf"


def _manageable(request: HttpRequest) -> list[Client]:
    return [
        c for c in clients_for(request.user).order_by("name") if can_manage_assets(request.user, c)
    ]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    client_id = switcher.current_client_id(request)
    assets = list(
        brand_assets_for(request.user, client_id or None).order_by(
            "client__name", "kind", "-created_at"
        )
    )
    groups: list[tuple[str, list[Any]]] = []
    for value, label in BrandAssetKind.choices:
        items = [a for a in assets if a.kind == value]
        groups.append((label, items))
    clients = _manageable(request)
    chosen = extra.pop("chosen_client", "") or client_id or (str(clients[0].pk) if clients else "")
    return {
        "groups": groups,
        "asset_count": len(assets),
        "show_client": not client_id,
        "current_client": switcher.current_client(request),
        "upload_clients": clients,
        "chosen_client": chosen,
        "kinds": BrandAssetKind.choices,
        "accept": ACCEPT,
        "errors": {},
        "values": {},
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def asset_library(request: HttpRequest) -> HttpResponse:
    """The library of the chosen client (or all the user's clients); a post uploads one file."""
    if request.method == "GET":
        return render(request, "dashboards/brand_assets.html", _context(request))
    return _upload(request)


def _upload(request: HttpRequest) -> HttpResponse:
    data = request.POST
    errors: dict[str, str] = {}
    clients = _manageable(request)
    client = next((c for c in clients if str(c.pk) == data.get("client")), None)
    if client is None and not data.get("client") and len(clients) == 1:
        client = clients[0]
    if client is None:
        errors["client"] = "Choose a client whose assets you may change."
    kind = data.get("kind", "")
    if kind not in BrandAssetKind.values:
        errors["kind"] = "Choose what the file is."
    title = data.get("title", "")
    problem = text_problem(title)
    if problem:
        errors["title"] = problem
        title = ""
    upload = request.FILES.get("file")
    if upload is None:
        errors["file"] = "Choose a file to upload."
    if not errors:
        try:
            asset = brand_asset_create(
                client=client,  # type: ignore[arg-type]
                kind=kind,
                data=read_upload(upload),  # type: ignore[arg-type]
                title=title,
                original_name=PurePosixPath(upload.name or "").name,  # type: ignore[union-attr]
                user=request.user,
            )
        except AssetRejected as exc:
            errors["file"] = str(exc)
        else:
            return redirect(f"{request.path}?added={asset.pk}")
    context = _context(
        request,
        errors=errors,
        values={"kind": kind, "title": title},
        chosen_client=data.get("client", ""),
    )
    return render(request, "dashboards/brand_assets.html", context, status=422)


@login_required
@require_GET
def asset_file(request: HttpRequest, asset_id: int) -> HttpResponse:
    """An asset's stored file; images inline (they were re-encoded), fonts as attachments."""
    asset = brand_assets_for(request.user).filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No such asset.")
    inline = asset.mime_type.startswith("image/") and request.GET.get("download") != "1"
    name = PurePosixPath(asset.file.name).name
    response = ranged_file_response(
        request,
        asset.file.open("rb"),
        size=asset.file.size,
        filename=name,
        content_type=asset.mime_type,
        as_attachment=not inline,
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def asset_delete(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = brand_assets_for(request.user).filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No such asset.")
    if not can_manage_assets(request.user, asset.client):
        return render(
            request,
            "dashboards/brand_assets.html",
            _context(
                request,
                errors={"general": "Only the client's members and owners remove its assets."},
            ),
            status=403,
        )
    brand_asset_delete(asset)
    return redirect("asset_library")
