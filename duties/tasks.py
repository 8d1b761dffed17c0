"""Celery tasks of the duties app (autodiscovered by config.celery_app)."""
