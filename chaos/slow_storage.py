"""A file storage whose first write of each name succeeds but answers with a timeout, as a
network file system or object store does when its reply is lost: the file is there, the caller
is told it is not. Used by the "storage timeouts" scenario through FILE_STORAGE_BACKEND."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage


class TimeoutAfterWrite(FileSystemStorage):
    """Marks are kept outside the media folder (CHAOS_STORAGE_MARKS), shared by every worker
    process, so each name times out once whichever process writes it first."""

    def _save(self, name: str, content: Any) -> str:
        saved = super()._save(name, content)
        marks = Path(os.environ["CHAOS_STORAGE_MARKS"])
        mark = marks / hashlib.sha256(saved.encode()).hexdigest()
        try:
            mark.touch(exist_ok=False)
        except FileExistsError:
            return saved  # this name timed out once already
        raise TimeoutError(f"the storage did not answer within its timeout writing {saved}")
