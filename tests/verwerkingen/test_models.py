"""The processing log's tables share the project's row id type."""

from __future__ import annotations

from mijnzaken.core.db import ROW_ID
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject


def test_the_row_ids_of_the_log_are_the_shared_64_bit_row_id_type() -> None:
    # one definition: a change to the row id type (core/db.py) reaches the log's tables too
    assert Verwerkingsactie.__table__.c.id.type is ROW_ID
    assert VerwerktObject.__table__.c.actie_versie_id.type is ROW_ID
