"""A test-only app with a small document, to exercise the shared machinery (status door, scoping)."""
