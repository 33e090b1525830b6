"""Endpoints of the Zaken API: zaakverzoeken."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakverzoeken"])
