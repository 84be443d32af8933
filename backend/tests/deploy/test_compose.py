"""deploy/compose.yml without Docker: the Compose Specification schema (compose-pydantic, strict models),
then its wiring: health checks, start order, commands, secrets only through interpolation, and the
environment the containers get, resolved the way `docker compose` interpolates it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from compose_pydantic import ComposeSpecification  # type: ignore[import-untyped]

from tests.deploy.dockerfile import DockerIgnore, simulate
from tests.deploy.files import (
    COMPOSE_FILE,
    DEPLOY,
    DOCKERIGNORE,
    ENV_EXAMPLE,
    REPO_ROOT,
    dispatch,
    settings_from,
    unknown_variables,
)

BACKEND_SERVICES = ("migrate", "seed", "api", "worker")
REQUIRED = ("POSTGRES_PASSWORD", "BOXOFFICE_JWT_SECRET", "BOXOFFICE_TICKET_SIGNING_SECRET")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$|DATABASE_URL")
_VARIABLE = re.compile(r"\$\$|\$\{(?P<braced>[^}]+)\}|\$(?P<bare>[A-Za-z_]\w*)")


class InterpolationError(Exception):
    pass


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, $$."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        if match.group("bare"):
            return variables.get(match.group("bare"), "")
        expression = match.group("braced")
        name, operator, argument = re.fullmatch(r"(\w+)(:?[-?+])?(.*)", expression).groups()  # type: ignore[union-attr]
        value = variables.get(name)
        empty = value is None or (operator is not None and operator.startswith(":") and value == "")
        if operator in (":?", "?") and empty:
            raise InterpolationError(f"{name}: {argument}")
        if operator in (":-", "-") and empty:
            return str(argument)
        if operator in (":+", "+"):
            return "" if empty else str(argument)
        return value or ""

    return _VARIABLE.sub(replace, value)


def variables_used(text: str) -> set[str]:
    names = set()
    for match in _VARIABLE.finditer(text):
        if match.group("bare"):
            names.add(match.group("bare"))
        elif match.group("braced"):
            names.add(re.match(r"\w+", match.group("braced")).group(0))  # type: ignore[union-attr]
    return names


def strings(node: Any) -> list[str]:
    """Every string value of the parsed file (what compose interpolates; comments are not)."""
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return [node] if isinstance(node, str) else []


def read_dotenv(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def documented_variables(text: str) -> set[str]:
    """Variables .env.example sets or shows commented out."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = compose["services"]
    return result


def container_environment(service: dict[str, Any], dotenv: dict[str, str]) -> dict[str, str]:
    """What a container sees: its env_file, then `environment` (which wins), interpolated from .env."""
    environment = {}
    if service.get("env_file"):
        assert service["env_file"] == ".env", "compose.yml reads deploy/.env only"
        environment.update(dotenv)
    environment.update({k: interpolate(str(v), dotenv) for k, v in service["environment"].items()})
    return environment


def filled_dotenv() -> dict[str, str]:
    dotenv = read_dotenv(ENV_EXAMPLE.read_text(encoding="utf-8"))
    return (
        dotenv
        | {"POSTGRES_PASSWORD": "a" * 24, "BOXOFFICE_JWT_SECRET": "j" * 64}
        | {"BOXOFFICE_TICKET_SIGNING_SECRET": "t" * 64}
    )


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    # Extension fields (x-*) are for YAML anchors; compose ignores them, so does the schema here.
    document = {k: v for k, v in compose.items() if not k.startswith("x-")}
    ComposeSpecification.model_validate(document)


def test_schema_check_catches_a_misspelt_key(compose: dict[str, Any]) -> None:
    """Control: the models reject unknown keys, so the test above does check something."""
    services = dict(compose["services"])
    services["api"] = {**services["api"], "healthchek": {"test": ["CMD", "true"]}}
    with pytest.raises(pydantic.ValidationError):
        ComposeSpecification.model_validate({"services": services})


def test_docker_compose_config_when_available(tmp_path: Path) -> None:
    """`docker compose config` is the authoritative check; this machine has no compose plugin."""
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    dotenv = "\n".join(f"{k}={v}" for k, v in filled_dotenv().items())
    env_file = tmp_path / ".env"
    env_file.write_text(dotenv, encoding="utf-8")
    # env_file: .env in compose.yml is relative to the compose file: give it a copy beside one.
    (tmp_path / "compose.yml").write_text(COMPOSE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(
        ["docker", "compose", "-f", str(tmp_path / "compose.yml"), "--env-file", str(env_file), "config", "--quiet"],
        check=True,
        timeout=60,
    )


def test_stack_has_the_production_like_services(services: dict[str, dict[str, Any]]) -> None:
    assert {"postgres", "redis", "mailpit", "migrate", "api", "worker"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name, service in services.items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin the image tag"


def test_backend_services_build_the_backend_image(services: dict[str, dict[str, Any]]) -> None:
    for name in BACKEND_SERVICES:
        build = services[name]["build"]
        context = (COMPOSE_FILE.parent / build["context"]).resolve()
        assert context == REPO_ROOT, f"{name}: the build context is the repository root (.dockerignore)"
        assert (context / build["dockerfile"]).resolve() == (DEPLOY / "backend.Dockerfile").resolve()
    web = services["web"]["build"]
    assert (COMPOSE_FILE.parent / web["context"] / web["dockerfile"]).resolve() == DEPLOY / "frontend.Dockerfile"


@pytest.mark.parametrize(
    ("service", "expected"),
    [("api", "serve"), ("worker", "worker"), ("migrate", "migrate"), ("seed", "seed")],
)
def test_commands_are_cli_commands(
    services: dict[str, dict[str, Any]], service: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    called, arguments = dispatch(services[service]["command"], monkeypatch)
    assert called == expected
    if called == "serve":
        assert arguments["prepare"] is False, "the migrate service migrates; the API only serves"


def test_start_order_waits_for_health_and_migrations(services: dict[str, dict[str, Any]]) -> None:
    def needs(name: str) -> dict[str, str]:
        return {dep: spec["condition"] for dep, spec in services[name]["depends_on"].items()}

    assert needs("migrate") == {"postgres": "service_healthy", "redis": "service_healthy"}
    for name in ("api", "worker", "seed"):
        assert needs(name)["migrate"] == "service_completed_successfully"
        assert needs(name)["postgres"] == "service_healthy"
        assert needs(name)["redis"] == "service_healthy"
    assert needs("api")["mailpit"] == "service_healthy"
    assert needs("web") == {"api": "service_healthy"}
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            condition = service["depends_on"][dependency]["condition"]
            if condition == "service_healthy":
                healthcheck = services[dependency].get("healthcheck", {})
                assert healthcheck.get("test") and not healthcheck.get("disable"), f"{name} -> {dependency}"


def test_health_checks(services: dict[str, dict[str, Any]]) -> None:
    from boxoffice.health.router import router

    paths = {getattr(route, "path", None) for route in router.routes}
    api_check = " ".join(services["api"]["healthcheck"]["test"])
    assert any(path in api_check for path in paths if path)
    for name in ("worker", "migrate", "seed"):  # no HTTP port: the image's HTTP check would fail
        assert services[name]["healthcheck"] == {"disable": True}


def test_api_shuts_down_gracefully_and_keeps_uploads(services: dict[str, dict[str, Any]]) -> None:
    api = services["api"]
    assert int(api["stop_grace_period"].rstrip("s")) > 20  # uvicorn's graceful shutdown
    assert "uploads:/data/uploads" in api["volumes"]
    assert int(services["worker"]["stop_grace_period"].rstrip("s")) >= 30


def test_only_the_app_and_the_mail_ui_are_published(services: dict[str, dict[str, Any]]) -> None:
    assert "ports" not in services["postgres"] and "ports" not in services["redis"]
    assert all(p.startswith("127.0.0.1:") for p in services["mailpit"]["ports"]), "mail UI: this host only"


def test_no_secret_is_written_in_the_file(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        environment = service.get("environment", {})
        assert isinstance(environment, dict), f"{name}: use the mapping form"
        for key, value in environment.items():
            if SECRET_NAME.search(key):
                assert "${" in str(value), f"{name}.{key}: take it from deploy/.env"
    required_in_file = {name for value in strings(compose) for name in re.findall(r"\$\{(\w+):\?", value)}
    assert required_in_file == set(REQUIRED)


def test_every_variable_is_documented_in_the_env_example(compose: dict[str, Any]) -> None:
    used = {name for value in strings(compose) for name in variables_used(value)}
    documented = documented_variables(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert sorted(used - documented) == []


COMPOSE_ONLY = {"BOXOFFICE_IMAGE", "BOXOFFICE_WEB_IMAGE", "BOXOFFICE_HTTP_PORT", "BOXOFFICE_WEB_PORT"}


def test_env_example_holds_no_value_that_could_run() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    dotenv = read_dotenv(text)
    for key in REQUIRED:
        assert dotenv[key] == "", f"{key}: empty, so compose refuses to start until it is set"
    empties = sorted(k for k, v in dotenv.items() if v == "" and k not in REQUIRED)
    assert empties == [], "optional settings stay commented out: empty is not unset"
    # Every BOXOFFICE_ variable it mentions is a setting, but for the few that only compose.yml reads.
    mentioned = [k for k in documented_variables(text) if k.startswith("BOXOFFICE_")]
    assert set(unknown_variables(mentioned)) == COMPOSE_ONLY


def test_deploy_env_is_ignored_by_git_and_docker() -> None:
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "check-ignore", "-q", "deploy/.env"], check=False, timeout=30
    )
    assert ignored.returncode == 0, "deploy/.env must be git-ignored"
    assert DockerIgnore(DOCKERIGNORE.read_text(encoding="utf-8")).excluded("deploy/.env")


def test_compose_refuses_to_start_without_the_required_secrets(services: dict[str, dict[str, Any]]) -> None:
    dotenv = read_dotenv(ENV_EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(InterpolationError, match=r"POSTGRES_PASSWORD|BOXOFFICE_JWT_SECRET|TICKET_SIGNING"):
        container_environment(services["api"], dotenv)


@pytest.mark.parametrize("service", BACKEND_SERVICES)
def test_containers_start_in_production_mode(
    services: dict[str, dict[str, Any]], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = container_environment(services[service], filled_dotenv())
    assert unknown_variables([k for k in services[service]["environment"]]) == []
    settings = settings_from(environment, monkeypatch)
    assert settings.env == "production"
    assert settings.database_url == f"postgresql://boxoffice:{'a' * 24}@postgres:5432/boxoffice"
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.seed_demo_on_start is False
    assert settings.feature_email_enabled is True and settings.smtp_host == "mailpit"
    assert settings.smtp_username is None, "no empty SMTP login: Mailpit offers no AUTH"
    assert settings.cors_origins == []


def test_uploads_volume_is_where_the_image_writes(services: dict[str, dict[str, Any]]) -> None:
    build = simulate(DEPLOY / "backend.Dockerfile", REPO_ROOT, DockerIgnore(DOCKERIGNORE.read_text()))
    assert build.final.env["BOXOFFICE_DATA_DIR"] + "/uploads" == services["api"]["volumes"][0].split(":")[1]


def test_interpolation_follows_compose_rules() -> None:
    variables = {"SET": "v", "EMPTY": ""}
    assert interpolate("${SET}-${UNSET:-d}-${EMPTY:-d}-${EMPTY-d}-$$SET-$SET", variables) == "v-d-d--$SET-v"
    assert interpolate("${SET:+alt}${EMPTY:+alt}", variables) == "alt"
    with pytest.raises(InterpolationError):
        interpolate("${EMPTY:?needed}", variables)
    assert interpolate("${EMPTY?needed}", variables) == ""
