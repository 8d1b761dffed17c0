"""Celery tasks of the service app (autodiscovered by config.celery_app)."""
