"""Schemathesis against the schema on a live server: its standard checks, zero failures.

Operations are collected from the schema this code generates; each test first checks that
the live server serves that very schema, then fuzzes the live server with a real token.
"""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jobs.api.auth import generate_key, hash_key
from jobs.models import JobTemplate
from production.models import ApiToken
from tests.factories import make_job

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "20"))
# The suite is reproducible by default (same inputs every run); `make fuzz` explores new ones.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM", "") != "1"

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(SCHEMA)
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)


@pytest.fixture
def fuzz_target(live_server, transactional_db, acme, olga, clean_queues, settings) -> dict:
    """The live server's URL and an owner's token, with data to find and limits out of the way."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    make_job(acme, user=olga)
    JobTemplate.objects.create(client=acme, name="Acme blog", job_type="content")
    key = generate_key()
    # A far-off id keeps the fuzzer's own token out of reach of DELETE /tokens/{id}/.
    ApiToken.objects.create(
        id=987_654_321, user=olga, name="fuzzing", prefix=key[:10], key_hash=hash_key(key)
    )
    live = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    assert live.status_code == 200 and live.json() == SCHEMA, "the live schema is the one fuzzed"
    return {"base_url": live_server.url, "headers": {"Authorization": f"Bearer {key}"}}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_schema(case, fuzz_target):
    case.call_and_validate(
        base_url=fuzz_target["base_url"], headers=fuzz_target["headers"], checks=CHECKS
    )
