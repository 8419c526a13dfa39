# Tally as a container: nginx on :8080 in front of gunicorn serving service.http:create_app() on a
# unix socket, both started and watched by deploy/tally-serve. nginx (Debian's, from apt) reads every
# request whole before a worker sees it, so slow clients cost a connection, never a check.
#
# Any Debian-like base with python3 (and its venv module) works: python:3.11-slim (the default, with
# python3 in /usr/local/bin) or a local Debian rootfs with python3 python3-venv from apt (python3 in
# /usr/bin, pip "externally managed"). Both stages make their own venv in /opt/venv with the base's
# python3, so neither the system pip nor its location matters.
#
#   docker build -t tally .
#   docker run -p 8080:8080 -e TALLY_WORKERS=2 tally
#
# Configuration is environment variables only: TALLY_WORKERS (default one per core), TALLY_THREADS,
# TALLY_PORT (default 8080), TALLY_LOG_LEVEL, TALLY_MAX_CONTENT_LENGTH (bytes of a text body, default 2 MB),
# TALLY_MAX_UPLOAD_BYTES (bytes of an uploaded file, default 32 MB), TALLY_MAX_PAGES (pages of an uploaded PDF,
# default 2000), TALLY_MAX_EXPANDED_BYTES (what a .docx's parts or a PDF's streams may inflate to, default 128 MiB:
# a bomb is refused in milliseconds, before it is read), TALLY_API_KEY, TALLY_CORS_ORIGINS;
# recycling and limits: TALLY_TIMEOUT, TALLY_GRACEFUL_TIMEOUT, TALLY_MAX_REQUESTS(_JITTER),
# TALLY_WORKER_MAX_RSS_MB (gunicorn.conf.py); TALLY_HEADER_TIMEOUT, TALLY_BODY_TIMEOUT, TALLY_KEEPALIVE,
# TALLY_NGINX_WORKERS, TALLY_NGINX_CONNECTIONS (deploy/tally-serve).
#
# The review page's PDF view needs pdf.js, vendored at build time by scripts/vendor-static (npm ci of
# web/package-lock.json) in a stage of its own: any image with node and npm (NODE_IMAGE, node:22-slim
# by default). Only the copied files reach the image, never node; an image without npm gives an empty
# vendor folder, and the page then says that its PDF view is missing.
ARG BASE_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:22-slim

FROM ${NODE_IMAGE} AS static
# as the build stage's label below: scripts/container-test removes its own earlier ones
ARG BUILT_BY=
LABEL tally.stage=static tally.built-by=${BUILT_BY}
# a CA bundle for npm behind an intercepting proxy, mounted like PIP_CERT below
ARG NPM_CERT
WORKDIR /src
COPY web/package.json web/package-lock.json ./web/
COPY scripts/vendor-static ./scripts/
RUN --mount=type=cache,target=/root/.npm \
    if [ -n "${NPM_CERT:-}" ]; then export npm_config_cafile="$NPM_CERT"; fi \
 && mkdir -p service/http/static/vendor \
 && scripts/vendor-static

FROM ${BASE_IMAGE} AS build
# lets scripts/container-test remove this stage's images of its own earlier runs (BUILT_BY=container-test),
# never those of a build it did not make
ARG BUILT_BY=
LABEL tally.stage=build tally.built-by=${BUILT_BY}
# A CA bundle for pip behind an intercepting proxy, mounted by the build (podman build --volume …);
# exported in the RUN line only, so it is in no layer and no ENV of the image.
ARG PIP_CERT
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY service ./service
COPY --from=static /src/service/http/static/vendor ./service/http/static/vendor
COPY patterns ./patterns
# pip's cache is a build cache mount: downloads are kept between builds, in no layer
RUN --mount=type=cache,target=/root/.cache/pip \
    if [ -n "${PIP_CERT:-}" ]; then export PIP_CERT; else unset PIP_CERT; fi \
 && python3 -m venv /opt/build \
 && /opt/build/bin/pip wheel --wheel-dir /wheels .

FROM ${BASE_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TALLY_PORT=8080
# the wheels come in through a bind mount of the build stage: installed offline, never copied in;
# nginx from the base's apt sources (the build needs the network for it), its package defaults
# (a site on :80, a root-owned log folder) removed: deploy/tally-serve writes its own config
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels tally \
 && /opt/venv/bin/pip uninstall --yes pip \
 && groupadd --gid 10001 tally \
 && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tally
COPY gunicorn.conf.py deploy/nginx.conf /etc/tally/
COPY deploy/tally-serve /usr/local/bin/tally-serve
USER 10001:10001
WORKDIR /
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('TALLY_PORT', '8080'), timeout=4)"
STOPSIGNAL SIGTERM
CMD ["/usr/local/bin/tally-serve"]
