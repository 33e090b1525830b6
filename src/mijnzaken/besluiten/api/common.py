"""What the Besluiten endpoints share: the scopes as the spec names them."""

from __future__ import annotations

from collections.abc import Callable

from mijnzaken.besluiten.services import access
from mijnzaken.core.resource import Scopes

API = "besluiten"
READ = Scopes.of(access.COMPONENT, access.READ)
CREATE = Scopes.of(access.COMPONENT, access.CREATE)
UPDATE = Scopes.of(access.COMPONENT, access.UPDATE)
DELETE = Scopes.of(access.COMPONENT, access.DELETE)
AUDIT = Scopes.of(access.COMPONENT, access.AUDIT)


def operation_id(name: str) -> Callable[[str], str]:
    """The spec's operationIds: `<name>_read` and `<name>_delete` where the generic layer
    says retrieve and destroy."""
    renamed = {"retrieve": "read", "destroy": "delete"}

    def op_id(operation: str) -> str:
        return f"{name}_{renamed.get(operation, operation)}"

    return op_id
