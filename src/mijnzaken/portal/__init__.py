"""MijnGemeente: the citizen portal (server-rendered pages in Dutch, no JavaScript needed)."""
