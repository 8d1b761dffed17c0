"""Celery tasks of the branches app (autodiscovered by config.celery_app)."""
