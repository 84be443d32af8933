"""What the deployment tests read: paths, YAML documents, and the settings the manifests may set."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from boxoffice.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[3]
DEPLOY = REPO_ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_FILE = DEPLOY / "compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
BACKEND_DOCKERFILE = DEPLOY / "backend.Dockerfile"
FRONTEND_DOCKERFILE = DEPLOY / "frontend.Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

# Kubernetes versions the manifests must be valid for: the oldest we support and a current one.
KUBERNETES_VERSIONS = ("1.30.0", "1.33.0")

# Variables read from the environment outside Settings (uvicorn's proxy trust list, the job broker).
NON_SETTINGS_VARIABLES = frozenset({"FORWARDED_ALLOW_IPS", "BOXOFFICE_JOB_BROKER"})

Manifest = dict[str, Any]


def load_documents(path: Path) -> list[Manifest]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def k8s_manifest_files() -> list[Path]:
    """Every Kubernetes manifest: deploy/k8s/*.yaml (but the kustomization) and the examples."""
    files = [p for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml"]
    return files + sorted((K8S / "examples").glob("*.yaml"))


@functools.cache
def k8s_resources() -> list[tuple[Path, Manifest]]:
    """Parsed once per run: treat the documents as read-only."""
    return [(path, doc) for path in k8s_manifest_files() for doc in load_documents(path)]


def find(kind: str, name: str) -> Manifest:
    matches = [doc for _, doc in k8s_resources() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def of_kind(kind: str) -> list[Manifest]:
    return [doc for _, doc in k8s_resources() if doc["kind"] == kind]


def pod_spec(workload: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def setting_name(variable: str) -> str | None:
    """``BOXOFFICE_SMTP_HOST`` -> ``smtp_host`` when that is a Settings field, else None."""
    prefix = "BOXOFFICE_"
    if not variable.startswith(prefix):
        return None
    name = variable[len(prefix) :].lower()
    return name if name in Settings.model_fields else None


def unknown_variables(variables: set[str] | list[str]) -> list[str]:
    """Variables that neither Settings nor the processes read: typos that would be silently ignored."""
    return sorted(v for v in variables if v not in NON_SETTINGS_VARIABLES and setting_name(v) is None)


def settings_from(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings exactly as a container with this environment (and no other BOXOFFICE_ variable) loads them."""
    for key in list(os.environ):
        if key.startswith("BOXOFFICE_"):
            monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)


def dispatch(command: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    """Which ``boxoffice`` CLI function a container command reaches, and with what (nothing runs)."""
    from boxoffice import cli

    assert command[0] == "boxoffice", f"{command}: the images run the boxoffice CLI"
    calls: list[tuple[str, dict[str, Any]]] = []
    for name in ("serve", "worker", "migrate", "seed"):

        def record(*args: Any, _name: str = name, **kwargs: Any) -> None:
            calls.append((_name, {"args": args, **kwargs}))

        monkeypatch.setattr(cli, name, record)
    cli.main(command[1:])
    assert len(calls) == 1, f"{command}: reached {calls}"
    return calls[0]
