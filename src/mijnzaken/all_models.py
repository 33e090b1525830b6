"""Imports every register's tables, so the metadata is complete (migrations, tests)."""

from mijnzaken.autorisaties import models as autorisaties_models
from mijnzaken.berichten import models as berichten_models
from mijnzaken.besluiten import models as besluiten_models
from mijnzaken.catalogi import models as catalogi_models
from mijnzaken.core import audit, outbox
from mijnzaken.core.db import Base
from mijnzaken.documenten import models as documenten_models
from mijnzaken.klantinteracties import models as klantinteracties_models
from mijnzaken.notificaties import models as notificaties_models
from mijnzaken.portal import models as portal_models
from mijnzaken.verwerkingen import models as verwerkingen_models
from mijnzaken.zaken import models as zaken_models

metadata = Base.metadata

__all__ = [
    "audit",
    "autorisaties_models",
    "berichten_models",
    "besluiten_models",
    "catalogi_models",
    "documenten_models",
    "klantinteracties_models",
    "metadata",
    "notificaties_models",
    "outbox",
    "portal_models",
    "verwerkingen_models",
    "zaken_models",
]
