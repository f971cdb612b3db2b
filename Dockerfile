# The production image: one image for the web process, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango for WeasyPrint's PDFs; fonts for PDFs and thumbnails. Pillow, pillow-heif and PyAV wheels
# carry their own codecs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Our French for third-party strings (locale/), compiled as `make messages` does without msgfmt.
RUN python -c 'import glob, polib; [polib.pofile(po).save_as_mofile(po[:-3] + ".mo") for po in glob.glob("locale/*/LC_MESSAGES/*.po")]'
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 ent \
    && mkdir -p /app/var/mail /data/media /srv/ent/static \
    && chown -R ent:ent /app/var /data/media /srv/ent/static

USER ent
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "ent.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
