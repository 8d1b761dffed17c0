from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Consultation days and events")
    nav_items = (NavItem(_("Consultation days"), "outreach:list", order=29),)

    def ready(self):
        from branches.timeline import register
        from duties.services import register_purpose_source
        from outreach import branch_page, log_entries, selectors
        from worklog.providers import register as register_log_provider

        register(branch_page.events_at_branch)
        register_purpose_source(selectors.consultation_records)
        branch_page.register_photos()
        register_log_provider(log_entries.events)
