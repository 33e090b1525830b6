"""Endpoints of the Zaken API: zaakcontactmomenten."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakcontactmomenten"])
