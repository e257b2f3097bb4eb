from django.urls import path

from . import views

app_name = "stores"
urlpatterns = [
    path("", views.orders, name="orders"),
    path("order/<int:pk>/", views.order, name="order"),
    path("order/<int:pk>/picking.pdf", views.order_pdf, name="order_pdf"),
    path("order/<int:pk>/issue/", views.issue, name="issue"),
    path("order/<int:pk>/return/", views.return_, name="return"),
    path("order/<int:pk>/request/", views.request_issue, name="request"),
    path("order/<int:pk>/finished/", views.finished_in, name="finished_in"),
    path("issues/", views.issues, name="issues"),
    path("finished/", views.finished, name="finished"),
    path("finished/<int:pk>/reverse/", views.finished_reverse, name="finished_reverse"),
]
