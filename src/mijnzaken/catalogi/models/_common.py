"""Columns shared by the Catalogi types: validity period and the concept flag."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date
from sqlalchemy.orm import Mapped, mapped_column


class Geldigheid:
    """A version of a type is valid from `begin_geldigheid` through `einde_geldigheid`."""

    begin_geldigheid: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    einde_geldigheid: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    begin_object: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    einde_object: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Concept:
    """Zaaktypen, informatieobjecttypen and besluittypen start as concept until published."""

    concept: Mapped[bool] = mapped_column(default=True)
