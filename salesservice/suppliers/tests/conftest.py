import pytest


@pytest.fixture(autouse=True)
def _policy(db):
    """Policy defaults (`suppliers.*`: weights, bands, reminder days) are seeded after migrate; make sure."""
    from salesservice.core.policy_defaults import seed_policy_defaults

    seed_policy_defaults()


@pytest.fixture
def figures():
    """Register an execution-figures source for the test (SUP-5): `figures({supplier_pk: {...}})`."""
    from salesservice.suppliers import metrics

    registered = []

    def use(table: dict):
        def source(supplier, start, end):
            return table.get(supplier.pk)

        metrics.register(source)
        registered.append(source)
        return source

    yield use
    for source in registered:
        metrics.unregister(source)
