"""Background tasks (django-tasks). A task is the way to ask for work after a request; the work
itself lives in the service layer, so the worker, the CLI and the tests run the same code."""

from __future__ import annotations

from django_tasks import task


@task()
def settle_pending() -> int:
    """Do the derived work that writes have owed (qingdan.core.outbox); returns how much."""
    from qingdan.core.outbox import settle

    return settle()
