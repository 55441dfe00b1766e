"""The QC sentinel: technical checks a paying client would reject a deliverable for.

`check_output` reads one deliverable (text, image, audio or video) against its brief and
returns findings; a blocking finding keeps the work from being auto-approved.
"""

from approvals.qc.brief import Brief, brief_from_inputs
from approvals.qc.findings import CHECK_LABELS, Finding
from approvals.qc.sentinel import Deliverable, check_deliverable

__all__ = [
    "CHECK_LABELS",
    "Brief",
    "Deliverable",
    "Finding",
    "brief_from_inputs",
    "check_deliverable",
]
