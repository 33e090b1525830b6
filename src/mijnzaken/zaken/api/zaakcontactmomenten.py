"""/zaakcontactmomenten: contactmomenten (of a Contactmomenten API) linked to a zaak."""

from __future__ import annotations

from fastapi import APIRouter

from mijnzaken.zaken.api.links import link_resource
from mijnzaken.zaken.models import ZaakContactMoment
from mijnzaken.zaken.models.spiegel import OBJECTCONTACTMOMENT
from mijnzaken.zaken.schemas.zaakcontactmomenten import (
    ZaakContactMoment as ZaakContactMomentOut,
)
from mijnzaken.zaken.schemas.zaakcontactmomenten import (
    ZaakContactMomentFilter,
    ZaakContactMomentWrite,
)

router = APIRouter(tags=["zaakcontactmomenten"])
RESOURCE = link_resource(
    router,
    collection="zaakcontactmomenten",
    name="zaakcontactmoment",
    soort=OBJECTCONTACTMOMENT,
    field="contactmoment",
    model=ZaakContactMoment,
    out=ZaakContactMomentOut,
    write=ZaakContactMomentWrite,
    filters=ZaakContactMomentFilter,
    summaries={
        "list": "Alle ZAAKCONTACTMOMENTen opvragen.",
        "create": "Maak een ZAAKCONTACTMOMENT aan.",
        "retrieve": "Een specifiek ZAAKCONTACTMOMENT opvragen.",
        "destroy": "Verwijder een ZAAKCONTACTMOMENT.",
    },
)
