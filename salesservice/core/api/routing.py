"""URL resolution keyed by the first path segment (issue 17 §2: "Django's URL resolver 6 %").

Django resolves a path by trying every pattern in order. Under `/api/v1/` there are ~380 patterns from every
app's router, so a service-request create tried ~135 regular expressions before it reached its own. A
`SegmentDispatchResolver` keeps the same patterns and the same order, but for a path whose first segment
(`service-requests` in `service-requests/12/dispatch/`) it has seen before it tries only the patterns that can
match that segment: those whose fixed beginning names it, plus those whose beginning is not fixed (the API
root `^$`, a pattern starting with a parameter) — in their original order. Reversing (`reverse()`, `{% url %}`)
is untouched: it reads the original patterns.

What a pattern can match is read from its fixed beginning — the literal characters of its regex or route
before the first special character. A pattern is filed under a segment only when that beginning contains a
`/` or `.` (so every path it matches starts with that segment); otherwise it is tried for every path. Includes
with an empty prefix and no namespace (each app's `path("", include(router.urls))`) are looked through, so
their patterns are filed one by one; a namespaced include is kept whole.
"""

from __future__ import annotations

import re

from django.urls.resolvers import RegexPattern, RoutePattern, URLPattern, URLResolver

_SEPARATOR = re.compile(r"[/.]")
_REGEX_SPECIAL = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = set("*+?{")
WILDCARD = None


def head(path: str) -> str:
    """The first segment of a path: up to the first `/` or `.` (`service-requests.json` → `service-requests`)."""
    return _SEPARATOR.split(path, maxsplit=1)[0]


def _regex_literal(regex: str) -> str:
    """The literal beginning of an anchored regex (`^org-units\\.(?P<f>…)` → `org-units.`)."""
    if not regex.startswith("^"):
        return ""
    out: list[str] = []
    i = 1
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            nxt = regex[i + 1 : i + 2]
            if not nxt or nxt.isalnum():  # \d, \w … are classes, not literals
                break
            out.append(nxt)
            i += 2
            continue
        if char in _REGEX_SPECIAL:
            if char in _QUANTIFIERS and out:
                out.pop()  # `/?`: the character before is optional
            break
        out.append(char)
        i += 1
    return "".join(out)


def segment_key(pattern) -> str | None:
    """The first segment every path matched by `pattern` starts with, or WILDCARD when that is not fixed."""
    if isinstance(pattern, RoutePattern):
        literal = str(pattern._route).split("<", 1)[0]  # noqa: SLF001 — the route as written
    elif isinstance(pattern, RegexPattern):
        literal = _regex_literal(pattern._regex)  # noqa: SLF001 — the regex as written
    else:
        return WILDCARD
    if not _SEPARATOR.search(literal):
        return WILDCARD
    return head(literal)


def _flatten(patterns):
    """Patterns in order, looking through includes with an empty prefix and no namespace or default kwargs."""
    for entry in patterns:
        if (
            isinstance(entry, URLResolver)
            and isinstance(entry.pattern, RoutePattern)
            and str(entry.pattern) == ""
            and not entry.namespace
            and not entry.app_name
            and not entry.default_kwargs
        ):
            yield from _flatten(entry.url_patterns)
        else:
            yield entry


class SegmentDispatchResolver(URLResolver):
    """A URLResolver that tries only the patterns that can match the path's first segment (see the module)."""

    def _buckets(self) -> dict[str, URLResolver]:
        """Per first segment, a resolver over the patterns that can match it (built once)."""
        buckets = self.__dict__.get("_segment_buckets")
        if buckets is None:
            flat = list(_flatten(self.url_patterns))
            keys = [segment_key(p.pattern) if isinstance(p, URLPattern | URLResolver) else WILDCARD for p in flat]
            buckets = {}
            for key in {k for k in keys if k is not WILDCARD}:
                candidates = [p for p, k in zip(flat, keys, strict=True) if k is WILDCARD or k == key]
                buckets[key] = URLResolver(self.pattern, candidates, self.default_kwargs, self.app_name, self.namespace)
            self.__dict__["_segment_buckets"] = buckets
        return buckets

    def resolve(self, path):
        path = str(path)
        match = self.pattern.match(path)
        if match:
            bucket = self._buckets().get(head(match[0]))
            if bucket is not None:
                return bucket.resolve(path)
        return super().resolve(path)  # an unknown segment: the full walk (and Django's 404 with what was tried)
