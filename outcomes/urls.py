"""Outcome URLs: the host evaluation and audience survey (public, stable: printed on slides) and the
staff's reach reports. Included from config.urls at the root, so each path is spelled out in full."""

from django.urls import path

from outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("evaluation/<str:token>/", views.evaluation, name="evaluation"),
    path("survey/<str:code>/", views.survey, name="survey"),
    path("survey/<str:code>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("survey/<str:code>/qr.svg", views.survey_qr, name="survey_qr"),
    path("staff/reports/", views.report, name="report"),
    path("staff/reports/map.svg", views.report_map, name="report_map"),
    path("staff/reports/<slug:table>.csv", views.report_csv, name="report_csv"),
]
