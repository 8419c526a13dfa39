"""schemathesis against the service's own /openapi.json, in process (WSGI), no network.

Every operation gets generated requests, valid and invalid; each answer must not be a 5xx and
must match the status codes, media types, headers and schemas the document declares.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.http import create_app

schema = schemathesis.openapi.from_wsgi("/openapi.json", create_app({"TESTING": True}))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=CHECKS)
