# Yishu API image: the GraphQL/REST API answering from Neo4j (docker-compose.yml), or from the
# embedded Oxigraph store with `--engine oxigraph`.
# the web pages' front-end libraries, at the versions package-lock.json pins (make setup's step)
FROM python:3.11-slim AS vendor
RUN apt-get update && apt-get install -y --no-install-recommends npm make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Makefile package.json package-lock.json ./
RUN make api/static/vendor/.installed

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    YISHU_STORE=/data/store

WORKDIR /app
COPY pyproject.toml README.md ./
COPY yishu ./yishu
COPY ontology ./ontology
COPY graph ./graph
COPY api ./api
COPY --from=vendor /app/api/static/vendor ./api/static/vendor
COPY shapes ./shapes
COPY loaders ./loaders
COPY examples ./examples
RUN pip install . \
 && useradd --create-home --uid 10001 yishu \
 && mkdir -p /data && chown yishu /data
USER yishu
VOLUME ["/data"]
EXPOSE 8000

# NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, NEO4J_CONNECTION_TIMEOUT name the
# Neo4j server and how long to wait for it (see compose).
CMD ["yishu", "serve", "--engine", "neo4j", "--host", "0.0.0.0", "--port", "8000"]
