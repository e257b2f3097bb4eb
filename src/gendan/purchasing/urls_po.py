"""The purchase order pages; purchasing/urls.py includes them (app_name "purchasing")."""

from django.urls import path

from . import views_po as v

urlpatterns = [
    path("po/", v.po_list_view, name="po_list"),
    path("po/new/", v.po_new, name="po_new"),
    path("po/<int:pk>/", v.po_detail_view, name="po_detail"),
    path("po/<int:pk>/pdf/", v.po_pdf_view, name="po_pdf"),
    path("po/<int:pk>/edit/", v.po_edit_view, name="po_edit"),
    path("po/<int:pk>/send/", v.po_send_view, name="po_send"),
    path("po/<int:pk>/confirm/", v.po_confirm_view, name="po_confirm"),
    path("po/<int:pk>/change/", v.po_change_view, name="po_change"),
    path("po/<int:pk>/cancel-line/", v.po_line_cancel_view, name="po_line_cancel"),
    path("po/<int:pk>/cancel/", v.po_cancel_view, name="po_cancel"),
    path("po/<int:pk>/close/", v.po_close_view, name="po_close"),
    path("po-lines/", v.po_lines_view, name="po_lines"),
    path("po-lines/export/", v.po_lines_export, name="po_lines_export"),
    path("po-lines/import/", v.confirmations_import, name="po_import"),
    path("po-lines/import/template/", v.confirmations_template, name="po_import_template"),
]
