"""Demo records of the feedback app for `manage.py load_demo` (idempotent)."""


def load_demo() -> None:
    """Filled in by the app."""
