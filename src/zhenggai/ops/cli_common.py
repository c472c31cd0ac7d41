"""What `zhenggai backup` and `zhenggai restore` share: Django set up late, refusals on stderr."""

from __future__ import annotations

import os
import sys

EXIT_REFUSED = 2


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    django.setup()


def refused(message: str) -> int:
    print(f"zhenggai: {message}", file=sys.stderr)
    return EXIT_REFUSED


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} KB"
