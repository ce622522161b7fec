"""API routes of the pre-sales part, registered on the sales router by api/urls.py."""


def register(router) -> None:
    return None
