"""Oversight: what an inspection office sees across the units and rounds it follows (督查督办)."""
