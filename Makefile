# Boxoffice: `make run` serves the whole product on http://localhost:8000; `make test` checks it all.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell bash scripts/ensure-uv.sh)
BACKEND := cd backend &&
FRONTEND := cd frontend &&

.PHONY: help install install-backend install-frontend web run dev-backend dev-frontend test lint \
        test-backend test-frontend openapi openapi-check services chromium bench soak audit worker migrate seed clean

help:
	@echo "make run      install, migrate, seed demo data and serve on http://localhost:8000"
	@echo "make test     lint, type-check, contract check, backend and web tests"
	@echo "make openapi  regenerate openapi.json and frontend/src/api/schema.d.ts"
	@echo "make bench    run the load benchmarks (prints JSON)"

install: install-backend install-frontend

install-backend:
	$(BACKEND) $(UV) sync --frozen

install-frontend:
	$(FRONTEND) npm ci --no-audit --no-fund --loglevel=error

web: install-frontend
	$(FRONTEND) npm run build

run: install web
	$(BACKEND) $(UV) run boxoffice serve

dev-backend: install-backend
	$(BACKEND) $(UV) run uvicorn boxoffice.main:create_app --factory --reload --port 8000

dev-frontend: install-frontend
	$(FRONTEND) npm run dev

worker: install-backend
	$(BACKEND) $(UV) run boxoffice worker

migrate: install-backend
	$(BACKEND) $(UV) run boxoffice migrate

seed: install-backend
	$(BACKEND) $(UV) run boxoffice seed-demo

services:
	bash scripts/ensure-services.sh

chromium:
	bash scripts/ensure-chromium.sh

openapi: install
	$(BACKEND) $(UV) run boxoffice openapi
	$(FRONTEND) npm run gen:api

openapi-check:
	$(BACKEND) $(UV) run boxoffice openapi --check

lint: install
	$(BACKEND) $(UV) run ruff check . ../bench
	$(BACKEND) $(UV) run ruff format --check . ../bench
	$(BACKEND) $(UV) run mypy boxoffice tests
	$(FRONTEND) npm run typecheck

test-backend: install-backend services
	$(BACKEND) $(UV) run pytest

test-frontend: install-frontend
	$(FRONTEND) npm test

test: install services chromium lint openapi-check test-frontend web test-backend

bench: install services
	bash scripts/ensure-wrk.sh
	$(BACKEND) $(UV) run python ../bench/hot_drop.py
	$(BACKEND) $(UV) run python ../bench/fanout.py

soak: install services
	$(BACKEND) $(UV) run python ../bench/soak.py --minutes 5

audit: install-backend
	bash scripts/audit.sh

clean:
	rm -rf frontend/dist frontend/node_modules backend/.venv
