"""A second MijnZaken as remote Documenten API for the tests: its catalogue (the same domein
and rsin as the test catalogue, cf.create_catalogus) with two informatieobjecttypen, and
documents created through its API."""

from __future__ import annotations

import httpx

from mijnzaken.core.db import Database
from tests.catalogi import factories as cf
from tests.conftest import make_token
from tests.klantbeeld.remote_server import CLIENT_ID, SECRET, Remote

EIO = "/documenten/api/v1/enkelvoudiginformatieobjecten"


async def fill(database: Database) -> None:
    # the remote publishes a catalogus with our domein and rsin (cf.create_catalogus)
    catalogus = await cf.create_catalogus(database)
    for omschrijving in ("Bijlage", "Intern memo"):
        await cf.create_informatieobjecttype(
            database, catalogus, omschrijving=omschrijving, concept=False
        )


class Documents:
    """The remote register and the URLs of its documents, by informatieobjecttype."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.api = f"{remote.url}/documenten/api/v1"
        self.headers = {"Authorization": f"Bearer {make_token(CLIENT_ID, SECRET)}"}
        types = httpx.get(
            f"{remote.url}/catalogi/api/v1/informatieobjecttypen", headers=self.headers
        ).json()["results"]
        self.types = {t["omschrijving"]: t["url"] for t in types}

    def create(self, omschrijving: str = "Bijlage") -> str:
        body = {
            "bronorganisatie": "002220647",
            "creatiedatum": "2024-03-01",
            "titel": "Aanvraag",
            "auteur": "Gemeente",
            "taal": "nld",
            "informatieobjecttype": self.types[omschrijving],
        }
        created = httpx.post(f"{self.remote.url}{EIO}", json=body, headers=self.headers)
        assert created.status_code == 201, created.text
        url: str = created.json()["url"]
        return url
