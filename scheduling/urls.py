from django.urls import path

from scheduling import views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
]
