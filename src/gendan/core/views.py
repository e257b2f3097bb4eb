from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .attention import attention_for
from .models import AuditEntry, ImportJob


@login_required
def home(request):
    return render(request, "core/home.html", {"attention": attention_for(request.user)})


@login_required
def import_job(request, pk):
    # Only the person who started an import sees it (its errors quote the sheet's contents).
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    template = "core/_import_progress.html" if request.htmx else "core/import_job.html"
    return render(request, template, {"job": job})


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request):
    qs = AuditEntry.objects.select_related("actor", "content_type")
    user = request.GET.get("user", "").strip()
    if user:
        qs = qs.filter(actor_name__icontains=user)
    entries = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"entries": entries, "user_q": user})
