"""Sweeping storage: content no document, version or bestandsdeel refers to.

Normally nothing is left behind (documenten/opslag.py removes the content of a transaction
that does not commit). A process that dies between writing content and committing can leave
a file or object, and so can a failed delete after a commit; this sweep removes those once
they are older than a margin, so content of a transaction still running is never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.documenten import opslag, repository


@dataclass(frozen=True)
class Opgeruimd:
    verwijderd: list[str]
    bewaard: int
    staging: int


async def opruimen(
    session: AsyncSession, store: opslag.Opslag, *, ouder_dan: dt.timedelta, proef: bool = False
) -> Opgeruimd:
    """Remove unreferenced content older than `ouder_dan` (with `proef`: only report it)."""
    grens = clock.now() - ouder_dan
    # the keys first, then the references: content that becomes referenced in between was
    # written after `grens` or is referenced by then, so it is kept either way
    sleutels = await anyio.to_thread.run_sync(lambda: list(store.sleutels()))
    bekend = await repository.alle_inhoud_keys(session)
    weg = [key for key, moment in sleutels if key not in bekend and moment < grens]
    staging = 0
    map_ = store.staging_map
    for pad in list(map_.iterdir()) if map_.is_dir() else []:
        gewijzigd = dt.datetime.fromtimestamp(pad.stat().st_mtime, dt.UTC)
        if pad.is_file() and gewijzigd < grens:
            staging += 1
            if not proef:
                pad.unlink(missing_ok=True)
    if not proef:
        for key in weg:
            await anyio.to_thread.run_sync(store.verwijder, key)
    return Opgeruimd(verwijderd=weg, bewaard=len(sleutels) - len(weg), staging=staging)
