"""KPI settings (R-7.1): management sets the hours, targets and weights; a bad value is refused with
a message naming the field and nothing changes; every change is audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gendan.core.models import AuditEntry
from gendan.kpi.models import KpiSettings
from gendan.kpi.services import current_values, engine_settings, kpi_settings_update

from .conftest import at

pytestmark = pytest.mark.django_db


def _post(**changes):
    values = current_values()
    data = {f"hours_{k}": v for k, v in values["step_hours"].items()}
    data |= {f"target_{k}": "" if v is None else v for k, v in values["targets"].items()}
    data |= {f"weight_{k}": v for k, v in values["weights"].items()}
    return data | changes


def test_management_changes_a_target_and_the_figures_follow(client_for, users, rec, merch):
    rec.order(merch, received="2025-03-03", entered=at("2025-03-03", 9), reviewed=at("2025-03-04", 15))
    client = client_for("management")
    response = client.post(reverse("kpi:settings"), _post(hours_review="36", target_review_on_time="80"))
    assert response.status_code == 302
    settings = engine_settings()
    assert settings.step_hours["review"] == Decimal(36) and settings.target("review_on_time") == Decimal(80)
    entry = AuditEntry.objects.get(action="update", object_id=KpiSettings.objects.get().pk)
    assert entry.actor == users["management"]
    # The 30 h review now meets the 36 h asked for.
    page = client.get(reverse("kpi:detail", args=[merch.pk]) + "?period=2025-03").content.decode()
    assert "100.0%" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_review_on_time", "-1"),
        ("target_delivery_on_time", "120"),
        ("hours_plan", "0"),
        ("weight_satisfaction", "x"),
    ],
)
def test_a_bad_value_names_its_field_and_changes_nothing(client_for, field, value):
    response = client_for("management").post(reverse("kpi:settings"), _post(**{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert not KpiSettings.objects.exists()


def test_the_service_refuses_the_same_with_the_field_named():
    with pytest.raises(ValidationError) as exc:
        kpi_settings_update(actor=None, weights={"review_on_time": -3}, targets={"nonsense": 1})
    assert set(exc.value.message_dict) == {"weight_review_on_time", "target_nonsense"}
    assert not KpiSettings.objects.exists()


def test_all_weights_zero_is_refused():
    from gendan.engine import kpi as engine

    with pytest.raises(ValidationError):
        kpi_settings_update(actor=None, weights=dict.fromkeys(engine.FIGURES, 0))
    assert not KpiSettings.objects.exists()


def test_a_blank_target_means_shown_not_judged(client_for):
    response = client_for("management").post(reverse("kpi:settings"), _post(target_satisfaction=""))
    assert response.status_code == 302
    assert engine_settings().target("satisfaction") is None


def test_only_management_reads_and_changes_the_settings(client_for, users):
    assert client_for("management").get(reverse("kpi:settings")).status_code == 200
    for role in ("merchandiser", "production"):
        assert client_for(role).get(reverse("kpi:settings")).status_code == 403
        assert client_for(role).post(reverse("kpi:settings"), _post(hours_review="1")).status_code == 403
    with pytest.raises(PermissionDenied):
        kpi_settings_update(actor=users["merchandiser"], step_hours={"review": 1})
    assert not KpiSettings.objects.exists()
