"""Generic pages for master records: list, detail, create, edit, archive, history, export, import.

Each entity declares what is particular to it (model, form, filter set, columns, import spec, the
selector that reads it, the services that write it, and any further POST actions of its own) in
an `EntityViews` subclass; every list behaves the same way (search, filters, sort, server-side
pagination, htmx refresh), like NetBox's generic views.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services as core_services
from .columns import Col, ExtraAction, Related, phone_columns
from .excel import ImportSpec, export_spec, template_for, write_report
from .excel.limits import ImportLimits
from .exceptions import WorkflowConflict
from .fieldaccess import hidden_fields, redact_entries, visible_columns
from .forms import ImportForm
from .i18n import LocalName
from .selectors import history_for

PAGE_SIZES = (25, 50, 100, 200)
# An export is a report of the list as filtered; beyond this many rows the user narrows it first.
EXPORT_MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME_LANGUAGES = {"name": "zh-Hans", "name_en": "en"}


def render_partial_or_page(request, partial: str, page: str, context: dict) -> HttpResponse:
    """htmx asks for the part of the page it swaps; a normal request gets the whole page."""
    return render(request, partial if request.htmx else page, context)


class EntityViews:
    model: type[models.Model]
    namespace: str  # the app's URL namespace, e.g. "masterdata"
    slug: str  # URL segment and name prefix, e.g. "customer"
    form_class: type
    filterset_class: type
    columns: list[Col]
    default_sort: str = "code"
    import_spec: ImportSpec | None = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    related: list[Related] = []
    detail_exclude: tuple[str, ...] = ("id", "created_at", "updated_at")
    # What users may do besides reading; a ledger, for instance, is only ever added to.
    actions: frozenset[str] = frozenset({"create", "edit", "archive"})
    # An import creates and updates; a ledger import only adds.
    import_perms: tuple[str, ...] = ("add", "change")
    # Further POST actions shown on the detail page (ExtraAction).
    extra_actions: list[ExtraAction] = []
    # "Export" on the list is a report of the list as filtered and sorted: these columns (by default
    # the list's own). An entity with an import sheet and no report columns exports its sheet
    # instead (so the export can be imported back); one with both offers the sheet apart, as
    # "Export for re-import", to those who may import.
    report_columns: list[Col] | None = None

    # Services: override to add rules; the defaults validate, save and audit.
    def create(self, *, actor, data: dict) -> models.Model:
        return core_services.record_create(actor=actor, model=self.model, data=data)

    def update(self, *, actor, pk: Any, data: dict) -> models.Model:
        return core_services.record_update(actor=actor, model=self.model, pk=pk, data=data)

    def set_archived(self, *, actor, pk: Any, archived: bool) -> models.Model:
        return core_services.record_set_archived(actor=actor, model=self.model, pk=pk, archived=archived)

    # Reads.
    def report(self, user, qs: models.QuerySet) -> tuple[list[Col], models.QuerySet]:
        """The export's columns for `user` and its rows: override to read what the columns need."""
        return self.report_columns or self.columns, qs

    def history(self, user, obj) -> models.QuerySet:
        """The audit entries of the record's history page: its own (a record with parts of its own,
        like an order, shows theirs too). The user may see `obj`."""
        return history_for(user=user, obj=obj)

    def queryset(self, user, action: str = "view") -> models.QuerySet:
        """The records `user` may take `action` on (core.permissions), with what the list shows."""
        qs = self.model._default_manager.restrict(user, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    # Helpers.
    @property
    def opts(self):
        return self.model._meta

    def url_name(self, view: str) -> str:
        return f"{self.namespace}:{self.slug}_{view}"

    def require(self, request, action: str) -> None:
        """The user's role may take `action` on this kind of record (403 otherwise)."""
        if not self.model._default_manager.all().role_allows(request.user, action):
            raise PermissionDenied

    def get_object(self, request, pk, action: str = "view"):
        """The record, if the user may see it (404 otherwise) and take `action` on it (403 otherwise)."""
        obj = get_object_or_404(self.queryset(request.user), pk=pk)
        if action != "view" and not self.model._default_manager.allows(request.user, obj, action):
            raise PermissionDenied
        return obj

    def base_context(self, request, obj=None) -> dict:
        """What the pages show or hide: for a record, what the user may do to that record."""
        user = request.user
        manager = self.model._default_manager
        extra_actions = []
        if obj is None:
            may = {
                action for action in ("add", "change", "archive") if manager.all().role_allows(user, action)
            }
        else:
            may = manager.allowed_actions(
                user, obj, {"change", "archive", *(extra.action for extra in self.extra_actions)}
            )
            extra_actions = [
                {
                    "label": extra.label,
                    "url": reverse(self.url_name(extra.name), args=[obj.pk]),
                    "confirm": extra.confirm,
                    "style": extra.style,
                }
                for extra in self.extra_actions
                if extra.action in may and extra.shown(obj)
            ]
        return {
            "entity": self,
            "opts": self.opts,
            "title": capfirst(self.opts.verbose_name_plural),
            "can_add": "create" in self.actions and manager.all().role_allows(user, "add"),
            "can_change": "edit" in self.actions and "change" in may,
            "can_archive": "archive" in self.actions and "archive" in may,
            "can_import": self.import_spec is not None
            and all(manager.all().role_allows(user, action) for action in self.import_perms)
            and not self.hidden_sheet_columns(user),
            "can_export_sheet": self.has_sheet_export
            and all(manager.all().role_allows(user, action) for action in self.import_perms)
            and not self.hidden_sheet_columns(user),
            "extra_actions": extra_actions,
            "url": {
                v: self.url_name(v)
                for v in ("list", "create", "export", "export_sheet", "import", "template", "detail")
            },
        }

    # Need-to-know per field (core.fieldaccess, the role table's FIELD_GROUPS).
    def hidden(self, user) -> frozenset[str]:
        return hidden_fields(user, self.model)

    def visible_columns(self, user) -> list[Col]:
        return visible_columns(user, self.model, self.columns)

    def protect_form(self, user, form):
        """The form without the fields hidden from `user`: not shown, and not set by a crafted POST
        (a field the form does not have is not saved)."""
        for name in self.hidden(user):
            form.fields.pop(name, None)
        return form

    def hidden_sheet_columns(self, user) -> list[str]:
        """Columns of the import sheet hidden from `user`: he may neither fill nor read that sheet."""
        spec = self.import_spec
        if spec is None:
            return []
        hidden = hidden_fields(user, getattr(spec, "fields_model", None) or getattr(spec, "model", None))
        return [str(c.label) for c in spec.columns if c.name in hidden]

    def require_whole_sheet(self, request) -> None:
        if self.hidden_sheet_columns(request.user):
            raise PermissionDenied

    def form_data(self, form) -> dict:
        """What the create/update service gets from a valid form."""
        return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}

    def initial_from_query(self, request) -> dict:
        form_fields = getattr(self.form_class, "base_fields", {})
        return {k: v for k, v in request.GET.items() if k in form_fields}

    # ------------------------------------------------------------ views

    def filtered(self, request):
        self.require(request, "view")
        filterset = self.filterset_class(request.GET, queryset=self.queryset(request.user), request=request)
        for field in filterset.form.fields.values():
            field.label = capfirst(field.label)  # labels from fields' verbose names are lowercase
        qs = filterset.qs
        # A hidden field is no sort key either: the order of rows would tell its values.
        sort_keys = {c.sort for c in self.visible_columns(request.user) if c.sort}
        sort = request.GET.get("sort", "")
        # One optional "-" then a column's key: "--code" and the like are someone typing, not a sort.
        if sort.removeprefix("-") not in sort_keys:
            sort = self.default_sort
        return filterset, qs.order_by(sort, "pk"), sort

    def list_view(self, request):
        filterset, qs, sort = self.filtered(request)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        columns = self.visible_columns(request.user)
        rows = [(obj, [(c.value(obj), c.css(obj)) for c in columns]) for obj in page.object_list]
        context = self.base_context(request) | {
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "columns": columns,
            "on_phone": phone_columns(columns),
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
        }
        return render_partial_or_page(request, "core/_table.html", "core/list.html", context)

    def detail_fields(self, obj, hidden: frozenset[str] = frozenset()) -> list[tuple[Any, Any]]:
        fields = []
        for f in self.opts.concrete_fields:
            if f.name in self.detail_exclude or f.name in hidden:
                continue
            display = getattr(obj, f"get_{f.name}_display", None)
            value = display() if display else getattr(obj, f.name)
            if isinstance(obj, LocalName) and f.name in NAME_LANGUAGES and value:
                # The record's name in each language, marked as such (read aloud right, and an
                # English page shows a Chinese name only here, where it is the field's value).
                value = format_html('<span lang="{}">{}</span>', NAME_LANGUAGES[f.name], value)
            fields.append((f.verbose_name, value))
        for f in self.opts.many_to_many:
            fields.append((f.verbose_name, ", ".join(str(o) for o in getattr(obj, f.name).all())))
        return fields

    def detail_view(self, request, pk):
        self.require(request, "view")
        obj = self.get_object(request, pk)
        panels = []
        for rel in self.related:
            rows = rel.rows(request.user, obj)
            children = rows.model._default_manager.all()
            if not children.role_allows(request.user, "view"):
                continue
            if any(f.name == "is_archived" for f in rows.model._meta.concrete_fields):
                rows = rows.filter(is_archived=False)
            rows = rows[:100]
            columns = visible_columns(request.user, rows.model, rel.columns)
            panels.append(
                {
                    "rel": rel,
                    "columns": columns,
                    "rows": [(r, [c.value(r) for c in columns]) for r in rows],
                    "can_add": rel.entity is not None
                    and children.role_allows(request.user, "add")
                    and not getattr(obj, "is_archived", False),
                    "add_query": rel.add_query(obj),
                }
            )
        context = self.base_context(request, obj) | {
            "obj": obj,
            "fields": self.detail_fields(obj, self.hidden(request.user)),
            "panels": panels,
            "history": redact_entries(request.user, history_for(user=request.user, obj=obj)[:10]),
        }
        return render(request, "core/detail.html", context)

    def form_view(self, request, pk=None):
        obj = None
        if pk is not None:
            self.require(request, "change")
            obj = self.get_object(request, pk, "change")
            if getattr(obj, "is_archived", False):
                messages.error(request, _("An archived record cannot be edited; restore it first."))
                return redirect(self.url_name("detail"), pk=obj.pk)
        else:
            self.require(request, "add")
        form_kwargs = {"user": request.user} if getattr(self.form_class, "wants_user", False) else {}
        if request.method == "POST":
            form = self.protect_form(request.user, self.form_class(request.POST, instance=obj, **form_kwargs))
            if form.is_valid():
                data = self.form_data(form)
                try:
                    if obj is None:
                        saved = self.create(actor=request.user, data=data)
                        messages.success(request, _("%(name)s was created.") % {"name": saved})
                    else:
                        saved = self.update(actor=request.user, pk=obj.pk, data=data)
                        messages.success(request, _("%(name)s was saved.") % {"name": saved})
                    return redirect(self.url_name("detail"), pk=saved.pk)
                except ValidationError as exc:
                    apply_errors(form, exc)
        else:
            form = self.form_class(instance=obj, initial=self.initial_from_query(request), **form_kwargs)
            form = self.protect_form(request.user, form)
        context = self.base_context(request) | {"form": form, "obj": obj}
        return render(request, "core/form.html", context)

    def archive_view(self, request, pk, archived=True):
        self.require(request, "archive")
        obj = self.get_object(request, pk, "archive")
        try:
            self.set_archived(actor=request.user, pk=obj.pk, archived=archived)
            messages.success(
                request,
                (_("%(name)s was archived.") if archived else _("%(name)s was restored.")) % {"name": obj},
            )
        except (WorkflowConflict, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(self.url_name("detail"), pk=obj.pk)

    def extra_action_view(self, request, pk, name: str):
        extra = next((e for e in self.extra_actions if e.name == name), None)
        if extra is None:
            raise Http404
        self.require(request, extra.action)
        obj = self.get_object(request, pk, extra.action)
        try:
            messages.success(request, extra.run(actor=request.user, obj=obj))
        except (WorkflowConflict, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(self.url_name("detail"), pk=obj.pk)

    def history_view(self, request, pk):
        self.require(request, "view")
        obj = self.get_object(request, pk)
        entries = Paginator(self.history(request.user, obj), 50).get_page(request.GET.get("page"))
        entries.object_list = redact_entries(request.user, entries.object_list)
        # Entries about the record's parts say which part they are about.
        ct_id = ContentType.objects.get_for_model(self.model).pk
        show_object = any(
            (e.content_type_id, e.object_id) != (ct_id, str(obj.pk)) for e in entries.object_list
        )
        context = self.base_context(request) | {"obj": obj, "entries": entries, "show_object": show_object}
        return render(request, "core/history.html", context)

    @property
    def has_sheet_export(self) -> bool:
        """The import sheet is exported apart from the report ("Export for re-import")."""
        return self.import_spec is not None and self.report_columns is not None

    def export_view(self, request):
        if self.import_spec is not None and self.report_columns is None:
            return self._sheet_export(request)
        _filterset, qs, _sort = self.filtered(request)
        count = qs.count()
        if count > EXPORT_MAX_ROWS:
            messages.error(
                request,
                _(
                    "The list has %(count)s rows; an export takes at most %(max)s. Narrow the list with "
                    "the search or the filters, then export again."
                )
                % {"count": count, "max": EXPORT_MAX_ROWS},
            )
            return redirect(f"{reverse(self.url_name('list'))}?{request.GET.urlencode()}")
        columns, rows = self.report(request.user, qs)
        columns = visible_columns(request.user, self.model, columns)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        report = write_report(
            str(self.opts.verbose_name_plural),
            [str(c.label) for c in columns],
            ([_cell(c.value(o)) for c in columns] for o in rows.iterator(chunk_size=1000)),
        )
        return FileResponse(
            report, as_attachment=True, filename=f"{self.slug}-{stamp}.xlsx", content_type=XLSX
        )

    def sheet_export_view(self, request):
        for action in self.import_perms:
            self.require(request, action)
        self.require_whole_sheet(request)
        return self._sheet_export(request)

    def _sheet_export(self, request):
        """The import sheet filled in with the list as filtered: edit it in Excel and import it back."""
        spec = self.import_spec
        if spec is None:
            raise Http404
        _filterset, qs, _sort = self.filtered(request)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        hidden = self.hidden_sheet_columns(request.user)
        if hidden and hasattr(spec, "export"):
            raise PermissionDenied  # a sheet of its own making cannot leave columns out
        if hidden:
            # A report for reading, not for importing back: the columns he may not see are left out.
            spec = replace(spec, columns=[c for c in spec.columns if str(c.label) not in hidden])
        if hasattr(spec, "export"):
            data = spec.export(qs)
        else:
            data = export_spec(spec, qs.iterator(chunk_size=2000) if not self.prefetch_related else qs)
        return xlsx_response(data, f"{self.slug}-{stamp}.xlsx")

    def template_view(self, request):
        self.require(request, "add")
        if self.import_spec is None:
            raise Http404
        self.require_whole_sheet(request)
        spec = self.import_spec
        data = spec.template() if hasattr(spec, "template") else template_for(spec)
        return xlsx_response(data, f"{self.slug}-template.xlsx")

    def import_view(self, request):
        if self.import_spec is None:
            raise Http404
        for action in self.import_perms:
            self.require(request, action)
        self.require_whole_sheet(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = core_services.import_job_start(
                    actor=request.user,
                    spec_key=self.import_spec.key,
                    upload=form.cleaned_data["file"],
                    list_url=reverse(self.url_name("list")),
                )
                return redirect("core:import_job", pk=job.pk)
            except ValidationError as exc:
                form.add_error("file", exc)
        context = self.base_context(request) | {"form": form, "limits": ImportLimits.current().as_context()}
        return render(request, "core/import.html", context)

    def urls(self) -> list:
        s = self.slug
        protect = login_required
        urls = [
            path(f"{s}/", protect(self.list_view), name=f"{s}_list"),
            path(f"{s}/export/", protect(self.export_view), name=f"{s}_export"),
            path(f"{s}/<int:pk>/", protect(self.detail_view), name=f"{s}_detail"),
            path(f"{s}/<int:pk>/history/", protect(self.history_view), name=f"{s}_history"),
        ]
        if "create" in self.actions:
            urls.append(path(f"{s}/new/", protect(self.form_view), name=f"{s}_create"))
        if self.has_sheet_export:
            urls.append(path(f"{s}/export/sheet/", protect(self.sheet_export_view), name=f"{s}_export_sheet"))
        if self.import_spec is not None:
            urls.append(path(f"{s}/import/", protect(self.import_view), name=f"{s}_import"))
            urls.append(path(f"{s}/import/template/", protect(self.template_view), name=f"{s}_template"))
        if "edit" in self.actions:
            urls.append(path(f"{s}/<int:pk>/edit/", protect(self.form_view), name=f"{s}_edit"))
        for extra in self.extra_actions:
            view = require_POST(partial(self.extra_action_view, name=extra.name))
            urls.append(path(f"{s}/<int:pk>/{extra.name}/", protect(view), name=f"{s}_{extra.name}"))
        if "archive" not in self.actions:
            return urls
        return urls + [
            path(
                f"{s}/<int:pk>/archive/",
                protect(require_POST(lambda r, pk: self.archive_view(r, pk, True))),
                name=f"{s}_archive",
            ),
            path(
                f"{s}/<int:pk>/restore/",
                protect(require_POST(lambda r, pk: self.archive_view(r, pk, False))),
                name=f"{s}_restore",
            ),
        ]

    def detail_url(self, obj) -> str:
        return reverse(self.url_name("detail"), args=[obj.pk])


def _cell(value: Any) -> Any:
    if isinstance(value, models.Model | Promise):  # a record, or a translated text
        return str(value)
    return value


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
