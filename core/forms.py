"""Form helpers every app uses."""


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its field when the form has one.

    Services raise ValidationError({field: message}) in the user's language; the view shows
    the messages next to the fields the user typed, and anything else at the top.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
