"""Purchasing API (R-8.3): the material requirements in use, with their pegs (the same filter set
and row rules as the page), and their computations (ask for one, follow it)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..filters import RequirementFilter
from ..models import MaterialRequirement, RequirementRun
from ..selectors import requirement_list
from ..services import requirements_request
from . import serializers as s
from .cases import register as register_cases
from .order_materials import OrderMaterialsViewSet
from .po import register as register_po
from .scores import register as register_scores


class MaterialRequirementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MaterialRequirementSerializer
    filterset_class = RequirementFilter
    queryset = MaterialRequirement.objects.none()
    ordering_fields = ["need_date", "order_by", "id"]

    def get_queryset(self):
        return requirement_list(user=self.request.user)


class RequirementRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.RequirementRunSerializer
    queryset = RequirementRun.objects.none()

    def get_queryset(self):
        return RequirementRun.objects.restrict(self.request.user, "view").order_by("-pk")

    @extend_schema(request=None, responses={202: s.RequirementRunSerializer})
    def create(self, request):
        """Ask for a computation (joins one already waiting); the worker runs it."""
        run = requirements_request(actor=request.user)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    router.register("material-requirements", MaterialRequirementViewSet, basename="materialrequirement")
    router.register("requirement-runs", RequirementRunViewSet, basename="requirementrun")
    register_scores(router)
    register_po(router)
    register_cases(router)
    router.register("order-materials", OrderMaterialsViewSet, basename="ordermaterials")
