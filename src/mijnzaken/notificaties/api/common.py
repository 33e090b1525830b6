"""What the Notificaties API's endpoints share: scopes, URLs and renderers."""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from mijnzaken.core.auth import require
from mijnzaken.core.jobs import JobQueue
from mijnzaken.core.runtime import Runtime, get_runtime
from mijnzaken.core.urls import Urls
from mijnzaken.notificaties.delivery import delivery_queue
from mijnzaken.notificaties.models import Abonnement, Kanaal

API = "notificaties"
COMPONENT = "nrc"
CONSUMEREN = "notificaties.consumeren"
PUBLICEREN = "notificaties.publiceren"
BEHEER = "notificaties.beheer"  # extension: the operator's scope

READ = require((COMPONENT, CONSUMEREN), (COMPONENT, PUBLICEREN))
CONSUME = require((COMPONENT, CONSUMEREN))
PUBLISH = require((COMPONENT, PUBLICEREN))
OPERATE = require((COMPONENT, BEHEER))


async def queue(runtime: Runtime = Depends(get_runtime)) -> JobQueue:
    return delivery_queue(runtime.settings)


def render_kanaal(k: Kanaal, urls: Urls) -> dict[str, Any]:
    body: dict[str, Any] = {"url": urls.resource(API, "kanaal", k.uuid), "naam": k.naam}
    if k.documentatie_link:
        body["documentatieLink"] = k.documentatie_link
    body["filters"] = list(k.filters)
    return body


def render_abonnement(a: Abonnement, urls: Urls) -> dict[str, Any]:
    return {
        "url": urls.resource(API, "abonnement", a.uuid),
        "callbackUrl": a.callback_url,
        "kanalen": [{"naam": g.kanaal.naam, "filters": dict(g.filters)} for g in a.kanalen],
        "sendCloudevents": a.send_cloudevents,
    }
