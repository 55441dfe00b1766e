"""One job per submitted new-job form, however often it is sent.

Each rendered form carries a random token. The first post of a token claims it in the cache
(Redis SET NX); a second post while the first is still working waits briefly for its job and
is answered with it; a post after the job exists is answered with it at once. Keys:
`new-job-submit:<user id>:<token>` holding "pending" or the job's id, for a day.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

PENDING = "pending"
KEEP_SECONDS = 24 * 3600
CLAIM_SECONDS = 60  # a claim whose request died is given up after this
WAIT_SECONDS = 10.0  # how long a repeat waits for the first post to finish


def token_for(posted: str) -> str:
    """The posted token when it is one of ours, else a fresh one."""
    try:
        return uuid.UUID(posted).hex
    except (ValueError, TypeError, AttributeError):
        return uuid.uuid4().hex


@dataclass
class Submission:
    key: str = ""
    job_id: str = ""  # set when this token already made a job
    busy: bool = False  # another request holds the token and has not finished in time

    def release(self) -> None:
        """The post did not make a job (errors): the same form may be sent again."""
        if self.key and not self.busy:
            cache.delete(self.key)

    def done(self, job_id: Any) -> None:
        if self.key:
            cache.set(self.key, str(job_id), KEEP_SECONDS)


def claim(user: Any, posted_token: str) -> Submission:
    """Claim the form's token for this request, or find the job an earlier post made."""
    try:
        token = uuid.UUID(posted_token).hex
    except (ValueError, TypeError, AttributeError):
        return Submission()  # an old form without a token: no protection, as before
    key = f"new-job-submit:{getattr(user, 'pk', '')}:{token}"
    if cache.add(key, PENDING, CLAIM_SECONDS):
        return Submission(key=key)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(key)
        if value is None and cache.add(key, PENDING, CLAIM_SECONDS):
            return Submission(key=key)  # the first post gave up (errors): this one goes ahead
        if value not in (None, PENDING):
            return Submission(key=key, job_id=str(value))
        if time.monotonic() >= deadline:
            return Submission(key=key, busy=True)
        time.sleep(0.1)
