# syntax=docker/dockerfile:1
# Boxoffice web app alone, for split deployments: the static build behind nginx (unprivileged, port 8080).
# The combined backend image already serves the same files; use this one when the web app should scale or
# be cached separately from the API.
#
#   docker build -f deploy/frontend.Dockerfile -t boxoffice-frontend:0.1.0 .   (context: repository root)
#
# The web app calls the API on its own origin (/api, /socket.io). nginx proxies those paths to
# BOXOFFICE_API_UPSTREAM (default http://api:8000), or an Ingress routes them to the API instead.

FROM node:20-bookworm-slim AS web
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
# The image's entrypoint renders /etc/nginx/templates/*.template with envsubst into /etc/nginx/conf.d/.
ENV BOXOFFICE_API_UPSTREAM=http://api:8000 \
    NGINX_ENVSUBST_FILTER=^BOXOFFICE_
COPY deploy/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=web /app/frontend/dist /usr/share/nginx/html
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]
