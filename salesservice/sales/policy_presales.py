"""Policy parameters of the pre-sales part (inquiry reply clock …), merged into DEFAULTS by policy_defaults.py."""

PRESALES_DEFAULTS: list = []
