"""The permission matrix every scoped endpoint and page must pass (CONVENTIONS: scoping).

anonymous → 401 (API) / redirect to login (page); no permission → 403; permitted and in
scope → 200; permitted but out of scope → 404 (existence is not revealed).
"""

from dataclasses import dataclass


@dataclass
class Matrix:
    url: str
    permitted: str  # username who may see it
    out_of_scope: str | None = None  # username with the permission but another org unit
    no_permission: str | None = None  # username without the model permission


def check_api(matrix: Matrix, api_for) -> None:
    anonymous = api_for(None).get(matrix.url)
    assert anonymous.status_code == 401, (matrix.url, anonymous.status_code)
    assert anonymous.json()["code"] == "not_authenticated"
    allowed = api_for(matrix.permitted).get(matrix.url)
    assert allowed.status_code == 200, (matrix.url, matrix.permitted, allowed.status_code, allowed.content[:300])
    if matrix.out_of_scope:
        hidden = api_for(matrix.out_of_scope).get(matrix.url)
        assert hidden.status_code == 404, (matrix.url, matrix.out_of_scope, hidden.status_code)
        assert hidden.json()["code"] == "not_found"
    if matrix.no_permission:
        refused = api_for(matrix.no_permission).get(matrix.url)
        assert refused.status_code in (403, 404), (matrix.url, matrix.no_permission, refused.status_code)


def check_page(matrix: Matrix, client, users) -> None:
    client.logout()
    anonymous = client.get(matrix.url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], matrix.url
    client.force_login(users[matrix.permitted])
    assert client.get(matrix.url).status_code == 200, (matrix.url, matrix.permitted)
    if matrix.out_of_scope:
        client.force_login(users[matrix.out_of_scope])
        assert client.get(matrix.url).status_code == 404, (matrix.url, matrix.out_of_scope)
    if matrix.no_permission:
        client.force_login(users[matrix.no_permission])
        assert client.get(matrix.url).status_code in (403, 404), (matrix.url, matrix.no_permission)
    client.logout()
