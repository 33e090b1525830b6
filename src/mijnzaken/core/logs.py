"""Log hygiene: request lines are logged without their query string.

A query string can hold personal data (the citizen list of the Zaken API filters on
`rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn`), and a BSN never goes into a log.
The server's access log (uvicorn's `uvicorn.access` logger: client, method, path with query,
HTTP version, status) gets a filter that cuts the query off before the line is written.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class DropQueryString(logging.Filter):
    """Removes `?…` from the path argument of an access-log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path = args[2].split("?", 1)[0]
            record.args = (*args[:2], path, *args[3:])
        return True


def install() -> None:
    """Put the filter on the access logger (once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
