"""工作日志: one account manager's log of one day."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from core.loading import QuickLoad


class WorkLog(QuickLoad):
    """A day's work log: the day's records (assembled by worklog.providers) plus the
    manager's notes and tomorrow's plan. Submitted once, then locked: ``entries`` keeps
    the records as they were at submission, so the log reads the same later."""

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="work_logs",
        verbose_name=_("account manager"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    tomorrow_plan = models.TextField(_("tomorrow's plan"), blank=True)
    # [{"clock", "kind", "title", "detail", "url"}]: LogEntry.as_json at submission.
    entries = models.JSONField(_("records"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        ordering = ["-date", "manager_id"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "date"], name="work_log_one_per_day"),
        ]
        indexes = [models.Index(fields=["date", "submitted_at"])]

    def __str__(self):
        return f"{self.manager} {self.date}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None
