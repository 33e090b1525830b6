"""The rules of the Catalogi register; importing it starts noticing catalogue changes."""

from mijnzaken.catalogi.services import cache as cache
