"""Every error leaves the API as RFC 9457 problem+json.

Domain code raises :class:`AppError` (or a subclass); one set of handlers turns it, FastAPI's
validation errors, Starlette's HTTP errors and unexpected exceptions into the same body shape.
"""

from __future__ import annotations

import json
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://boxoffice.dev/problems/"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, plus a stable machine-readable ``code`` and field errors."""

    type: str
    title: str
    status: int
    detail: str | None = None
    code: str
    instance: str | None = None
    errors: list[FieldError] = []


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        title: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        self.errors = errors or []
        self.headers = headers or {}


class NotFound(AppError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "Forbidden"


class PreconditionFailed(AppError):
    status, code, title = 412, "precondition_failed", "Precondition failed"


class TooManyRequests(AppError):
    status, code, title = 429, "rate_limited", "Too many requests"


class ServiceUnavailable(AppError):
    status, code, title = 503, "service_unavailable", "Service temporarily unavailable"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _problem(status: int, code: str, title: str, detail: str | None, request: Request, **kw: Any) -> Problem:
    return Problem(
        type=PROBLEM_TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        **kw,
    )


_HTTP_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("payload_too_large", "Request body too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    429: ("rate_limited", "Too many requests"),
}


def problem_for(error: AppError, request: Request) -> Problem:
    """The problem body of ``error`` (for handlers that must return instead of raise)."""
    return _problem(error.status, error.code, error.title, error.detail, request, errors=error.errors)


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(loc[0] if loc else "request")


def install_error_handlers(app: FastAPI) -> None:
    _document_validation_errors_as_problems(app)

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        problem = _problem(exc.status, exc.code, exc.title, exc.detail, request, errors=exc.errors)
        return problem_response(problem, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(field=_loc_to_field(e.get("loc", ())), message=str(e.get("msg", "invalid")))
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        problem = _problem(422, "validation_error", "Invalid request", detail, request, errors=errors)
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # The framework's only bare 400: a body it cannot parse (JSON that is not UTF-8, broken
            # multipart). That is request validation, like malformed JSON, which FastAPI reports as 422.
            message = exc.detail if isinstance(exc.detail, str) else "The request body could not be parsed."
            errors = [FieldError(field="body", message=message)]
            problem = _problem(422, "validation_error", "Invalid request", f"body: {message}", request, errors=errors)
            return problem_response(problem)
        code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = dict(exc.headers) if exc.headers else None
        return problem_response(_problem(exc.status_code, code, title, detail, request), headers)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        # Log everything, reveal nothing: the request id lets an operator find the traceback.
        log.exception("unhandled_error", path=request.url.path)
        problem = _problem(500, "internal_error", "Internal server error", "Something went wrong on our side.", request)
        return problem_response(problem)

    async def _dependency_down(request: Request, exc: Exception) -> JSONResponse:
        # Redis unreachable, or the database connection dropped under the request: nothing was
        # committed by this request's transaction, and a retry shortly after may well succeed.
        log.warning("dependency_unavailable", path=request.url.path, error=type(exc).__name__)
        problem = _problem(
            ServiceUnavailable.status,
            ServiceUnavailable.code,
            ServiceUnavailable.title,
            "A backing service is unreachable right now; try again in a moment.",
            request,
        )
        return problem_response(problem, {"Retry-After": "2"})

    app.add_exception_handler(RedisConnectionError, _dependency_down)
    app.add_exception_handler(RedisTimeoutError, _dependency_down)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _dependency_down(request, exc)
        return await _unhandled(request, exc)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry declaring problem+json errors so the web app's types know them."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def _document_validation_errors_as_problems(app: FastAPI) -> None:
    """FastAPI documents the 422 it adds to every route with parameters as application/json
    ``HTTPValidationError``; the handler above answers problem+json. Make the contract say so."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        schemas = document.get("components", {}).get("schemas", {})
        if "Problem" not in schemas:
            return document
        reference = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                response = operation.get("responses", {}).get("422") if isinstance(operation, dict) else None
                if response is not None and PROBLEM_MEDIA_TYPE not in response.get("content", {}):
                    # The same shape as error_responses() gives a declared error.
                    response["content"] = {PROBLEM_MEDIA_TYPE: dict(reference), "application/json": dict(reference)}
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's, now unused unless referenced
            if f'"#/components/schemas/{name}"' not in json.dumps(document):
                schemas.pop(name, None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
