"""Klantbeeld: the integral view of one customer (a citizen or a business), gathered from the
registers, limited to what the viewer may see, logged, and returned as one view model."""
