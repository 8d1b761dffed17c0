"""Celery tasks of the staff app (autodiscovered by config.celery_app)."""
