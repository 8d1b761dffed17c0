"""Form widgets rendered by Jinja2 where Django ships them for it (issue 22).

Django renders every widget through a template, a select's every option through one more: a
filter form's select of banks or a visit form's checkboxes were a quarter of those pages'
CPU. Django ships its own widgets' templates for Jinja2 as well as for its own engine
(``django/forms/jinja2``), written to give the same HTML; Jinja2 renders them several times
faster. Every other form template — the admin's widgets, crispy-forms' layouts, ours — is not
there and is rendered by the project's Django templates as before.
"""

from functools import cached_property

from django.forms.renderers import BaseRenderer, Jinja2
from django.template import TemplateDoesNotExist
from django.template.loader import get_template


class JinjaWidgets(BaseRenderer):
    @cached_property
    def _jinja2(self):
        return Jinja2()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)
