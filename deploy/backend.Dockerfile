# syntax=docker/dockerfile:1
# Boxoffice backend image: the API (`boxoffice serve --no-prepare`, serving the built web app too),
# the job worker (`boxoffice worker`) and the migration step (`boxoffice migrate`) all run from it.
#
#   docker build -f deploy/backend.Dockerfile -t boxoffice-backend:0.1.0 .     (context: repository root)
#
# Layout inside the image (the paths that boxoffice/config.py and cli.py derive from the source tree):
#   /app/backend          boxoffice/, migrations/, alembic.ini, .venv/ (project installed editable, so
#                         `boxoffice migrate` finds /app/backend/alembic.ini next to the package)
#   /app/frontend/dist    the built web app (BOXOFFICE_FRONTEND_DIST)
#   /data                 BOXOFFICE_DATA_DIR; uploads go to /data/uploads (mount a shared volume there)

# ---------------------------------------------------------------- web app (static files only)
FROM node:20-bookworm-slim AS web
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------- Python virtual environment
FROM python:3.11-slim-bookworm AS python-build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/backend/.venv
WORKDIR /app/backend
# Dependencies first (a layer that changes only with uv.lock), then the project itself.
COPY backend/pyproject.toml backend/uv.lock backend/ARCHITECTURE.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project
COPY backend/alembic.ini ./
COPY backend/migrations ./migrations
COPY backend/boxoffice ./boxoffice
# Editable on purpose: cli.py locates alembic.ini relative to the package source.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# ---------------------------------------------------------------- runtime
FROM python:3.11-slim-bookworm AS runtime
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} boxoffice \
    && useradd --system --uid ${APP_UID} --gid boxoffice --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin boxoffice \
    && mkdir -p /data/uploads \
    && chown -R boxoffice:boxoffice /data
COPY --from=python-build /app/backend /app/backend
COPY --from=web /app/frontend/dist /app/frontend/dist

ENV PATH=/app/backend/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BOXOFFICE_ENV=production \
    BOXOFFICE_HOST=0.0.0.0 \
    BOXOFFICE_PORT=8000 \
    BOXOFFICE_FRONTEND_DIST=/app/frontend/dist \
    BOXOFFICE_DATA_DIR=/data \
    BOXOFFICE_SEED_DEMO_ON_START=false \
    BOXOFFICE_LOG_JSON=true

WORKDIR /app/backend
USER ${APP_UID}:${APP_UID}
EXPOSE 8000

# Liveness of the API process only (the worker has no HTTP port: compose disables this check for it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4)"]

# Migrations are a separate step (`boxoffice migrate`): the API never migrates in production.
CMD ["boxoffice", "serve", "--no-prepare"]
