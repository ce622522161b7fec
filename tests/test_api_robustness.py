"""Issue 12 §1, §5, §6 — the class, not the case: no API operation answers 5xx to input it did not expect.

Every operation of the OpenAPI schema is called as `admin` (and a store user) with an empty body, with its
required fields only (each given a plausible value of its type), and with every date and number at the
edges (`0001-01-01`, `9999-12-31`, `-9.4e251`, 10^30 — see `EDGES`). Whatever the answer, it is not a server error and, under
`/api/`, it is JSON. Before the fixes this found `POST /complaints/` without a customer, `POST /users/`
without a password and the 9999-12-31 overflows of the metrics endpoints; a new app's operations are
covered the day they are declared.
"""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

SKIP = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/auth/token/"}
# (date, number) at the edges: calendar ends, and a number no 64-bit column can hold (issue 12 §2: a
# `?complaint=-9.4e251` from Schemathesis reached the database driver as an OverflowError).
EDGES = [("0001-01-01", 1), ("9999-12-31", 1), ("2026-01-01", "-9.4e251"), ("2026-01-01", 10**30)]


def _schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node or {}


def _sample(schema, node, *, date="9999-12-31", number=1):
    node = _resolve(schema, node)
    if "allOf" in node:
        return _sample(schema, node["allOf"][0], date=date, number=number)
    if "oneOf" in node or "anyOf" in node:
        return _sample(schema, (node.get("oneOf") or node.get("anyOf"))[0], date=date, number=number)
    if "enum" in node:
        return next((v for v in node["enum"] if v not in (None, "")), None)
    kind, fmt = node.get("type"), node.get("format")
    if fmt == "date":
        return date
    if fmt == "date-time":
        return f"{date}T00:00:00+08:00"
    if kind == "integer":
        return number
    if kind == "number":
        return ("1.00" if number == 1 else str(number)) if fmt == "decimal" else number
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(schema, node.get("items", {}), date=date, number=number)]
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {
            name: _sample(schema, props[name], date=date, number=number)
            for name in node.get("required", [])
            if name in props and not _resolve(schema, props[name]).get("readOnly")
        }
    return "x"


def _operations():
    schema = _schema()
    for path, item in schema["paths"].items():
        if path in SKIP:
            continue
        for method, operation in item.items():
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            yield schema, path, method, operation


def _body(schema, operation, *, required_only: bool, date: str, number=1):
    content = (operation.get("requestBody") or {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    if not media or not required_only:
        return {}
    body = _sample(schema, media.get("schema", {}), date=date, number=number)
    return body if isinstance(body, dict) else {}


def _url(path, params):
    return re.sub(r"\{[^}]+\}", "1", path) + (("?" + "&".join(f"{k}={v}" for k, v in params.items())) if params else "")


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("username", ["admin", "xuhui_cs"])
def test_no_operation_answers_a_server_error(api_for, username):
    client = api_for(username)
    client.raise_request_exception = False  # count the 500s instead of stopping at the first
    failures = []
    for schema, path, method, operation in _operations():
        for date, number in EDGES:
            params = {}
            for p in operation.get("parameters", []):
                if p.get("in") != "query":
                    continue
                param_schema = _resolve(schema, p.get("schema", {}))
                if param_schema.get("format") in ("date", "date-time"):
                    params[p["name"]] = date
                elif param_schema.get("type") in ("integer", "number") and p["name"] not in ("page", "page_size"):
                    params[p["name"]] = number
            attempts = (
                [{}]
                if method in ("get", "delete")
                else [{}, _body(schema, operation, required_only=True, date=date, number=number)]
            )
            for body in attempts:
                response = _call(client, method, _url(path, params), body)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {path} {params} {body!r} → {response.status_code}")
                elif (
                    not response.get("Content-Type", "").startswith("application/json") and response.status_code != 204
                ):
                    if response.status_code >= 400:
                        failures.append(f"{method.upper()} {path} → {response.status_code} not JSON")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/service-requests/1.5/",
        "/api/v1/service-requests/99999999999999999999999/",
        "/api/v1/no-such-thing/",
        "/api/v1/customers/abc/",
    ],
)
def test_unknown_routes_and_bad_ids_answer_json(api_for, url):
    response = api_for("admin").get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_pages_keep_their_html_404(web_for):
    response = web_for("admin").get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_too_large_body_answers_json_400(api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = api_for("admin")
    client.raise_request_exception = False
    response = client.post("/api/v1/complaints/", {"subject": "x", "description": "长" * 5000}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] in {"bad_request", "parse_error"}


def test_text_without_its_own_limit_is_bounded(api_for, demo):
    """Issue 12 §5: a 1 MB description was accepted. Now every text field has a limit, published in the
    schema (`maxLength`), on the API and on the pages alike; nothing is stored."""
    from salesservice.core.input_guards import TEXT_LIMIT
    from salesservice.customers.models import Customer

    schema = _schema()
    body = schema["components"]["schemas"]["CustomerWriteRequest"]["properties"]
    assert all("maxLength" in node for node in body.values() if node.get("type") == "string" and "enum" not in node)
    body = {"customer_type": "individual", "name": "某客户", "store": demo["sh-xuhui"].pk}
    huge = "长" * (TEXT_LIMIT + 1)
    response = api_for("admin").post("/api/v1/customers/", {**body, "notes": huge}, format="json")
    assert response.status_code == 400, response.content[:200]
    assert "notes" in response.json()["fields"]
    assert not Customer.objects.filter(name="某客户").exists()
    fits = api_for("admin").post("/api/v1/customers/", {**body, "notes": huge[:-1]}, format="json")
    assert fits.status_code == 201, fits.content[:200]
