"""Demo records of the sales app for `manage.py load_demo` (filled in below)."""


def load_demo() -> None:
    return None
