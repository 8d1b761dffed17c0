app_name = "grading"

urlpatterns = []
