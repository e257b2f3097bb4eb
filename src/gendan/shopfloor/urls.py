"""The shop floor's pages. The board's routes live in urls_board.py."""

from .urls_board import urlpatterns as board_urls

app_name = "shopfloor"

urlpatterns = [*board_urls]
