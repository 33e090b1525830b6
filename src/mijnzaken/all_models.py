"""Imports every register's tables, so the metadata is complete (migrations, tests)."""

from mijnzaken.autorisaties import models as autorisaties_models
from mijnzaken.catalogi import models as catalogi_models
from mijnzaken.core import outbox
from mijnzaken.core.db import Base

metadata = Base.metadata

__all__ = ["autorisaties_models", "catalogi_models", "metadata", "outbox"]
