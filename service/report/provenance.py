"""Where a report comes from: the tool and its version, the patterns it read and the input it was given.

``patterns`` is the sha256 of the patterns folder's data files (``*.toml``, ``*.tsv``, the files a
wheel carries), computed once per process: for each file in name order, its name, a NUL, its
length in bytes, a NUL and its bytes. A checkout and the container built from it give the same
digest; an edited word list gives another. ``input_sha256`` is the sha256 of the exact bytes
the caller sent: an uploaded file's bytes, a text body as received, the UTF-8 of a JSON body's
``text`` field (a Python caller passing ``str``: its UTF-8).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from typing import Any

from ..patterns import _patterns_dir

TOOL = "tally"
DATA_FILES = ("*.toml", "*.tsv")


@cache
def patterns_digest() -> str:
    folder = _patterns_dir()
    files = sorted({path for glob in DATA_FILES for path in folder.glob(glob) if path.is_file()}, key=lambda p: p.name)
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        digest.update(data)
    return digest.hexdigest()


@cache
def tool_version() -> str:
    return version(TOOL)


def text_bytes(text: str) -> bytes:
    """The UTF-8 of a text (a lone surrogate, which no caller over HTTP can send, as itself)."""
    return text.encode("utf-8", "surrogatepass")


def provenance(data: bytes) -> dict[str, Any]:
    return {
        "tool": TOOL,
        "version": tool_version(),
        "patterns": patterns_digest(),
        "input_sha256": hashlib.sha256(data).hexdigest(),
    }
