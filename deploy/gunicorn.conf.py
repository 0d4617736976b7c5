"""gunicorn settings for portal-web.service (gunicorn -c deploy/gunicorn.conf.py criteria_portal.wsgi)."""

import os

bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30  # long work runs in the worker (db_worker), never in a request
accesslog = "-"


def child_exit(server, worker):
    # With PROMETHEUS_MULTIPROC_DIR, every worker writes its metrics to files; a dead worker's live gauges go.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
