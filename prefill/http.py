"""A population-data adapter over HTTP: the contract of ``prefill/openapi.json``.

:class:`HttpAdapter` keeps one pooled ``httpx.Client`` and bounds every lookup: a connect
and a read budget, a few retries with exponential backoff (connection errors, timeouts and
5xx only; a 4xx is an answer), a circuit breaker that fails fast while the service keeps
failing, and an optional short-lived cache. Failures are typed (``NotFound``,
``Unavailable``, ``Timeout``) and their messages never hold personal data.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import ValidationError

from prefill.adapter import Health, Linked, NotFound, Timeout, Unavailable
from prefill.model import Citizen

__all__ = ["HttpAdapter"]

_CACHE_SIZE = 1024


def _well_formed(personal_id: str) -> bool:
    return len(personal_id) == 12 and personal_id.isascii() and personal_id.isdigit()


class _Retryable(Exception):
    """A failed attempt worth repeating; ``error`` is what to raise if none succeeds."""

    def __init__(self, error: Unavailable) -> None:
        self.error = error


class _Breaker:
    """Opens after ``threshold`` consecutive failed calls; one trial call after ``reset`` s."""

    def __init__(self, threshold: int, reset: float, clock: Callable[[], float]) -> None:
        self.threshold = threshold
        self.reset = reset
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial = False
        self.lock = threading.Lock()

    def enter(self) -> None:
        """Let a call through, or raise Unavailable while open (or a trial is running)."""
        with self.lock:
            if self.opened_at is None:
                return
            if self.trial or self.clock() - self.opened_at < self.reset:
                raise Unavailable("the population service is failing; not asking it for "
                                  "a while (circuit open)")
            self.trial = True

    def success(self) -> None:
        with self.lock:
            self.failures, self.opened_at, self.trial = 0, None, False

    def failure(self) -> None:
        with self.lock:
            self.failures += 1
            if self.trial or self.failures >= self.threshold:
                self.opened_at = self.clock()
            self.trial = False

    def release(self) -> None:
        """End a call that neither succeeded nor failed the service (a 401, say)."""
        with self.lock:
            self.trial = False


class HttpAdapter:
    """A :class:`~prefill.adapter.PopulationAdapter` talking to a population-data service.

    ``base_url`` is the service root (``http://127.0.0.1:8081``), ``token`` its bearer token.
    A lookup is tried ``1 + retries`` times at most, waiting ``backoff``, ``2 * backoff``...
    between tries. After ``breaker_threshold`` failed lookups in a row the adapter raises
    Unavailable at once for ``breaker_reset`` seconds, then lets one trial lookup through.
    ``cache_ttl`` > 0 keeps answers that long (per lookup, person and procedure; at most
    1024), so a repeated lookup makes no request. A rejected token (401, 403) is a
    configuration error: Unavailable, not retried, with a message for the operator.
    """

    source = "http"

    def __init__(self, base_url: str, token: str, *, connect_timeout: float = 0.5,
                 read_timeout: float = 2.0, retries: int = 2, backoff: float = 0.1,
                 breaker_threshold: int = 5, breaker_reset: float = 30.0,
                 cache_ttl: float = 0.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, retries)
        self.backoff = backoff
        self.cache_ttl = cache_ttl
        self._clock = time.monotonic
        self._breaker = _Breaker(max(1, breaker_threshold), breaker_reset, time.monotonic)
        self._cache: dict[tuple[str, str], tuple[float, Any]] = {}
        self._cache_lock = threading.Lock()
        timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout,
                                write=read_timeout, pool=read_timeout)
        self._client = httpx.Client(
            base_url=self.base_url, timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16))

    def __repr__(self) -> str:
        return f"HttpAdapter({self.base_url!r})"

    # --- one request -------------------------------------------------------------------

    def _attempt(self, path: str, procedure: str) -> Any:
        try:
            response = self._client.get(path, headers={"X-Procedure": procedure})
        except httpx.TimeoutException:
            raise _Retryable(Timeout("the population service did not answer in time")
                             ) from None
        except httpx.TransportError as exc:
            raise _Retryable(Unavailable(
                f"the population service is unreachable ({type(exc).__name__})")) from None
        status = response.status_code
        if status >= 500:
            raise _Retryable(Unavailable(f"the population service failed ({status})"))
        if status == 404:
            raise NotFound("no citizen with this personal ID")
        if status in (401, 403):
            raise PermissionError(f"the population service refused the token ({status}): "
                                  "check the token configured for it")
        if status != 200:
            raise PermissionError(f"the population service refused the request ({status})")
        try:
            return response.json()
        except ValueError:
            raise Unavailable("the population service answered malformed JSON") from None

    def _get(self, path: str, procedure: str) -> Any:
        key = (path, procedure)
        if self.cache_ttl > 0:
            with self._cache_lock:
                hit = self._cache.get(key)
            if hit is not None and hit[0] > self._clock():
                return hit[1]
        self._breaker.enter()
        try:
            value = self._tries(path, procedure)
        except NotFound:
            self._breaker.success()
            raise
        except PermissionError as exc:
            self._breaker.release()
            raise Unavailable(str(exc)) from None
        except Unavailable:
            self._breaker.failure()
            raise
        except BaseException:
            self._breaker.release()
            raise
        self._breaker.success()
        if self.cache_ttl > 0:
            self._remember(key, value)
        return value

    def _tries(self, path: str, procedure: str) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(path, procedure)
            except _Retryable as failed:
                if attempt == self.retries:
                    raise failed.error from None
                time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _remember(self, key: tuple[str, str], value: Any) -> None:
        now = self._clock()
        with self._cache_lock:
            if len(self._cache) >= _CACHE_SIZE:
                for old in [k for k, (expiry, _) in self._cache.items() if expiry <= now]:
                    del self._cache[old]
                while len(self._cache) >= _CACHE_SIZE:
                    del self._cache[next(iter(self._cache))]
            self._cache[key] = (now + self.cache_ttl, value)

    @staticmethod
    def _citizen(data: Any) -> Citizen:
        try:
            return Citizen.model_validate(data)
        except ValidationError:
            raise Unavailable("the population service answered a malformed record") from None

    def _lookup(self, personal_id: str, suffix: str, procedure: str) -> Any:
        if not _well_formed(personal_id):
            raise NotFound("no citizen with this personal ID")
        return self._get(f"/v1/citizens/{personal_id}{suffix}", procedure)

    # --- the protocol ------------------------------------------------------------------

    def citizen(self, personal_id: str, *, procedure: str) -> Citizen:
        """The record of ``personal_id``; NotFound if the service has none."""
        return self._citizen(self._lookup(personal_id, "", procedure))

    def household(self, personal_id: str, *, procedure: str) -> list[Citizen]:
        """The members of the person's household, the head first."""
        data = self._lookup(personal_id, "/household", procedure)
        if not isinstance(data, dict) or not isinstance(data.get("members"), list):
            raise Unavailable("the population service answered a malformed household")
        return [self._citizen(member) for member in data["members"]]

    def linked(self, personal_id: str, *, procedure: str) -> Linked:
        """The records of the person's father, mother, spouse and children."""
        data = self._lookup(personal_id, "/linked", procedure)
        if (not isinstance(data, dict) or not isinstance(data.get("children"), list)
                or not {"father", "mother", "spouse"} <= data.keys()):
            raise Unavailable("the population service answered malformed relatives")

        def one(name: str) -> Citizen | None:
            value = data.get(name)
            return None if value is None else self._citizen(value)

        return Linked(one("father"), one("mother"), one("spouse"),
                      tuple(self._citizen(c) for c in data["children"]))

    def health(self) -> Health:
        """Ok when the service says its data can be read (one request, never raises)."""
        try:
            response = self._client.get("/v1/health")
        except httpx.TimeoutException:
            return Health(False, "the population service did not answer in time")
        except httpx.HTTPError as exc:
            return Health(False, f"the population service is unreachable "
                                 f"({type(exc).__name__})")
        if response.status_code in (401, 403):
            return Health(False, f"the population service refused the token "
                                 f"({response.status_code})")
        try:
            data = response.json()
            detail = str(data.get("detail", ""))
            ok = response.status_code == 200 and data.get("ok") is True
        except (ValueError, AttributeError):
            return Health(False, f"the population service answered {response.status_code} "
                                 "without a health document")
        return Health(ok, detail or f"status {response.status_code}")

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __enter__(self) -> HttpAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
