"""Endpoints of the Zaken API: zaaknotities."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaaknotities"])
