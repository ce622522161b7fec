"""The configuration stamp: what every process's configuration cache is keyed by (issue 17 §1)."""

from django.db import models


class ConfigStamp(models.Model):
    """One row (`name="config"`) whose `stamp` changes, in the same transaction, with every change to what
    processes cache: permissions, role memberships and org units, policy values, business calendars and
    number series (`core.config_cache`). A new random value each time, so a rolled-back change never
    leaves a stamp that a later change could repeat."""

    name = models.CharField(max_length=40, primary_key=True)
    stamp = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.stamp} @ {self.changed_at}"
