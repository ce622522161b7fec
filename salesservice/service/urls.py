from django.urls import include, path

from . import public

app_name = "service"

urlpatterns: list = [
    path("request/", public.public_request, name="public-request"),
    path("", include("salesservice.service.desk_urls")),  # the service desk pages (desk_views.py)
]
