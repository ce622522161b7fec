"""API routes of the pre-sales part, registered on the sales router by api/urls.py."""


def register(router) -> None:
    from . import presales_views as views

    router.register("inquiries", views.InquiryViewSet, basename="inquiry")
    router.register("product-claims", views.ProductClaimViewSet, basename="product-claim")
    router.register("tenders", views.TenderViewSet, basename="tender")
    router.register("rep-authorisations", views.RepAuthorisationViewSet, basename="rep-authorisation")
    router.register("sales-plans", views.SalesPlanViewSet, basename="sales-plan")
