"""What planning/_workflow.html needs, worked out from the version and the request's user, so any
page that has `version` in its context can include it."""

from django import template

from ..selectors import PlanActions, version_history

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_actions(context, version):
    request = context.get("request")
    return PlanActions(user=request.user, version=version)


@register.simple_tag
def plan_history(version):
    return version_history(version)
