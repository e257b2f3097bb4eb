from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gendan.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self) -> None:
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.issues.hooks import register_linked_records, register_source
        from gendan.notifications.registry import register_event

        from .choices import Step
        from .demo import build_meetings
        from .links import issue_records, order_links

        register_event("meeting.called", _("Coordination meeting called"))
        register_event("meeting.minutes", _("Minutes of a coordination meeting"))
        register_record_link("orders.order", order_links)
        # The issue an action is followed up as names it (fingerprint meeting-action:<pk>); the
        # issue page lists the action and the meetings that discussed the issue.
        register_source("meeting-action", kind="meeting_action", api_route="actionitem-detail")
        register_linked_records(issue_records)
        register_demo(73, build_meetings)
        register_action_labels({f"meeting:{value}": label for value, label in Step.choices})
        register_action_labels(
            {
                "meeting_attendees": _("Attendees recorded"),
                "meeting_agenda": _("Issues put on a meeting's agenda"),
                "meeting_agenda_removed": _("Issue taken off a meeting's agenda"),
                "meeting_decision": _("Meeting decision recorded"),
                "meeting_action": _("Meeting action agreed"),
            }
        )
        # Under the issue register's group: meetings follow issues up.
        register_menu(
            "issues",
            _("Issues"),
            16,
            [
                # Calling one is the list's "New" button, shown to those who may call meetings.
                (_("Coordination meetings"), "meetings:meeting_list", "meetings.view_meeting"),
            ],
            position=60,
        )
