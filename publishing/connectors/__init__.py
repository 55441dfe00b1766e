"""One connector per platform, registered here: each publishes a Publication and returns where
it landed. Progress a retry can resume from is saved through `save` as it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from publishing.connectors import instagram, wordpress, youtube
from publishing.models import Platform, Publication

Save = Callable[[dict], None]


class Connector(Protocol):
    def __call__(
        self, publication: Publication, *, save: Save, force_refresh: bool
    ) -> tuple[str, str]:
        """(remote id, public URL) of the published item."""


CONNECTORS: dict[str, Connector] = {
    Platform.WORDPRESS: wordpress.publish,
    Platform.YOUTUBE: youtube.publish,
    Platform.INSTAGRAM: instagram.publish,
}
