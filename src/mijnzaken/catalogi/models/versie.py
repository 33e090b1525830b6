"""The version of the catalogue as a whole: a new random token on every change of a type.

Processes cache rendered types under this token (catalogi/services/cache.py); reading the one
row tells them whether what they hold is still the catalogue as committed.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import Base


class CatalogiVersie(Base):
    __tablename__ = "catalogi_versie"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: one row
    versie: Mapped[str] = mapped_column(String(32))
