"""Zhenggai (整改): the rectification cycle after an inspection of a public body."""

__version__ = "0.1.0"
