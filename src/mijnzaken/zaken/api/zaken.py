"""Endpoints of the Zaken API: zaken."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaken"])
