"""gunicorn settings for the container (``gunicorn -c gunicorn.conf.py 'service.http:create_app()'``).

In the image gunicorn sits behind nginx (``deploy/nginx.conf``, started with it by
``deploy/tally-serve``): nginx reads every request whole (headers and body, buffered in memory
or in a temporary file) before it opens a connection to gunicorn's unix socket, and buffers
the answer too, so a slow or stalled client only ever costs nginx a connection, never a worker.

Every knob is an environment variable; the app itself reads the other ``TALLY_*`` ones
(``TALLY_MAX_CONTENT_LENGTH``, ``TALLY_MAX_UPLOAD_BYTES``, ``TALLY_MAX_PAGES``,
``TALLY_MAX_EXPANDED_BYTES``, ``TALLY_API_KEY``) through ``from_prefixed_env``. gunicorn itself caps
only the request line and headers (``limit_request_*``, left at their defaults), never the body:
the app's two size limits are the only ones. What an uploaded file may expand to (a .docx's parts,
a PDF's streams, its pages) is refused by the app before it is read (413), and reading stops at
half the time budget, so that no upload holds a thread past the budget or grows a worker by more
than 300 MiB (bench/hostile.py measures both).

Worker class: ``sync`` (``TALLY_THREADS=1``). A check is CPU-bound and the pipeline is read-only
after start-up, so threads add no throughput; behind a buffering proxy they protect from nothing
either. A sync worker takes a connection only when it is idle, so requests are spread over the
workers by construction (a gthread worker accepts while its threads are busy and queues the
work: keep-alive connections piled up on one worker), and ``timeout`` is real: a worker whose
request has run ``TALLY_TIMEOUT`` seconds is killed and replaced (a gthread worker's main loop
keeps beating while a thread is stuck). ``TALLY_THREADS`` > 1 gives ``gthread`` again, for a
gunicorn that is reached without nginx.

Recycling: a worker exits after ``TALLY_MAX_REQUESTS`` requests (give or take
``TALLY_MAX_REQUESTS_JITTER``, so that workers do not all restart at once), and after any
request that leaves it above ``TALLY_WORKER_MAX_RSS_MB`` of resident memory (``post_request``
below: the answer has been sent; the worker stops taking connections and the arbiter forks a
fresh one from the preloaded master). 0 turns either off.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "service.http:create_app()"
# TALLY_BIND: where gunicorn listens (deploy/tally-serve sets a unix socket nginx proxies to);
# without it, every address on TALLY_PORT
bind = os.environ.get("TALLY_BIND", "").strip() or f"0.0.0.0:{_int('TALLY_PORT', 8080)}"
workers = _int("TALLY_WORKERS", len(os.sched_getaffinity(0)))  # one per core this process may use
threads = _int("TALLY_THREADS", 1)
worker_class = "sync" if threads <= 1 else "gthread"
preload_app = True  # load spaCy and the patterns once, before forking; a broken app fails at start
timeout = _int("TALLY_TIMEOUT", 30)  # seconds a request may run before its worker is killed
graceful_timeout = _int("TALLY_GRACEFUL_TIMEOUT", 20)  # on a restart or stop, for the requests in flight
keepalive = 5  # gthread only; behind nginx every upstream connection carries one request
max_requests = _int("TALLY_MAX_REQUESTS", 1000)
max_requests_jitter = _int("TALLY_MAX_REQUESTS_JITTER", 100)
max_rss_mb = _int("TALLY_WORKER_MAX_RSS_MB", 1024)

# create_app() configures the app's own logging: one JSON line per request on stdout, with the
# request id, at TALLY_LOG_LEVEL. gunicorn adds no access log (that would be a second line per
# request); its own start/stop/error lines go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("TALLY_LOG_LEVEL", "info").lower()
control_socket_disable = True  # gunicorn 24+ would open one in $HOME, which the container user has not


def rss_mb() -> float:
    """This process's resident memory, in MiB (Linux: /proc/self/statm)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def post_request(worker, req, environ, resp) -> None:
    """Retire a worker that a request has left too big: it finishes this request and exits."""
    if max_rss_mb > 0 and worker.alive and (rss := rss_mb()) > max_rss_mb:
        worker.log.info("Worker at %.0f MiB, above TALLY_WORKER_MAX_RSS_MB=%d: recycling it.", rss, max_rss_mb)
        worker.alive = False
