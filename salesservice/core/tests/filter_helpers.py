"""Helpers for the tests that a model's one FilterSet narrows its list page and its API alike."""

import re

from django.urls import reverse


def page_ids(client, url: str, params: dict, detail_url_name: str) -> set[int]:
    """The ids the list page shows (the table alone, as htmx asks for it), read from the rows' detail links."""
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, (url, params, response.status_code)
    link = re.escape(reverse(detail_url_name, args=[999999])).replace("999999", r"(\d+)")
    return {int(pk) for pk in re.findall(f'href="{link}"', response.content.decode())}


def api_ids(client, url: str, params: dict) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code, response.content[:300])
    return {row["id"] for row in response.json()["results"]}
