from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = _("Photos")

    def ready(self):
        from branches.panels import register_panel, register_visit_panel
        from branches.submissions import register_visit_attachment
        from branches.timeline import register
        from photos import branch_page

        branch_page.register_branch_owners()
        register_panel(branch_page.BRANCH_PANEL)
        register_visit_panel(branch_page.VISIT_PANEL)
        register(branch_page.photo_entries)
        register_visit_attachment(branch_page.VISIT_ATTACHMENT)
