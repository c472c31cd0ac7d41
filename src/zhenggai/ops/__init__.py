"""Running an installation: back-up and restore (docs/deploy.md)."""
