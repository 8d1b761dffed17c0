# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
# WeasyPrint (the monthly unit report as PDF) needs pango; its Chinese needs fonts-noto-cjk.
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 \
    libpangoft2-1.0-0 fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --home /app branchdesk && mkdir -p /app/var && chown -R branchdesk /app/var
USER branchdesk
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
