"""Reading an admin form page as a browser would: what posting it unchanged sends."""

from django import forms
from django.contrib.admin.widgets import ManyToManyRawIdWidget


def is_scoped(model):
    """A model whose rows belong to someone: its queryset offers for_user."""
    return hasattr(model._default_manager.all(), "for_user")


def _widget_data(widget, name, value):
    """What the browser would send for ``widget`` showing ``value``."""
    widget = getattr(widget, "widget", widget)  # RelatedFieldWidgetWrapper
    if isinstance(widget, forms.MultiWidget):
        values = value if isinstance(value, list | tuple) else widget.decompress(value)
        data = {}
        for sub, suffix, sub_value in zip(
            widget.widgets, widget.widgets_names, values, strict=False
        ):
            data.update(_widget_data(sub, f"{name}{suffix}", sub_value))
        return data
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if widget.check_test(value) else {}
    if value is None:
        return {name: ""}
    if isinstance(widget, ManyToManyRawIdWidget):
        return {name: ",".join(str(v) for v in value)}
    if isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
        return {name: [str(v) for v in value]}
    shown = widget.format_value(value)
    if isinstance(shown, list):  # a Select formats its value as a list of one
        shown = shown[0] if shown else ""
    return {name: "" if shown is None else str(shown)}


def _form_data(form):
    data = {}
    for bound in form:
        data.update(_widget_data(bound.field.widget, bound.html_name, bound.value()))
    return data


class Page:
    """The admin form a GET rendered: what posting it unchanged sends, and its scoped fields."""

    def __init__(self, response):
        self.data = {}
        self.inline_prefixes = []
        self.fields = []  # (where, html name, related model, prefix-free name, multiple)
        form = response.context["adminform"].form
        self._collect("form", form)
        for index, inline in enumerate(response.context["inline_admin_formsets"]):
            formset = inline.formset
            self.data.update(_form_data(formset.management_form))
            self.inline_prefixes.append(formset.prefix)
            pk_name = formset.model._meta.pk.name
            for number, inline_form in enumerate(formset.forms):
                self._collect((index, number), inline_form, skip={pk_name})

    def _collect(self, where, form, skip=()):
        self.data.update(_form_data(form))
        for name, field in form.fields.items():
            if name in skip or not isinstance(field, forms.ModelChoiceField):
                continue
            if not is_scoped(field.queryset.model):
                continue
            multiple = isinstance(field, forms.ModelMultipleChoiceField)
            html_name = form.add_prefix(name)
            self.fields.append((where, html_name, field.queryset.model, name, multiple))


def errors_on(response, where, name):
    """The errors the re-rendered form shows on one field."""
    if response.status_code != 200 or response.context is None:
        return []
    if where == "form":
        return response.context["adminform"].form.errors.get(name, [])
    index, number = where
    formset = response.context["inline_admin_formsets"][index].formset
    return formset.forms[number].errors.get(name, [])
