"""drc-009: the lock a change of a document needs."""

from __future__ import annotations

import secrets

from mijnzaken.core.errors import ValidationFailed
from mijnzaken.documenten.models import InformatieObject


def check_lock(document: InformatieObject, lock: str | None) -> None:
    """drc-009: changes need the document's current lock."""
    if not document.lock:
        raise ValidationFailed.field(
            "nonFieldErrors", "unlocked", "Het informatieobject is niet gelockt."
        )
    if not lock or not secrets.compare_digest(lock, document.lock):
        raise ValidationFailed.field(
            "nonFieldErrors", "incorrect-lock-id", "Het lock-ID is niet correct."
        )
