"""A presenter's own pages (/my/...)."""

from django.urls import path

from scheduling import views

app_name = "presenter"
urlpatterns = [
    path("", views.after_login, name="home"),
    path("schedule/", views.my_schedule, name="schedule"),
]
