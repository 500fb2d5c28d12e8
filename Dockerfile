# Production image: gunicorn serving wans.wsgi with production settings. Static files are collected at build time
# and served by whitenoise. Run the worker from the same image: `celery -A wans worker -Q default,billing`.
# Production refuses to start without DJANGO_SECRET_KEY and TRANSCODING_KEY_MASTER of its own (README, Configuration).

# The front-end libraries (hls.js, shaka-player, uPlot, Uppy) come from npm, as bin/setup does on a developer's machine.
FROM node:20-slim AS player
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
    && mkdir -p vendor \
    && cp node_modules/hls.js/dist/hls.min.js node_modules/shaka-player/dist/shaka-player.compiled.js vendor/ \
    && cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css vendor/ \
    && cp node_modules/uppy/dist/uppy.min.js node_modules/uppy/dist/uppy.min.css vendor/

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=wans.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 wans

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY --from=player /build/vendor/ static/vendor/
# collectstatic needs a key to import settings; the real one comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-key-0123456789abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var /app/media && chown -R wans /app/var /app/media

USER wans
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "wans.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
