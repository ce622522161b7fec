"""Models of the purchasing app."""
