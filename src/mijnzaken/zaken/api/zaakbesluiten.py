"""Endpoints of the Zaken API: zaakbesluiten."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakbesluiten"])
