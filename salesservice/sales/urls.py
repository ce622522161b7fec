from .urls_presales import urlpatterns as presales

app_name = "sales"

urlpatterns: list = [*presales]
