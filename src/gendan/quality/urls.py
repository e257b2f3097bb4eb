"""Incoming inspection's pages (/quality/…)."""

from django.urls import path

from . import views, views_records
from . import views_inspection as v
from . import views_nc as nc
from . import views_process as p

app_name = "quality"
urlpatterns = [
    path("inspection/", v.queue, name="queue"),
    path("inspections/", v.inspections, name="inspection_list"),
    path("inspections/start/", v.start, name="inspection_start"),
    path("switching/resume/", v.resume, name="switching_resume"),
    path("inspections/<int:pk>/", v.inspection, name="inspection_detail"),
    path("inspections/<int:pk>/defects/", v.defect_add, name="defect_add"),
    path("inspections/<int:pk>/defects/<int:defect_id>/remove/", v.defect_remove, name="defect_remove"),
    path("inspections/<int:pk>/photos/", v.photo_add, name="photo_add"),
    path("inspections/<int:pk>/photos/<int:photo_id>/", v.photo, name="photo"),
    path("inspections/<int:pk>/complete/", v.complete, name="inspection_complete"),
    path("process/", p.queue, name="process_queue"),
    path("process/list/", p.inspections, name="process_list"),
    path("process/new/", p.create, name="process_create"),
    path("process/<int:pk>/", p.inspection, name="process_detail"),
    path("process/<int:pk>/start/", p.start, name="process_start"),
    path("process/<int:pk>/measure/", p.measure, name="process_measure"),
    path("process/<int:pk>/defects/", p.defect_add, name="process_defect_add"),
    path("process/<int:pk>/defects/<int:defect_id>/remove/", p.defect_remove, name="process_defect_remove"),
    path("process/<int:pk>/photos/", p.photo_add, name="process_photo_add"),
    path("process/<int:pk>/photos/<int:photo_id>/", p.photo, name="process_photo"),
    path("process/<int:pk>/complete/", p.complete, name="process_complete"),
    path("nonconformances/", nc.nc_list, name="nc_list"),
    path("nonconformances/<int:pk>/", nc.nc_detail, name="nc_detail"),
    path("nonconformances/<int:pk>/decide/", nc.decide, name="nc_decide"),
    path("nonconformances/<int:pk>/approve/", nc.approve, name="nc_approve"),
    path("nonconformances/<int:pk>/refuse/", nc.refuse, name="nc_refuse"),
    path("nonconformances/<int:pk>/actions/", nc.action_add, name="nc_action_add"),
    path("nonconformances/<int:pk>/actions/<int:action_id>/done/", nc.action_done, name="nc_action_done"),
    path(
        "nonconformances/<int:pk>/actions/<int:action_id>/evidence/", nc.evidence_add, name="nc_evidence_add"
    ),
    path(
        "nonconformances/<int:pk>/actions/<int:action_id>/evidence/<int:evidence_id>/",
        nc.evidence,
        name="nc_evidence",
    ),
    path(
        "nonconformances/<int:pk>/actions/<int:action_id>/verify/", nc.action_verify, name="nc_action_verify"
    ),
    path("nonconformances/<int:pk>/actions/<int:action_id>/check/", nc.action_check, name="nc_action_check"),
    *(url for entity in views.ALL for url in entity.urls()),
    path("records/", views_records.records, name="records"),
    path("records/export/", views_records.records_export, name="records_export"),
]
