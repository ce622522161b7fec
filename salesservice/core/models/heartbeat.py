"""Liveness of periodic jobs, shown on /healthz."""

from django.db import models


class Heartbeat(models.Model):
    """The last time a named periodic task ran (the scheduler's proof of life)."""

    name = models.CharField(max_length=60, primary_key=True)
    last_beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=120, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} @ {self.last_beat_at}"
