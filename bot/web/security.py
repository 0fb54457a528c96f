"""What every response and every form post passes through: security headers, the CSRF
check, and error pages instead of tracebacks.

The content security policy allows scripts and styles from this server only (no inline
script, no inline style), no framing, and forms that post only here. A POST without this
session's CSRF token is refused with a 403 page before any handler runs. Any error becomes
a page in the visitor's language; an unexpected one is logged with its traceback and the
process goes on.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.web.context import context_of
from bot.web.guard import PageRefused, visitor
from bot.web.render import page_lang
from bot.web.session import CSRF_FIELD, csrf_ok

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSRF_HEADER = "X-CSRF-Token"
STATUS_TITLES = {400: "web_error_400", 403: "web_error_403", 404: "web_error_404", 405: "web_error_405"}


@web.middleware
async def security_headers(request: web.Request, handler):
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(HEADERS)
        raise
    response.headers.update(HEADERS)
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "public, max-age=3600"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@web.middleware
async def csrf_check(request: web.Request, handler):
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        form = await request.post()
        sent = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if not await csrf_ok(request, sent if isinstance(sent, str) else None):
            log.info("web: %s %s refused: no valid CSRF token", request.method, request.path)
            raise PageRefused(403, "web_csrf_refused")
    return await handler(request)


async def error_page(request: web.Request, status: int, reason: str, **values: object) -> web.Response:
    context = context_of(request)
    lang = page_lang(request)
    title = STATUS_TITLES.get(status, "web_error_500")
    try:  # who is logged in, for the header; an error page must not fail on the database
        viewer = await visitor(request)
    except Exception:
        viewer = None
    return context.pages.response(
        request, "error.html", lang, status=status, title_key=title, reason=reason, values=values, viewer=viewer
    )


@web.middleware
async def error_pages(request: web.Request, handler):
    try:
        return await handler(request)
    except PageRefused as refused:
        return await error_page(request, refused.status, refused.reason, **refused.values)
    except web.HTTPNotFound:
        return await error_page(request, 404, "web_not_found")
    except web.HTTPMethodNotAllowed:
        return await error_page(request, 405, "web_not_found")
    except web.HTTPException:
        raise  # redirects, and statuses a handler chose on purpose
    except Exception:
        log.exception("web: %s %s failed", request.method, request.path)
        return await error_page(request, 500, "web_error_unexpected")
