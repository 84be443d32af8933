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
