"""A small HTTP server for the operator: /healthz for the orchestrator, /metrics for Prometheus.

/healthz is 200 only while both halves of the job work: the gateway is connected (so
interactions arrive) and the database accepts writes (so questions are kept). Otherwise 503
with the reason in the body, which `docker inspect` and `cmo-bot health` show.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.ops.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[list[str]]]


class HealthServer:
    def __init__(self, host: str, port: int, check: HealthCheck, metrics: Metrics):
        self._host, self._port = host, port
        self._check = check
        self._metrics = metrics
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health and metrics on http://%s:%s/healthz and /metrics", self._host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            problems = await asyncio.wait_for(self._check(), timeout=5)
        except TimeoutError:
            problems = ["health check timed out (database busy?)"]
        if problems:
            return web.Response(status=503, text="unhealthy: " + "; ".join(problems) + "\n")
        return web.Response(text="ok\n")

    async def _metrics_page(self, request: web.Request) -> web.Response:
        response = web.Response(body=self._metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response
