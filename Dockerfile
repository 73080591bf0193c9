# Paasport web, worker and beat image.
FROM python:3.11-slim-bookworm

# Chromium for kaleido figure export, a CJK font that embeds as TrueType in PDFs,
# poppler for PDF checks, gettext for compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-wqy-microhei poppler-utils gettext curl \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 BROWSER_PATH=/usr/bin/chromium \
    DJANGO_SETTINGS_MODULE=config.settings STATIC_MANIFEST=true NUMBA_CACHE_DIR=/app/.numba-cache
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# A throwaway key: the settings refuse a public one whenever DEBUG is false; the image holds none.
RUN export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
 && python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv \
 && python -c "from schedule.engine.genetic import warm_up; warm_up()"

RUN useradd --create-home paasport && mkdir -p /app/media && chown -R paasport /app/media /app/.numba-cache
USER paasport
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
