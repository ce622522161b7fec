"""Cursor pagination on every list; `?count=true` adds the total (it costs a COUNT query)."""

from rest_framework import pagination
from rest_framework.response import Response


class CursorPagination(pagination.CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self._count = None
        if request.query_params.get("count") in {"1", "true", "yes"}:
            self._count = queryset.count()
        ordering = getattr(view, "cursor_ordering", None)
        if ordering:
            self.ordering = ordering
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        if self._count is not None:
            body["count"] = self._count
        return Response(body)

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"] = {"type": "integer", "description": "with ?count=true"}
        return result
