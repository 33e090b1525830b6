"""The content hash of a row is computed the same way for as long as the log is kept: rows
hashed years ago are verified with today's code."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from mijnzaken.verwerkingen import keten


class Soort(enum.StrEnum):
    BSN = "BSN"


def test_the_content_hash_of_a_known_row_is_the_one_it_always_was() -> None:
    values: dict[str, object] = dict.fromkeys(keten.INHOUD, "")
    values.update(
        actie_id=uuid.UUID("2f1c7b7e-0c3a-4d7e-9a51-1f0e8c6b2a10"),
        versie=3,
        vervallen=False,
        actie_naam='zaken "lezen" \\ é 😀 \n',
        verwerking_id=None,
        verwerkingsactiviteit_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
        bewaar_tot=dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC),
        tijdstip=dt.datetime(
            2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=2))
        ),
        tijdstip_registratie=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )
    objecten = [
        {
            "uuid": uuid.UUID("7d2b6a51-3a0e-4a38-9d3c-53b1b1f3c2aa"),
            "objecttype": "persoon",
            # a subclass of str is written as its text, like a plain one
            "soort_object_id": Soort.BSN,
            "object_id": "999993653",
            "betrokkenheid": "rol",
            "soorten_gegevens": [{"soortGegeven": "naam"}, {"soortGegeven": "adres", "n": 1.5}],
        }
    ]
    # computed with the first implementation of the canonical form; a change here would
    # make `verify` report every existing row as changed
    assert keten.inhoud_hash(values, objecten) == (
        "289f61a36890a1b16b04cc89b0961070d22557b0a6da5c8fdd777e000efa136a"
    )
    assert keten.canonical(values, objecten).startswith(
        b'{"actie_id":"2f1c7b7e-0c3a-4d7e-9a51-1f0e8c6b2a10","actie_naam":"zaken \\"lezen\\" '
    )
    assert b'"tijdstip":"2024-02-29T21:59:59.999999Z"' in keten.canonical(values, objecten)
