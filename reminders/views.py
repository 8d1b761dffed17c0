from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reminders import selectors, services
from reminders.forms import PreferenceForm


def preferences(request):
    user = selectors.get_reminder_user(request.user)
    form = PreferenceForm(request.POST or None, instance=services.preference_for(user), user=user)
    if request.method == "POST" and form.is_valid():
        services.save_preference(
            user=user, channels_by_kind=form.channels_by_kind(), **form.preference_values()
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:preferences")
    context = {"form": form, "recent": selectors.recent_notifications_for(user)}
    return render(request, "reminders/preferences.html", context)
