"""Cursor pagination on every list; `?count=true` adds the total, counted up to 10 000 like the list pages.

Above the cap the answer says `"count": 10000, "count_capped": true` — an exact COUNT over a million rows costs
0.2–0.5 s (issue 17 lists goal, docs/performance.md); a filter narrows the list, an export or report gives totals.
"""

from rest_framework import pagination
from rest_framework.response import Response

from salesservice.core.views.generic import CappedPaginator, capped_count

COUNT_CAP = CappedPaginator.cap


class CursorPagination(pagination.CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self._count = None
        self._capped = False
        if request.query_params.get("count") in {"1", "true", "yes"}:
            self._count, self._capped = capped_count(queryset, COUNT_CAP)
        ordering = getattr(view, "cursor_ordering", None)
        if ordering:
            self.ordering = ordering
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        if self._count is not None:
            body["count"] = self._count
            body["count_capped"] = self._capped
        return Response(body)

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"] = {
            "type": "integer",
            "description": f"with ?count=true: the total, at most {COUNT_CAP}",
        }
        result["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"with ?count=true: true when there are more than {COUNT_CAP} (count says {COUNT_CAP})",
        }
        return result
