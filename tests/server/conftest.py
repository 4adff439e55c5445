import threading

import pytest
from werkzeug.serving import make_server

from fhir_adapter.server import create_app

from ..conftest import FIXTURES, SEED


@pytest.fixture(scope="session")
def server():
    """The app on a real HTTP server thread, with the seed and two fixture monographs loaded."""
    app = create_app({"DB": ":memory:", "LOAD": [str(SEED), str(FIXTURES / "examplin.txt"),
                                                  str(FIXTURES / "normaxin.txt")]})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/fhir"
    httpd.shutdown()


@pytest.fixture()
def app_client():
    """A fresh app with an empty store, through Flask's test client (no network)."""
    return create_app({"DB": ":memory:"}).test_client()
