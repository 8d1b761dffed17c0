"""The ladder (职级) and the standards (考核标准): catalogues, no scoping."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from grading.models import METRIC_KEYS, Level, LevelStandard


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "level_name", "tier", "grade", "code"]
    list_filter = ["tier"]
    search_fields = ["code"]
    list_select_related = []
    ordering = ["rank"]

    @admin.display(description=_("name"), ordering="rank")
    def level_name(self, obj):
        return obj.name


@admin.register(LevelStandard)
class LevelStandardAdmin(admin.ModelAdmin):
    list_display = [
        "level",
        "effective_from",
        "keep_premium",
        "keep_visits",
        "promote_premium",
        "promote_persistency",
        "promote_visits",
    ]
    list_filter = ["level__tier", "level", "effective_from"]
    search_fields = ["level__code"]
    list_select_related = ["level"]
    fieldsets = [
        (None, {"fields": ["level", "effective_from"]}),
        (_("Keep the level"), {"fields": [f"keep_{key}" for key in METRIC_KEYS]}),
        (
            _("Promotion into the level"),
            {"fields": [f"promote_{key}" for key in METRIC_KEYS]},
        ),
    ]
