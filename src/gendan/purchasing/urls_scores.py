from django.urls import path

from . import views_scores as v

urlpatterns = [
    path("scorecards/", v.scorecards, name="scorecards"),
    path("scorecards/export/", v.scorecards_export, name="scorecards_export"),
    path("scorecards/materials/", v.material_ranking, name="scorecards_material"),
    path("scorecards/<int:supplier_id>/", v.scorecard, name="scorecard"),
    path("scorecards/<int:supplier_id>/rate/", v.rate, name="scorecard_rate"),
]
