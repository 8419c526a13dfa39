"""Whether the client of a request is still there: a check whose client has gone stops.

The server's socket for the request is in the WSGI environ (``gunicorn.socket``,
``werkzeug.socket``). Once the request has been read, nothing more arrives on it until the
answer is sent, so a socket that polls readable and peeks no byte has been closed by its peer:
the client (or nginx, which closes its connection to gunicorn when its own client goes away)
has hung up. Bytes waiting (a pipelined next request) are not a hang-up, and a socket that
cannot be peeked at (TLS) never says gone.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Callable, Mapping
from typing import Any

SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


def hung_up(sock: socket.socket) -> bool:
    """True when the peer has closed ``sock`` (or it is broken); never blocks."""
    try:
        fd = sock.fileno()
    except (OSError, ValueError):
        return True
    if fd < 0:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    if not events:
        return False
    if events[0][1] & (select.POLLERR | select.POLLNVAL):
        return True
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except ValueError:  # an ssl.SSLSocket takes no flags: it is not looked at
        return False
    except OSError:  # reset by the peer
        return True


def watcher(environ: Mapping[str, Any]) -> Callable[[], bool] | None:
    """A ``gone()`` for ``service.budget.watching``, or None when the server gives no socket."""
    sock = next((environ[key] for key in SOCKET_KEYS if isinstance(environ.get(key), socket.socket)), None)
    if sock is None:
        return None
    return lambda: hung_up(sock)
