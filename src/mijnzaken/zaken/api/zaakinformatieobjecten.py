"""Endpoints of the Zaken API: zaakinformatieobjecten."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["zaakinformatieobjecten"])
