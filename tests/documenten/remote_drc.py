"""A second MijnZaken as remote Documenten API for the tests: its catalogue (the same domein
and rsin as the test catalogue, cf.create_catalogus) with two informatieobjecttypen, and
documents created through its API."""

from __future__ import annotations

import time

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
        logged = self.remote.requests.count(f"POST {EIO}")
        created = httpx.post(f"{self.remote.url}{EIO}", json=body, headers=self.headers)
        assert created.status_code == 201, created.text
        # its access-log line comes just after the answer: wait for it, or on a busy machine a
        # test that counts the calls made after this one finds it among them
        deadline = time.monotonic() + 5
        while self.remote.requests.count(f"POST {EIO}") == logged:
            assert time.monotonic() < deadline, "the remote did not log the document's creation"
            time.sleep(0.01)
        url: str = created.json()["url"]
        return url
