"""销售服务管理系统 — the Sales Service Management System."""

from .celery import app as celery_app

__all__ = ["celery_app"]
