"""Kubernetes manifests: strict schema validation (kubernetes-validate) for pinned versions, then what a
schema cannot see: references between objects, probes on real endpoints, rollout and security settings.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import kubernetes_validate
import pytest
import yaml

from boxoffice.config import PLACEHOLDER_SECRETS
from tests.deploy.files import (
    K8S,
    KUBERNETES_VERSIONS,
    REPO_ROOT,
    Manifest,
    dispatch,
    find,
    k8s_manifest_files,
    k8s_resources,
    load_documents,
    of_kind,
    pod_spec,
    settings_from,
    unknown_variables,
)

WORKLOADS = [("Deployment", "boxoffice-api"), ("Deployment", "boxoffice-worker"), ("Job", "boxoffice-migrate")]
UVICORN_GRACEFUL_SHUTDOWN_SECONDS = 20  # boxoffice/cli.py: serve(timeout_graceful_shutdown=20)


def _containers(workload: Manifest) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = pod_spec(workload)["containers"]
    return containers


def _labels_match(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _secret_keys() -> set[str]:
    return set(find("Secret", "boxoffice-secrets")["stringData"])


def _config() -> dict[str, str]:
    data: dict[str, str] = find("ConfigMap", "boxoffice-config")["data"]
    return data


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", k8s_manifest_files(), ids=lambda p: p.relative_to(K8S).as_posix())
def test_manifest_is_valid_in_strict_mode(path: Path, version: str) -> None:
    documents = load_documents(path)
    assert documents, f"{path.name} holds no resource"
    for resource in documents:
        kubernetes_validate.validate(resource, version, strict=True)


def test_strict_validation_rejects_unknown_fields() -> None:
    """Control: a misspelt field is an error, not silently dropped as `kubectl apply` would."""
    resource = find("Deployment", "boxoffice-api")
    broken = {**resource, "spec": {**resource["spec"], "replicaz": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)


def test_every_resource_is_namespaced_and_labelled() -> None:
    for path, resource in k8s_resources():
        meta = resource["metadata"]
        assert meta["labels"]["app.kubernetes.io/part-of"] == "boxoffice", f"{path.name}: {meta['name']}"
        if resource["kind"] != "Namespace":
            assert meta.get("namespace") == "boxoffice", f"{path.name}: {meta['name']} needs a namespace"


def test_kustomization_applies_everything_but_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk
    assert not any("secret" in name for name in listed), "the Secret is created by hand, never committed"
    images = {c["image"].rsplit(":", 1)[0] for kind, name in WORKLOADS for c in _containers(find(kind, name))}
    assert images == {entry["name"] for entry in kustomization["images"]}
    assert all(entry["newTag"] != "latest" for entry in kustomization["images"])


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_kustomize_renders_the_release() -> None:
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    documents = [doc for doc in yaml.safe_load_all(rendered) if doc]
    expected = sorted(doc["kind"] for path, doc in k8s_resources() if path.parent == K8S)
    assert sorted(doc["kind"] for doc in documents) == expected
    (image,) = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))["images"]
    rendered_images = {
        c["image"] for doc in documents if doc["kind"] in ("Deployment", "Job") for c in _containers(doc)
    }
    assert rendered_images == {f"{image['newName']}:{image['newTag']}"}


def test_images_are_pinned() -> None:
    for kind, name in WORKLOADS:
        for container in _containers(find(kind, name)):
            image = container["image"]
            assert re.fullmatch(r"[\w./-]+:[\w.-]+", image) and not image.endswith(":latest"), image
            assert container["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("Deployment", "boxoffice-api", "serve"),
        ("Deployment", "boxoffice-worker", "worker"),
        ("Job", "boxoffice-migrate", "migrate"),
    ],
)
def test_commands_are_cli_commands(kind: str, name: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (container,) = _containers(find(kind, name))
    called, arguments = dispatch(container["command"], monkeypatch)
    assert called == expected
    if called == "serve":
        assert arguments["prepare"] is False, "production migrates in the Job, never in the API pods"


def test_workloads_read_the_configmap_and_the_secret() -> None:
    for kind, name in WORKLOADS:
        for container in _containers(find(kind, name)):
            sources = container["envFrom"]
            assert {"configMapRef": {"name": "boxoffice-config"}} in sources
            assert {"secretRef": {"name": "boxoffice-secrets"}} in sources
            assert "env" not in container, "all settings come from the ConfigMap and the Secret"


def test_configmap_and_secret_hold_only_real_settings() -> None:
    config = _config()
    assert unknown_variables(list(config)) == []
    assert unknown_variables(sorted(_secret_keys())) == []
    assert not set(config) & _secret_keys(), "a setting lives in one place"
    for key in config:
        assert not re.search(r"SECRET|PASSWORD|_KEY$|DATABASE_URL|REDIS_URL", key), f"{key} belongs in the Secret"
    assert all(isinstance(value, str) for value in config.values()), "ConfigMap values are strings"


def test_secret_example_commits_no_value() -> None:
    secret = find("Secret", "boxoffice-secrets")
    assert "data" not in secret
    assert set(secret["stringData"].values()) == {""}


def test_configmap_with_the_secret_keys_starts_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {**_config(), **{key: f"postgresql://u:p@db/{key}" for key in _secret_keys()}}
    for key in ("BOXOFFICE_JWT_SECRET", "BOXOFFICE_TICKET_SIGNING_SECRET"):
        environ[key] = "x" * 48
    environ["BOXOFFICE_REDIS_URL"] = "redis://redis:6379/0"
    settings = settings_from(environ, monkeypatch)
    assert settings.env == "production"
    assert settings.host == "0.0.0.0"  # noqa: S104  (listening in a container)
    assert settings.cors_origins == []
    assert settings.seed_demo_on_start is False
    assert settings.payment_provider in ("stripe", "mock")
    assert str(settings.frontend_dist) == "/app/frontend/dist"
    assert urlparse(settings.public_base_url).scheme == "https"


@pytest.mark.parametrize("missing", ["BOXOFFICE_DATABASE_URL", "BOXOFFICE_REDIS_URL", "BOXOFFICE_JWT_SECRET"])
def test_production_refuses_to_start_without_a_required_secret(missing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {**_config(), "BOXOFFICE_PAYMENT_PROVIDER": "mock"}
    environ |= {
        "BOXOFFICE_DATABASE_URL": "postgresql://u:p@db/boxoffice",
        "BOXOFFICE_REDIS_URL": "redis://redis:6379/0",
        "BOXOFFICE_JWT_SECRET": "j" * 40,
        "BOXOFFICE_TICKET_SIGNING_SECRET": "t" * 40,
    }
    del environ[missing]
    with pytest.raises(ValueError, match=missing):
        settings_from(environ, monkeypatch)
    assert "" in PLACEHOLDER_SECRETS  # an empty key from the example would be refused too


def test_selectors_services_and_autoscalers_point_at_real_pods() -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind("Deployment")}
    for deployment in deployments.values():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert _labels_match(selector, deployment["spec"]["template"]["metadata"]["labels"])
    api_labels = deployments["boxoffice-api"]["spec"]["template"]["metadata"]["labels"]
    worker_labels = deployments["boxoffice-worker"]["spec"]["template"]["metadata"]["labels"]
    service = find("Service", "boxoffice-api")
    assert _labels_match(service["spec"]["selector"], api_labels)
    assert not _labels_match(service["spec"]["selector"], worker_labels), "the worker serves no HTTP"
    container_ports = {p["name"] for p in _containers(deployments["boxoffice-api"])[0]["ports"]}
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= container_ports
    pdb = find("PodDisruptionBudget", "boxoffice-api")
    assert _labels_match(pdb["spec"]["selector"]["matchLabels"], api_labels)
    assert not _labels_match(pdb["spec"]["selector"]["matchLabels"], worker_labels)
    for hpa in of_kind("HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment" and target["name"] in deployments
        assert "replicas" not in deployments[target["name"]]["spec"], "the HPA owns the replica count"
        assert all(m["resource"]["name"] == "cpu" for m in hpa["spec"]["metrics"])
        for container in _containers(deployments[target["name"]]):
            assert "cpu" in container["resources"]["requests"], "CPU utilisation is relative to the request"


def test_api_runs_at_least_two_replicas() -> None:
    assert find("HorizontalPodAutoscaler", "boxoffice-api")["spec"]["minReplicas"] >= 2
    worker = find("HorizontalPodAutoscaler", "boxoffice-worker")["spec"]
    assert 1 <= worker["minReplicas"] <= worker["maxReplicas"]


def test_probes_use_the_health_endpoints() -> None:
    from boxoffice.health.router import router

    paths = {getattr(route, "path", None) for route in router.routes}
    (api,) = _containers(find("Deployment", "boxoffice-api"))
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live", "liveness must not depend on the database"
    assert api["startupProbe"]["httpGet"]["path"] == "/health/live"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert api[probe]["httpGet"]["path"] in paths
        assert api[probe]["httpGet"]["port"] == "http"
    # /health/ready checks the database then Redis, each with a 2 s timeout.
    assert api["readinessProbe"]["timeoutSeconds"] >= 4


def test_worker_has_no_invented_endpoint() -> None:
    (worker,) = _containers(find("Deployment", "boxoffice-worker"))
    assert "ports" not in worker
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert probe not in worker


def test_api_rolls_out_without_downtime() -> None:
    deployment = find("Deployment", "boxoffice-api")
    strategy = deployment["spec"]["strategy"]
    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0
    spec = pod_spec(deployment)
    (api,) = spec["containers"]
    pre_stop = api["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    drain = int(pre_stop[1])
    assert drain >= 5, "endpoint removal needs a few seconds to reach the ingress controller"
    assert spec["terminationGracePeriodSeconds"] > drain + UVICORN_GRACEFUL_SHUTDOWN_SECONDS


def test_containers_have_resources_and_a_hardened_context() -> None:
    for kind, name in WORKLOADS:
        spec = pod_spec(find(kind, name))
        assert spec["automountServiceAccountToken"] is False
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] > 0
        assert pod["seccompProfile"]["type"] == "RuntimeDefault"
        for container in spec["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]) and {"cpu", "memory"} <= set(resources["limits"])
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["readOnlyRootFilesystem"] is True
            assert context["capabilities"]["drop"] == ["ALL"]


def test_uploads_are_on_a_shared_volume_not_on_pod_disk() -> None:
    pvc = find("PersistentVolumeClaim", "boxoffice-uploads")
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"], "every API replica reads every cover"
    spec = pod_spec(find("Deployment", "boxoffice-api"))
    uploads_dir = _config()["BOXOFFICE_DATA_DIR"].rstrip("/") + "/uploads"  # boxoffice/storage.py
    (api,) = spec["containers"]
    (mount,) = [m for m in api["volumeMounts"] if m["mountPath"] == uploads_dir]
    (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
    assert volume == {"name": mount["name"], "persistentVolumeClaim": {"claimName": "boxoffice-uploads"}}
    for kind, name in WORKLOADS:
        for volume in pod_spec(find(kind, name)).get("volumes", []):
            if "emptyDir" in volume:
                mounts = {m["mountPath"] for c in pod_spec(find(kind, name))["containers"] for m in c["volumeMounts"]}
                assert volume["name"] == "tmp" and "/tmp" in mounts, "emptyDir is for scratch space only"


def test_migrate_job_runs_once_and_is_retried() -> None:
    job = find("Job", "boxoffice-migrate")["spec"]
    assert job["parallelism"] == 1 and job["completions"] == 1
    assert job["backoffLimit"] >= 1
    assert job["template"]["spec"]["restartPolicy"] == "Never"


def _ingress_paths() -> list[tuple[Manifest, dict[str, Any]]]:
    return [
        (ingress, path)
        for ingress in of_kind("Ingress")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]


def test_ingress_routes_to_the_api_service_over_tls() -> None:
    service = find("Service", "boxoffice-api")
    port_names = {p["name"] for p in service["spec"]["ports"]}
    host = urlparse(_config()["BOXOFFICE_PUBLIC_BASE_URL"]).hostname
    for ingress, path in _ingress_paths():
        backend = path["backend"]["service"]
        assert backend["name"] == "boxoffice-api" and backend["port"]["name"] in port_names
        assert ingress["spec"]["ingressClassName"] == "nginx"
        assert [r["host"] for r in ingress["spec"]["rules"]] == [host], "the host of BOXOFFICE_PUBLIC_BASE_URL"
        assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": "boxoffice-tls"}]
    routed = {path["path"] for _, path in _ingress_paths()}
    assert {"/", "/socket.io", "/metrics"} <= routed


def test_socketio_ingress_allows_long_lived_websockets_without_stickiness() -> None:
    (socket_ingress,) = [i for i, p in _ingress_paths() if p["path"] == "/socket.io"]
    annotations = socket_ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    for ingress in of_kind("Ingress"):
        for key in ingress["metadata"].get("annotations", {}):
            assert "affinity" not in key and "session-cookie" not in key, f"{key}: no sticky sessions"
    assert find("Service", "boxoffice-api")["spec"]["sessionAffinity"] == "None"


def test_ingress_accepts_cover_uploads_and_hides_metrics() -> None:
    from boxoffice.config import Settings

    (main,) = [i for i, p in _ingress_paths() if p["path"] == "/"]
    size = main["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()  # type: ignore[union-attr]
    assert int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit] >= Settings().max_request_bytes
    ((metrics, path),) = [(i, p) for i, p in _ingress_paths() if p["path"] == "/metrics"]
    assert path["pathType"] == "Exact"
    assert metrics["metadata"]["annotations"]["nginx.ingress.kubernetes.io/whitelist-source-range"] == "127.0.0.1/32"


def test_namespace_enforces_the_restricted_pod_security_standard() -> None:
    labels = find("Namespace", "boxoffice")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_repository_root_is_where_the_manifests_expect_it() -> None:
    assert (REPO_ROOT / "backend" / "boxoffice" / "cli.py").is_file()
