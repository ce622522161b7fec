from rest_framework.routers import SimpleRouter

from salesservice.core.api.workflow import workflow_viewset

from .forms import TicketSerializer
from .workflows import TICKET_WORKFLOW

router = SimpleRouter()
router.register("test-tickets", workflow_viewset(TICKET_WORKFLOW, TicketSerializer), basename="test-ticket")
urlpatterns = router.urls
