"""The reference gunicorn settings of an app server: `gunicorn -c marketplace/deploy/gunicorn.conf.py
marketplace.wsgi`. Each host runs the same release with the same environment (app.env); only the address,
the pid file and the logs differ, so they come from the environment.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two sync workers per core is gunicorn's own advice; the rehearsal's 2 per server fit a 2-core machine.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
# A request that takes longer than this is a bug or an overload; the worker is replaced.
timeout = 30
# On SIGTERM, requests in flight get this long to finish before the workers are stopped.
graceful_timeout = 20
# Bound the growth of a long-lived worker (caches per process, fragmentation).
max_requests = 2000
max_requests_jitter = 200
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
proc_name = os.environ.get("GUNICORN_NAME", "marketplace")
# Only the load balancer may say the request came over TLS (Django reads X-Forwarded-Proto itself, with
# TRUST_X_FORWARDED_PROTO; this is gunicorn's own view of the scheme).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
