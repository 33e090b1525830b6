"""The background work of a MijnZaken process, written once for `serve` and `worker`.

Everything that leaves after a commit runs here: routing the outbox and delivering
notificaties, citizens' messages, the zrc-024/025 mirrors of zaak relations, the mirrors of
links to remote documents, and sealing the processing log into its hash chain. The runners
wake when work is committed, in this process or another (`core/wake.py`). `serve` runs
it beside the API when `MIJNZAKEN_DISPATCHER` is on; `mijnzaken worker` runs only this. Any
number of processes may run it on PostgreSQL (claims with a lease, `FOR UPDATE SKIP LOCKED`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from mijnzaken.berichten import bezorging
from mijnzaken.core import wake
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.documenten import mirror
from mijnzaken.notificaties import dispatcher
from mijnzaken.verwerkingen import sealer
from mijnzaken.zaken import spiegeling


@contextlib.asynccontextmanager
async def running(settings: Settings, database: Database) -> AsyncIterator[None]:
    """Run every background job of this process until the block ends; on the way out each
    finishes or releases its work in flight."""
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(wake.listening(database))
        await stack.enter_async_context(dispatcher.running(settings, database))
        await stack.enter_async_context(bezorging.running(settings, database))
        await stack.enter_async_context(spiegeling.running(settings, database))
        await stack.enter_async_context(mirror.running(settings, database))
        if settings.verwerkingen_seal_interval > 0:
            await stack.enter_async_context(
                sealer.running(database, settings.verwerkingen_seal_interval)
            )
        yield
