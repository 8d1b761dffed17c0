"""Celery tasks of the documents app (autodiscovered by config.celery_app)."""
