"""The background process (`qingdan worker`; `qingdan serve` starts one).

Each round: run the tasks that are queued (django-tasks' database worker, one at a time), then
settle whatever derived work is still owed — work whose task was lost, failed or never queued
(a crash between commit and enqueue, a busy database). So nothing owed waits for a task that
will not come: the outbox, not the queue, is the record of what must be done.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from types import FrameType

from django.db import close_old_connections
from django.utils.crypto import get_random_string

logger = logging.getLogger("qingdan.worker")


class _Stop:
    def __init__(self) -> None:
        self.requested = False
        self.parent = os.getppid()

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    @property
    def now(self) -> bool:
        # started by `qingdan serve`: stop with it, even when it was killed outright
        return self.requested or os.getppid() != self.parent


PRUNE_EVERY_SECONDS = 3600
KEEP_TASK_RESULTS_DAYS = 14


def _prune() -> None:
    """Finished tasks are kept two weeks (to see what ran, and what failed), then deleted."""
    from django.core.management import call_command

    try:
        call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)
    except Exception:
        logger.exception("清理已完成的任务记录失败")


def run_worker(interval: float = 1.0, once: bool = False) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    from qingdan.core.outbox import settle_quietly

    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tasks = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"qingdan-{os.getpid()}-{get_random_string(6)}",
        excluded_queue_names=[],
    )
    logger.info("后台进程已启动（pid %s）", os.getpid())
    _owe_unchecked()
    pruned_at = 0.0
    while not stop.now:
        close_old_connections()
        if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
            _prune()
            pruned_at = time.monotonic()
        try:
            tasks.run()  # every queued task, then back here
        except Exception:
            logger.exception("执行排队任务时出错，稍后重试")
        note = settle_quietly(wait=interval * 30)
        if note:
            logger.warning(note)
        if once:
            return
        time.sleep(interval)


def _owe_unchecked() -> None:
    """At start-up: owe the 清单体检 of lists published before it was done in the background
    (or whose work was lost), so every report page has stored results to serve."""
    from qingdan.checks.services import owe_unchecked

    try:
        if owed := owe_unchecked():
            logger.info("已登记 %s 项待补做的清单体检", owed)
    except Exception:
        logger.exception("登记待补做的清单体检时出错")
