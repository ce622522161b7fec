"""Content negotiation with the common case answered at once (issue 17 §2).

Nearly every API call — integrations, the pages' own fetches, `wrk` — sends no `Accept` header or `*/*`, and no
`?format=`. DRF's negotiation then parses the header into media types, sorts them by precedence and matches each
against each renderer, to arrive where it always does: the first renderer, with its own media type (about 2 % of a
create's CPU). That case is answered directly; any other header, a format suffix or `?format=` goes through DRF's
negotiation unchanged (`core/tests/test_api.py` compares the two).
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT")
        if (
            renderers
            and not format_suffix
            and (accept is None or accept.strip() == "*/*")
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            renderer = renderers[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
