"""/zaakverzoeken: verzoeken (of a Verzoeken API) linked to a zaak."""

from __future__ import annotations

from fastapi import APIRouter

from mijnzaken.zaken.api.links import link_resource
from mijnzaken.zaken.models import ZaakVerzoek
from mijnzaken.zaken.models.spiegel import OBJECTVERZOEK
from mijnzaken.zaken.schemas.zaakverzoeken import ZaakVerzoek as ZaakVerzoekOut
from mijnzaken.zaken.schemas.zaakverzoeken import ZaakVerzoekFilter, ZaakVerzoekWrite

router = APIRouter(tags=["zaakverzoeken"])
RESOURCE = link_resource(
    router,
    collection="zaakverzoeken",
    name="zaakverzoek",
    soort=OBJECTVERZOEK,
    field="verzoek",
    model=ZaakVerzoek,
    out=ZaakVerzoekOut,
    write=ZaakVerzoekWrite,
    filters=ZaakVerzoekFilter,
    summaries={
        "list": "Alle ZAAK-VERZOEKen opvragen.",
        "create": "Maak een ZAAK-VERZOEK aan.",
        "retrieve": "Een specifieke ZAAK-VERZOEK opvragen.",
        "destroy": "Verwijder een ZAAK-VERZOEK.",
    },
)
