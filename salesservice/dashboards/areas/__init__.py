"""The management dashboards per level — store, region, HQ (issue 16 §1).

`area_data(area, period)` computes one area's figures for a `core.evidence.Period` (dates and an org unit; no unit =
the whole company): KPI cards (each with the list page of the records behind it), charts, and a breakdown one level
down (HQ → regions, a region → stores, a store → staff). The pages, the API (`/api/v1/dashboards/{area}/`), the
Excel export and the weekly/monthly reports (`reports`) all read this one function. The caller has checked that the
reader may see `period.unit` (`dashboards.compliance.report_period`).

    {"area", "title", "period": {"start", "end"}, "unit": {"id", "name", "kind"} | None, "level",
     "kpis": [{"key", "label", "value", "unit", "url", "note"}],
     "charts": [{"key", "title", "type": "bar" | "line" | "pie", "categories", "series": [{"name", "data"}], "urls"}],
     "breakdown": {"level": "region" | "store" | "staff", "level_label", "columns": [{"key", "label", "unit"}],
                   "rows": [{"id", "name", "values"}]}}
"""

from __future__ import annotations

from collections.abc import Callable

from salesservice.core.evidence import Period

AREAS: dict[str, str] = {
    "service": "售后服务",
    "customer": "客户闭环",
    "sales": "销售与交付",
    "supply": "供应与库存",
    "people": "人员与网络",
}


def _computers() -> dict[str, Callable[[Period], dict]]:
    from .customer import customer_data
    from .people import people_data
    from .sales import sales_data
    from .service import service_data
    from .supply import supply_data

    return {
        "service": service_data,
        "customer": customer_data,
        "sales": sales_data,
        "supply": supply_data,
        "people": people_data,
    }


def area_data(area: str, period: Period) -> dict:
    """One area's dashboard for `period` (KeyError for an unknown area)."""
    if area not in AREAS:
        raise KeyError(area)
    return _computers()[area](period)


__all__ = ["AREAS", "area_data"]
