from salesservice.core.registry import DomainAppConfig


class WorkflowAppConfig(DomainAppConfig):
    name = "tests.workflow_app"
    label = "workflow_app"
    url_prefix = "test-tickets/"
    api_urls = "tests.workflow_app.api"
    role_grants = {"cs_rep": ["workflow_app.view_ticket", "workflow_app.change_ticket"]}

    def ready(self):
        super().ready()
        from auditlog.registry import auditlog

        from .models import Ticket

        auditlog.register(Ticket)
