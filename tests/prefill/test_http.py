"""Tests for prefill.http: the adapter contract over a real socket, and its failure modes."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from formengine.population_service import create_service
from prefill.adapter import NotFound, Timeout, Unavailable
from prefill.http import HttpAdapter
from prefill.sqlite import SqliteAdapter
from tests.prefill.contract import PROCEDURE, AdapterContract, Population
from tests.servers import Server, WsgiApp, answering

TOKEN = "test-token"

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def service(population_file: Path) -> Iterator[Server]:
    server = Server(create_service(SqliteAdapter(population_file), TOKEN))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def some_record(population: Population) -> bytes:
    person = population[sorted(population)[0]]
    return json.dumps(person.model_dump(mode="json")).encode()


class TestHttpContract(AdapterContract):
    @pytest.fixture
    def adapter(self, service: Server) -> Iterator[HttpAdapter]:
        with HttpAdapter(service.url, TOKEN) as adapter:
            yield adapter

    @pytest.fixture
    def unavailable_adapter(self) -> Iterator[HttpAdapter]:
        with HttpAdapter(f"http://127.0.0.1:{free_port()}", TOKEN, backoff=0.01) as adapter:
            yield adapter


def test_stopped_service_is_unavailable_quickly(serve: Callable[[WsgiApp], Server],
                                                population: Population) -> None:
    server = serve(answering(200, b"{}"))
    server.stop()
    adapter = HttpAdapter(server.url, TOKEN, read_timeout=10.0, backoff=0.01)
    started = time.perf_counter()
    with pytest.raises(Unavailable, match="unreachable") as caught:
        adapter.citizen(sorted(population)[0], procedure=PROCEDURE)
    assert not isinstance(caught.value, Timeout)
    assert time.perf_counter() - started < 5.0  # refused at once, not after the read budget
    assert not adapter.health()


def test_slow_service_times_out(serve: Callable[[WsgiApp], Server],
                                some_record: bytes) -> None:
    server = serve(answering(200, some_record, delay=0.5))
    adapter = HttpAdapter(server.url, TOKEN, read_timeout=0.1, retries=1, backoff=0.01)
    with pytest.raises(Timeout):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 2  # a timeout is retried


def test_failing_service_is_retried_then_unavailable(
        serve: Callable[[WsgiApp], Server]) -> None:
    server = serve(answering(500, b'{"title": "boom"}'))
    adapter = HttpAdapter(server.url, TOKEN, retries=2, backoff=0.01)
    with pytest.raises(Unavailable, match="failed") as caught:
        adapter.household("001090000001", procedure=PROCEDURE)
    assert not isinstance(caught.value, Timeout)
    assert server.requests == 3


def test_client_errors_are_not_retried(serve: Callable[[WsgiApp], Server]) -> None:
    server = serve(answering(404, b'{"title": "Not Found"}'))
    adapter = HttpAdapter(server.url, TOKEN, retries=2, backoff=0.01)
    with pytest.raises(NotFound):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 1


@pytest.mark.parametrize("body", [b"{not json", b'{"personal_id": "12"}', b"[]"])
def test_malformed_answers_are_unavailable(serve: Callable[[WsgiApp], Server],
                                           body: bytes) -> None:
    server = serve(answering(200, body))
    adapter = HttpAdapter(server.url, TOKEN, retries=2, backoff=0.01)
    for lookup in (adapter.citizen, adapter.household, adapter.linked):
        with pytest.raises(Unavailable, match="malformed"):
            lookup("001090000001", procedure=PROCEDURE)
    assert server.requests == 3  # not retried


def test_wrong_token_is_an_operator_error(service: Server, population: Population) -> None:
    adapter = HttpAdapter(service.url, "wrong", retries=2, backoff=0.01)
    before = service.requests
    personal_id = sorted(population)[0]
    with pytest.raises(Unavailable, match="refused the token") as caught:
        adapter.citizen(personal_id, procedure=PROCEDURE)
    assert personal_id not in str(caught.value)
    assert service.requests == before + 1
    health = adapter.health()
    assert not health and "token" in health.detail


def test_breaker_opens_then_half_opens(serve: Callable[[WsgiApp], Server],
                                       some_record: bytes) -> None:
    failing = answering(503, b"{}")
    server = serve(failing)
    adapter = HttpAdapter(server.url, TOKEN, retries=0, breaker_threshold=2,
                          breaker_reset=0.3)
    for _ in range(2):
        with pytest.raises(Unavailable, match="failed"):
            adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 2
    with pytest.raises(Unavailable, match="circuit open"):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 2  # failed fast
    time.sleep(0.35)
    with pytest.raises(Unavailable, match="failed"):  # the half-open trial fails: reopen
        adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 3
    with pytest.raises(Unavailable, match="circuit open"):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    server.app = answering(200, some_record)
    time.sleep(0.35)
    person = adapter.citizen("001090000001", procedure=PROCEDURE)  # trial succeeds: close
    assert person.personal_id == json.loads(some_record)["personal_id"]
    adapter.citizen("001090000001", procedure=PROCEDURE)
    assert server.requests == 5


def test_cache_serves_a_repeat_without_a_request(service: Server,
                                                 population: Population) -> None:
    personal_id = sorted(population)[1]
    adapter = HttpAdapter(service.url, TOKEN, cache_ttl=0.3)
    before = service.requests
    first = adapter.citizen(personal_id, procedure=PROCEDURE)
    assert adapter.citizen(personal_id, procedure=PROCEDURE) == first
    assert service.requests == before + 1
    adapter.citizen(personal_id, procedure="other-procedure")  # audited per procedure
    assert service.requests == before + 2
    time.sleep(0.35)
    assert adapter.citizen(personal_id, procedure=PROCEDURE) == first  # expired: asked
    assert service.requests == before + 3


def test_no_cache_by_default(service: Server, population: Population) -> None:
    personal_id = sorted(population)[1]
    adapter = HttpAdapter(service.url, TOKEN)
    before = service.requests
    adapter.citizen(personal_id, procedure=PROCEDURE)
    adapter.citizen(personal_id, procedure=PROCEDURE)
    assert service.requests == before + 2


def test_malformed_ids_make_no_request(service: Server) -> None:
    adapter = HttpAdapter(service.url, TOKEN)
    before = service.requests
    with pytest.raises(NotFound):
        adapter.linked("../health", procedure=PROCEDURE)
    assert service.requests == before
