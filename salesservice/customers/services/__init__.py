"""Every write to customers, contacts, qualifications, customer property and consents.

Each service: `<entity>_<verb>(*, actor, ...)`, one transaction (`@service`), permission and
scope checks, then the write and its typed timeline event. `actor=None` means the system
(jobs, data migrations) and skips the permission checks.

The buyer check (BUY-1) lives in `buyer.py`, data-subject requests (PIPL) in `data_subject.py`;
both are re-exported here so other apps import services from one place.
"""

# Split by concept (CONVENTIONS: HackSoft styleguide); callers import from here.
# Re-exported for callers that reach these through `customers.services`.
from ..buyer import Reason, buyer_check, may_buy  # noqa: E402,F401
from ..data_subject import customer_anonymise, customer_export_data, customer_export_workbook  # noqa: E402,F401
from .common import *  # noqa: F403
from .common import _normalise_phone  # noqa: F401 — used by the customer import
from .consents import *  # noqa: F403
from .customers import *  # noqa: F403
from .property import *  # noqa: F403
from .qualifications import *  # noqa: F403
