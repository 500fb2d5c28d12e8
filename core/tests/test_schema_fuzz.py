"""The OpenAPI schema tells the truth: schemathesis (every check) generates requests from /api/schema/ and sends them,
in process, as a viewer and as a creator. Bounded: a few examples per operation, deterministic, no example database,
so the run is repeatable and takes a few minutes."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

MAX_EXAMPLES = 10  # per operation and phase; the whole run stays within a few minutes
DOMAIN_400_PATHS = (
    "^/api/(coupons/validate|subscriptions|transactions|transactions/png|upload/url|windows|films|films/[^/]+"
    "|profile|profile/[^/]+|sessions/start|webhooks/.+)$"
)
CONFIG = f"""
[generation]
max-examples = {MAX_EXAMPLES}
deterministic = true
database = "none"
mode = "all"
# NUL is refused in every string by the input guard (docs/api.md, "Errors"), a rule the schema states once in prose
allow-x00 = false

[phases.coverage]
enabled = false

[phases.stateful]
enabled = false

[checks]
enabled = true

# Where a schema-valid body can still be refused with 400 by the domain, and the schema cannot say so: references to
# objects that may not exist (a window, a film, a genre, a profile, a plan or coupon code: data, not an enum), a
# territory code, a profile name already taken, a body that must name a window or a plan, and the rails' signed
# callbacks (the signature is checked, not described).
[[operations]]
include-path-regex = "{DOMAIN_400_PATHS}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""


@pytest.fixture
def api_schema(tokens):
    # As Django's test client does: the test's transaction is the connection, so a request must not close it.
    # (After `tokens`: the test client connects the receivers again when it is done.)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(),
                                         config=SchemathesisConfig.from_str(CONFIG))
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def tokens(make_user, client):
    """A signed-in viewer's and creator's access tokens: each generated request is sent once with each."""
    found = []
    for role in ("viewer", "creator"):
        user = make_user(role)
        answer = client.post("/api/auth/login", {"email": user.email, "password": PASSWORD},
                             content_type="application/json")
        assert answer.status_code == 200, answer.content
        found.append(answer.json()["access"])
    return found


@schema.parametrize()
def test_the_api_answers_as_its_schema_says(case, tokens):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


def test_the_schema_states_what_the_issue_found_untrue(client):
    spec = client.get("/api/schema/?format=json").json()
    components = spec["components"]["schemas"]
    paths = spec["paths"]

    listed = paths["/api/subscriptions/user/{user_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"] == {"$ref": "#/components/schemas/PaginatedSubscriptionList"}
    assert components["Payment"]["properties"]["redirect_url"] == {"type": "string", "format": "uri",
                                                                    "nullable": True, "readOnly": True}
    page_size = next(p for p in paths["/api/films"]["get"]["parameters"] if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1}
    assert components["Refresh"]["properties"]["refresh"]["minLength"] == 1
    assert components["UploadStart"]["properties"]["filename"]["minLength"] == 1
    assert components["WindowWrite"]["properties"]["territories"]["items"]["minLength"] == 1
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"400", "4XX"} <= set(operation["responses"]), (method, path)
            error = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}
