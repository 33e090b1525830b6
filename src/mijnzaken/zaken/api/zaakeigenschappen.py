"""Endpoints of the Zaken API: zaakeigenschappen."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakeigenschappen"])
