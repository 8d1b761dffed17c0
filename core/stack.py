"""A request's Python frames kept in one chunk of CPython's frame stack (issue 22).

Since 3.11, CPython keeps the frames of Python calls in chunks of 16 KiB, and frees a chunk
as soon as the first frame in it returns. A loop that calls across the edge of a chunk then
maps and unmaps a chunk on every call of the loop: an ``mmap``, a ``munmap`` and the page
faults of touching new memory, some 8 µs a call here (CPython issue gh-142183, "Calls across
stack chunks perform badly"; 3.14 and later 3.13 releases keep a spare chunk instead).

A template renders its nodes in such loops, and where a chunk ends depends on everything
below the template: the server, each middleware, the view. Measured on the visit form's
page (scale 1, 300 requests): its template, rendered with the same context, took 6.8 ms
from the bench script and 10.1 ms from inside the request, with 307 ``mmap`` calls per
render at that depth; the same template at 60 frames deeper than the script took 10.5 ms,
at 140 frames 6.3 ms. So a page paid a third more for its template depending on where the
edge fell, and any change to the middleware could move it.

``call_in_own_chunk`` starts a chunk of 512 KiB for the call it makes, large enough for
everything under it: its frame declares a stack of ``FRAME_WORDS`` slots, CPython gives a
frame that does not fit its current chunk a new one of 16 KiB doubled until it holds the
frame and 1,000 words more, and the slots declared are never written, so their memory is
not even touched. The calls under it have the 33,000-odd words left: about a thousand
frames, where a request reaches two or three hundred. One chunk is mapped per call instead
of hundreds.
"""

import contextlib
import sys

# 32,000 words: 8 × (32,000 + 1,000) bytes is more than 256 KiB, so the chunk is 512 KiB.
FRAME_WORDS = 32_000


def call_in_own_chunk(function, *args, **kwargs):
    """``function(*args, **kwargs)``, its frames in a frame-stack chunk of their own.

    Rule: what it returns and raises is ``function``'s; only where CPython keeps the frames
    changes. Meant for a whole request or task, not for small calls: each call maps a chunk.
    """
    return function(*args, **kwargs)


# Frames in chunks since 3.11; 3.14 keeps a spare chunk (gh-142183), so the call is plain there.
if sys.implementation.name == "cpython" and (3, 11) <= sys.version_info < (3, 14):
    # A CPython that refused a declared stack this size would leave it a plain call.
    with contextlib.suppress(TypeError, ValueError):
        call_in_own_chunk.__code__ = call_in_own_chunk.__code__.replace(co_stacksize=FRAME_WORDS)
