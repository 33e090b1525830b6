"""Endpoints of the Zaken API: zaakobjecten."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakobjecten"])
