"""The committed contract (openapi.json and the web app's generated types) matches the backend."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from boxoffice.cli import openapi_document
from boxoffice.config import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"


def test_openapi_json_is_up_to_date() -> None:
    committed = (REPO_ROOT / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_document(), "openapi.json is stale: run `make openapi` and commit"


def test_generated_web_types_are_up_to_date(tmp_path: Path) -> None:
    generator = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    if not generator.exists():
        pytest.fail("frontend dependencies missing: run `make install` (npm ci) first")
    output = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(generator), str(REPO_ROOT / "openapi.json"), "-o", str(output)],
        check=True,
        capture_output=True,
        cwd=FRONTEND,
    )
    committed = (FRONTEND / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert committed == output.read_text(encoding="utf-8"), "schema.d.ts is stale: run `make openapi` and commit"


def test_operation_ids_are_stable_and_tagged() -> None:
    import json

    document = json.loads(openapi_document())
    seen: set[str] = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            op_id = operation["operationId"]
            tag = operation["tags"][0]
            assert op_id.startswith(f"{tag}-"), f"{method.upper()} {path}: operationId {op_id} must be {tag}-name"
            assert op_id not in seen
            seen.add(op_id)
    assert shutil.which("node") is not None


def test_socket_messages_are_in_the_contract() -> None:
    """The web app's socket message types are generated from these schemas (realtime/messages.ts)."""
    import json

    from boxoffice.realtime.events import MESSAGES, Sale

    document = json.loads(openapi_document())
    schemas = document["components"]["schemas"]
    documented = document["x-socketio-messages"]
    assert set(documented) == set(MESSAGES)
    for event, model in MESSAGES.items():
        assert documented[event] == {"$ref": f"#/components/schemas/{model.__name__}"}
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields), event
    # A field with a default (Sale.change) is always sent; openapi-typescript types it as present.
    assert schemas["Sale"]["properties"]["change"]["default"] == Sale.model_fields["change"].default
    assert "Ack" in schemas
