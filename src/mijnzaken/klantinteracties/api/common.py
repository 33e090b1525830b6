"""What the Klantinteracties endpoints share: the scopes of component `kic` and how a change
is announced.

The Autorisaties standard has no component for this API; `kic` is our extension. Its scopes:
`klantinteracties.lezen`, `.aanmaken`, `.bijwerken`, `.verwijderen`, and for the channel
preference extension `kanaalvoorkeuren.lezen`, `kanaalvoorkeuren.bijwerken` and
`digitaleadressen.verifieren`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mijnzaken.core.resource import Resource, Scopes

API = "klantinteracties"
COMPONENT = "kic"
BRON = "KIC"

READ = Scopes.of(COMPONENT, "klantinteracties.lezen")
CREATE = Scopes.of(COMPONENT, "klantinteracties.aanmaken")
UPDATE = Scopes.of(COMPONENT, "klantinteracties.bijwerken")
DELETE = Scopes.of(COMPONENT, "klantinteracties.verwijderen")

VOORKEUR_READ = Scopes.of(COMPONENT, "kanaalvoorkeuren.lezen")
VOORKEUR_WRITE = Scopes.of(COMPONENT, "kanaalvoorkeuren.bijwerken")
VERIFY = Scopes.of(COMPONENT, "digitaleadressen.verifieren")

SCOPES = (
    "klantinteracties.lezen",
    "klantinteracties.aanmaken",
    "klantinteracties.bijwerken",
    "klantinteracties.verwijderen",
    "kanaalvoorkeuren.lezen",
    "kanaalvoorkeuren.bijwerken",
    "digitaleadressen.verifieren",
)


def kenmerk(value: object) -> str:
    """A notification kenmerk is a string: booleans as true/false, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def operation_ids(prefix: str) -> Callable[[str], str]:
    """The operationIds of the Klantinteracties spec: `partijenList`, `partijenPartialUpdate`."""

    def operation_id(operation: str) -> str:
        return prefix + "".join(part.capitalize() for part in operation.split("_"))

    return operation_id


def declare(collection: str, name: str, prefix: str, **fields: Any) -> Resource[Any]:
    """A Klantinteracties resource: its scopes, camelCase operationIds, no HEAD."""
    fields.setdefault("create_scopes", CREATE)
    fields.setdefault("update_scopes", UPDATE)
    fields.setdefault("delete_scopes", DELETE)
    return Resource(
        api=API,
        collection=collection,
        name=name,
        read=fields.pop("read", READ),
        headers_operation=False,
        operation_id=operation_ids(prefix),
        **fields,
    )
