"""Endpoints of the Zaken API: rollen."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["rollen"])
