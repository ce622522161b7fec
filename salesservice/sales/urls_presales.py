"""Page routes of the pre-sales part, included by urls.py."""

urlpatterns: list = []
