"""The API's first-segment dispatch resolves every path exactly as Django's walk would (issue 17 §2)."""

import re

import pytest
from django.urls import Resolver404, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from salesservice.core.api.routing import SegmentDispatchResolver, _flatten, head, segment_key


def _api():
    return next(p for p in get_resolver().url_patterns if isinstance(p, SegmentDispatchResolver))


def _sample(pattern) -> str:
    """A path the pattern matches: its regex with each group replaced by a plausible value."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", "7", str(pattern))
    regex = pattern._regex.lstrip("^").rstrip("$")
    regex = re.sub(r"\(\?P<format>[^)]*\)", "json", regex)
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "7", regex)
    return regex.replace("\\.", ".").replace("/?", "/").replace("\\", "")


def _resolve(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return "404"
    return (match.func, match.args, match.kwargs, match.url_name, match.route, match.namespaces)


def test_segment_keys_from_the_fixed_beginning():
    assert segment_key(RegexPattern(r"^service-requests/(?P<pk>[^/.]+)/$")) == "service-requests"
    assert segment_key(RegexPattern(r"^users\.(?P<format>[a-z0-9]+)/?$")) == "users"
    assert segment_key(RegexPattern(r"^users/?$")) is None  # the slash is optional: `usersX` cannot be ruled out
    assert segment_key(RegexPattern(r"^$")) is None
    assert segment_key(RegexPattern(r"^(?P<kind>\w+)/list/$")) is None
    assert segment_key(RoutePattern("auth/token/")) == "auth"
    assert segment_key(RoutePattern("<int:pk>/")) is None
    assert head("service-requests/12/dispatch/") == "service-requests" and head("users.json") == "users"


def test_every_api_route_resolves_as_the_full_walk_would():
    api = _api()
    walk = URLResolver(api.pattern, api.urlconf_name)
    paths = {f"api/v1/{_sample(p.pattern)}" for p in _flatten(api.url_patterns)}
    paths |= {"api/v1/", "api/v1/no-such-thing/", "api/v1/service-requests", "api/v1/service-requestsX/"}
    assert len(paths) > 300
    assert sum(_resolve(walk, path) != "404" for path in paths) > 300  # the samples are real routes
    differ = [path for path in sorted(paths) if _resolve(api, path) != _resolve(walk, path)]
    assert not differ
    assert _resolve(api, "api/v1/service-requests/12/dispatch/")[3] == "service-request-dispatch"


@pytest.mark.django_db
def test_api_answers_through_the_dispatch(api_for):
    assert api_for("xuhui_cs").get("/api/v1/service-requests/").status_code == 200
    assert api_for("xuhui_cs").get("/api/v1/no-such-thing/").status_code == 404
