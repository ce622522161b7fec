"""Every write of the service desk (SRV-1 … SRV-11, FBK-5, PPL-4, NET-3).

Each service runs in one transaction (`@service`), locks the request it changes, checks the
actor's permission and scope (out of scope → 404, never revealing existence), moves the status only
through the request's declared workflow (`workflows.REQUEST_WORKFLOW.check` / `.move`), records a typed timeline event and
notifies whom it concerns. Keyword-only arguments; `actor` is the user acting (None = the system or
the customer through a tokenised link).

State-changing services take an optional `at` (default now) so demo data and imports can replay a
past request; it may not lie in the future nor before the request was received. The moment used is
stamped on the status-change event too, so `sla.recompute_deadlines` replays exactly what was done.
"""

# The package is split by concept (CONVENTIONS: HackSoft styleguide); callers import from here.
from .acceptance import *  # noqa: F403
from .acceptance import _token_hash  # noqa: F401
from .closing import *  # noqa: F403
from .common import *  # noqa: F403
from .common import _get_request, _now, _terms  # noqa: F401
from .dispatch import *  # noqa: F403
from .intake import *  # noqa: F403
from .knowledge import *  # noqa: F403
from .visits import *  # noqa: F403
