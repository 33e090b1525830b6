"""Rules of the Documenten register. Other registers call `relaties` only."""
