"""The employee viewer (KCC): municipal employees look up a citizen's customer view for a
stated purpose, within the rights of their roles."""
