"""The supervisors' workspace: the ladder, standards, sales figures and assessments.

One module per admin, forms and filters beside them, HTML in templates. Everything that
belongs to a manager is scoped (ScopedAdminMixin); every write goes through grading.services.
"""

from grading.admin import assessments, history, levels, managers, periods, sales  # noqa: F401
