"""Role grants of the pre-sales part (inquiries, claims, tenders, authorisation letters, sales plans)."""

PRESALES_GRANTS: dict[str, list[str]] = {}
