from .workflows import TICKET_WORKFLOW

app_name = "workflow_app"
urlpatterns = TICKET_WORKFLOW.page_urls()
