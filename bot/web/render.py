"""HTML pages from Jinja2 templates, in the visitor's language.

Autoescape is on for every template, so anything a user typed (a question with `<script>`,
a topic title) is shown as text; only markup built by our own escaping renderers
(markupsafe.Markup) passes through. The language follows the browser (Accept-Language),
Dutch first; `?lang=en` or `?lang=nl` switches and is remembered in a cookie.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2
from aiohttp import web

from bot.i18n import t
from bot.knowledge.model import Lang, as_lang

LANG_COOKIE = "cmo_lang"


def page_lang(request: web.Request) -> Lang:
    chosen = request.query.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("nl", "en"):
        return as_lang(chosen)
    return accepted_lang(request.headers.get("Accept-Language", ""))


def accepted_lang(header: str) -> Lang:
    """The first of Dutch or English the browser asks for, by its q-values; Dutch otherwise."""
    best: tuple[float, Lang] | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("nl", "en") and quality > 0:
            candidate = (quality - position * 1e-6, as_lang(primary))
            if best is None or candidate[0] > best[0]:
                best = candidate
    return best[1] if best else "nl"


def translator(lang: Lang) -> Callable[..., str]:
    return lambda key, **values: t(key, lang, **values)


@functools.cache
def static_url(name: str) -> str:
    """A static file's address with a hash of its content, so a browser never keeps an old
    script or stylesheet after an upgrade while caching the current one."""
    data = resources.files("bot.web").joinpath("static", name).read_bytes()
    return f"/static/{name}?v={hashlib.sha256(data).hexdigest()[:12]}"


class Pages:
    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("bot.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["static"] = static_url

    def html(self, template: str, lang: Lang, **context: Any) -> str:
        return self.env.get_template(template).render(lang=lang, t=translator(lang), **context)

    def response(self, request: web.Request, template: str, lang: Lang, *, status: int = 200, **context: Any):
        response = web.Response(
            text=self.html(template, lang, **context), status=status, content_type="text/html", charset="utf-8"
        )
        if request.query.get("lang") in ("nl", "en"):
            response.set_cookie(LANG_COOKIE, request.query["lang"], max_age=365 * 86400, samesite="Lax", httponly=True)
        return response
