"""The archive in the API: `/api/archive-documents/` (search with the page's filters, read, upload;
`download/` with the page's rules: logged, watermarked, 404 for a confidential document one may not
open), `/api/archive-requests/` (ask; `approve/`, `reject/` for management) and
`/api/archive-grants/` (read). Same services, same permissions as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, pagination, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from gendan.accounts.models import Department
from gendan.masterdata.models import Product

from .. import services
from ..access import openable_ids
from ..choices import LogAction
from ..filters import DocumentFilter
from ..models import AccessRequest, Document, Grant
from ..selectors import document_list, grant_list
from . import serializers as s


class NewestFirst(pagination.CursorPagination):
    """No COUNT over the whole archive: a cursor over the filed-on index."""

    ordering = ("-filed_on", "-id")
    page_size = 50


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d{1,18}"
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = NewestFirst
    queryset = Document.objects.none()

    def get_queryset(self):
        return (
            document_list(user=self.request.user)
            .select_related("order", "customer")
            .prefetch_related("allowed_departments")
        )

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page or [])
        context = {**self.get_serializer_context(), "openable": openable_ids(request.user, rows)}
        return self.get_paginated_response(self.get_serializer_class()(rows, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {**self.get_serializer_context(), "openable": openable_ids(request.user, [obj])}
        return Response(self.get_serializer_class()(obj, context=context).data)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer}, responses={201: s.DocumentSerializer}
    )
    def create(self, request, *args, **kwargs):
        upload = s.DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        product = None
        if data.get("product"):
            product = Product.objects.filter(pk=data["product"]).first()
            if product is None:
                return Response({"product": ["No such product."]}, status=status.HTTP_400_BAD_REQUEST)
        departments = list(Department.objects.filter(pk__in=data.get("allowed_departments") or []))
        doc = services.document_upload(
            actor=request.user,
            order_id=data["order"],
            kind=data["kind"],
            title=data["title"],
            file=data["file"],
            level=data.get("level") or "",
            allowed_roles=data.get("allowed_roles"),
            allowed_departments=departments,
            product=product,
            filed_on=data.get("filed_on"),
        )
        context = {**self.get_serializer_context(), "openable": {doc.pk}}
        return Response(s.DocumentSerializer(doc, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        try:
            opened = services.document_open(
                actor=request.user, document_id=int(pk), action=LogAction.DOWNLOAD
            )
        except (Document.DoesNotExist, ValueError):
            raise Http404 from None
        except services.GrantExpired as exc:
            raise PermissionDenied(str(exc)) from exc
        response = HttpResponse(opened.data, content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, opened.filename)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AccessRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.AccessRequestSerializer
    lookup_value_regex = r"\d{1,18}"
    queryset = AccessRequest.objects.none()
    filter_backends = []

    def get_queryset(self):
        return (
            AccessRequest.objects.restrict(self.request.user, "view")
            .select_related("document", "grant")
            .order_by("-requested_at", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.access_request_create(
            actor=self.request.user, document_id=data["document_id"], reason=data["reason"], days=data["days"]
        )

    def _decide(self, request, pk, approve: bool):
        req = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.AccessDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if approve:
            req = services.access_request_approve(
                actor=request.user, request_id=req.pk, note=body.validated_data["note"]
            )
        else:
            req = services.access_request_reject(
                actor=request.user, request_id=req.pk, note=body.validated_data["note"]
            )
        return Response(s.AccessRequestSerializer(req).data)

    @extend_schema(request=s.AccessDecisionSerializer, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=s.AccessDecisionSerializer, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, False)


class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.GrantSerializer
    lookup_value_regex = r"\d{1,18}"
    queryset = Grant.objects.none()
    filter_backends = []

    def get_queryset(self):
        return grant_list(user=self.request.user)


def register(router) -> None:
    router.register("archive-documents", DocumentViewSet, basename="archivedocument")
    router.register("archive-requests", AccessRequestViewSet, basename="accessrequest")
    router.register("archive-grants", GrantViewSet, basename="grant")
