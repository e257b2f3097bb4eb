from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from .attention import attention_for
from .fieldaccess import redact_entries
from .registry import get_import, home_panels
from .selectors import audit_page, import_job_links, import_jobs


@login_required
def home(request):
    return render(
        request, "core/home.html", {"attention": attention_for(request.user), "panels": home_panels(request)}
    )


@login_required
def import_job(request, pk):
    job = get_object_or_404(import_jobs(user=request.user), pk=pk)
    template = "core/_import_progress.html" if request.htmx else "core/import_job.html"
    context = {"job": job, "back_url": job.list_url}
    try:
        context["back_title"] = get_import(job.kind).title or job.kind
    except KeyError:
        context["back_title"] = job.kind
    if job.finished:
        context["links"] = import_job_links(job=job, user=request.user)
    return render(request, template, context)


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request):
    name = request.GET.get("user", "").strip()
    entries = audit_page(user=request.user, actor_name=name, page=request.GET.get("page"))
    entries.object_list = redact_entries(request.user, entries.object_list)
    return render(request, "core/audit_list.html", {"entries": entries, "user_q": name})
