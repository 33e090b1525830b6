"""Clients for the registers of other installations (ARCHITECTURE.md: `federatie/`)."""
