"""Celery tasks of the grading app (autodiscovered by config.celery_app)."""
