"""The work a page leaves for after its answer (``call_on_close``) runs under Werkzeug's
development server even when the browser resets the connection once it has the answer: that
server reads what is left on the connection before closing the answer, and skipped the close
when the reset came meanwhile (``app.close_once_sent``)."""

import socket
import struct
import threading

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import close_once_sent


@pytest.fixture
def served():
    """A page whose answer leaves work for after it, on Werkzeug's server; the work done."""
    page, done = Flask(__name__), threading.Event()

    @page.get("/")
    def answer():
        response = page.make_response("the answer")
        response.call_on_close(done.set)
        return response

    page.wsgi_app = close_once_sent(page.wsgi_app)
    server = make_server("127.0.0.1", 0, page, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, done
    server.shutdown()
    thread.join()


def test_the_work_after_the_answer_runs_when_the_browser_resets_the_connection(served):
    port, done = served
    with socket.create_connection(("127.0.0.1", port)) as browser:
        # More bytes than the request: the server reads them once it has answered, until the
        # connection ends, and the reset below ends it with an error.
        browser.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\nleft over")
        answer = b""
        while b"the answer" not in answer:
            answer += browser.recv(4096)
        browser.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    assert done.wait(10), "the work left for after the answer never ran"


def test_the_work_after_the_answer_runs_once_on_an_ordinary_close(served):
    port, done = served
    with socket.create_connection(("127.0.0.1", port)) as browser:
        browser.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert b"200 OK" in browser.recv(4096)
    assert done.wait(10)
