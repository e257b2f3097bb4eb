"""Incoming inspection's pages (/quality/…)."""

from django.urls import path

from . import views, views_records
from . import views_inspection as v

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
    *(url for entity in views.ALL for url in entity.urls()),
    path("records/", views_records.records, name="records"),
    path("records/export/", views_records.records_export, name="records_export"),
]
