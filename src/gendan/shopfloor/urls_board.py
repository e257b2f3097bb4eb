"""Routes of the progress board; shopfloor/urls.py includes them (its app_name is "shopfloor").
The site mounts them at its root: /board/… for signed-in users, /tv/<token>/… for wall screens."""

from django.urls import path

from . import views_board as views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/work-centres/<str:code>/", views.centre_board, name="board_centre"),
    path("board/links/", views.links, name="board_links"),
    path("board/links/<int:pk>/revoke/", views.link_revoke, name="board_link_revoke"),
    path("tv/<str:token>/", views.tv, name="tv"),
    path("tv/<str:token>/data/", views.tv_data, name="tv_data"),
]
