"""Signals of the inspection app: how upper layers (inventory, purchasing) learn of a nonconformance's fate
without inspection importing them.

`nonconformance_closed(sender=Nonconformance, nonconformance=nc, actor=user)` is sent inside the close
service's transaction once the disposition (退供方 / 返工 / 报废 / 让步接收) has been carried out (SUP-8);
a receiver that raises a `DomainError` refuses the close.
"""

from django.dispatch import Signal

nonconformance_closed = Signal()
