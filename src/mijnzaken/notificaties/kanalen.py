"""The kanalen our own registers publish on, with the kenmerken their messages carry.

Registered (idempotently) at start-up of every process and before the first routing, locally
or at the remote Notificaties API. The kenmerken are the ones each register puts in
`core.outbox.notify`; a register that starts sending a new kenmerk adds it here.
"""

from __future__ import annotations

from dataclasses import dataclass

_DOCS = "https://vng-realisatie.github.io/gemma-zaken/standaard/"


@dataclass(frozen=True)
class OwnKanaal:
    naam: str
    documentatie_link: str
    filters: tuple[str, ...]


OWN_KANALEN: tuple[OwnKanaal, ...] = (
    OwnKanaal(
        "zaken", _DOCS + "zaken/", ("bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding")
    ),
    OwnKanaal(
        "documenten",
        _DOCS + "documenten/",
        ("bronorganisatie", "informatieobjecttype", "vertrouwelijkheidaanduiding"),
    ),
    OwnKanaal("besluiten", _DOCS + "besluiten/", ("verantwoordelijkeOrganisatie", "besluittype")),
    OwnKanaal("zaaktypen", _DOCS + "catalogi/", ("catalogus",)),
    OwnKanaal("besluittypen", _DOCS + "catalogi/", ("catalogus",)),
    OwnKanaal("informatieobjecttypen", _DOCS + "catalogi/", ("catalogus",)),
    OwnKanaal("autorisaties", _DOCS + "autorisaties/", ()),
)
