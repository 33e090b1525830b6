"""The Documenten register (ZGW Documenten API 1.7.0)."""
