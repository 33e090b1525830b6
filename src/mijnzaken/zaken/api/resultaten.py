"""Endpoints of the Zaken API: resultaten."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["resultaten"])
