"""The customer's rating page (/aftersales/rate/<token>/): no account, nothing but the order number
(or complaint) and the rating form. A forged, tampered, expired or used link gets a clear page in
Chinese and English and changes nothing."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from .forms import RatingForm
from .services_rating import LinkRefused, rating_by_link, rating_link_check

STATUS = {"invalid": 404, "expired": 410, "used": 410}


def _refused(request, reason: str):
    return render(request, "aftersales/rate_refused.html", {"reason": reason}, status=STATUS[reason])


@csrf_protect
@require_http_methods(["GET", "POST"])
def rate(request, token):
    try:
        link = rating_link_check(token)
    except LinkRefused as exc:
        return _refused(request, exc.reason)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rating_by_link(
                    token=token, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
                )
            except LinkRefused as exc:
                return _refused(request, exc.reason)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, "aftersales/rate_done.html", {})
        status = 400
    context = {"order_number": link.order.number, "complaint": link.complaint, "form": form}
    return render(request, "aftersales/rate.html", context, status=status)


# The whole-site probe walks it with a token that is no link: a clear "not valid" page.
rate.probe_fill = {"token": lambda: "probe-unknown-link"}  # type: ignore[attr-defined]
