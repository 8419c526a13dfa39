"""gunicorn settings for the container (``gunicorn -c gunicorn.conf.py 'service.http:create_app()'``).

Every knob is an environment variable; the app itself reads the other ``TALLY_*`` ones
(``TALLY_MAX_CONTENT_LENGTH``, ``TALLY_MAX_UPLOAD_BYTES``, ``TALLY_MAX_PAGES``,
``TALLY_MAX_EXPANDED_BYTES``, ``TALLY_API_KEY``) through ``from_prefixed_env``. gunicorn itself caps
only the request line and headers (``limit_request_*``, left at their defaults), never the body:
the app's two size limits are the only ones. What an uploaded file may expand to (a .docx's parts,
a PDF's streams, its pages) is refused by the app before it is read (413), and reading stops at
half the time budget, so that no upload holds a thread past the budget or grows a worker by more
than 300 MiB (bench/hostile.py measures both).

Worker class: ``gthread``. A check is CPU-bound and the pipeline is read-only after start-up, so
threads add no throughput but make a slow client cheap: a connection that has sent nothing yet is
parked in the worker's poller instead of holding a thread, kept-alive connections wait there too,
and a client that stalls mid-body holds one thread of ``TALLY_THREADS``, not a whole process as
with ``sync``. ``timeout`` is the worker heartbeat: a worker whose main loop is stuck that long
(a runaway check holding the GIL) is killed and replaced. Uploads from the open internet belong
behind a buffering proxy all the same.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "service.http:create_app()"
bind = f"0.0.0.0:{_int('TALLY_PORT', 8080)}"
workers = _int("TALLY_WORKERS", len(os.sched_getaffinity(0)))  # one per core this process may use
worker_class = "gthread"
threads = _int("TALLY_THREADS", 4)
preload_app = True  # load spaCy and the patterns once, before forking; a broken app fails at start
timeout = _int("TALLY_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5

# create_app() configures the app's own logging: one JSON line per request on stdout, with the
# request id, at TALLY_LOG_LEVEL. gunicorn adds no access log (that would be a second line per
# request); its own start/stop/error lines go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("TALLY_LOG_LEVEL", "info").lower()
control_socket_disable = True  # gunicorn 24+ would open one in $HOME, which the container user has not
