"""A small LRU of rendered pages that are the same for everyone (no answers, no errors).

An empty form page depends only on the definition (and its content hash), the page, the
language and where the app is mounted, so it is rendered once and then served from
memory. Pages carrying a citizen's answers are never cached: no personal data is kept.
Anything added later that makes an empty page differ per request (a signed-in name in
the header) must become part of the key or bypass the cache; the CSRF token is rendered as
a placeholder and put in after the cache (``csrf.fill``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock


class RenderCache:
    """Least-recently-used cache of rendered HTML; ``size`` 0 turns it off."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        """The page for ``key``, rendered with ``render`` the first time."""
        if self.size <= 0:
            return render()
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
                return html
        html = render()
        with self._lock:
            self._pages[key] = html
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return html

    def __len__(self) -> int:
        return len(self._pages)
