from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("evaluation/", views.board, name="board"),
    path("evaluation/pdf/", views.board_pdf, name="pdf"),
    path("evaluation/xlsx/", views.board_xlsx, name="xlsx"),
]
