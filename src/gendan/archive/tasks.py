"""The nightly filing of every released order's system documents (registered with core.periodic in
AppConfig.ready; `gendan archive_file` does the same by hand)."""

import logging

from django_tasks import task

from gendan.orders.models import Order

from .services import archive_file_order

logger = logging.getLogger(__name__)


def archive_file_all() -> int:
    filed = 0
    for order in Order.objects.filter(released_at__isnull=False).order_by("pk").iterator(chunk_size=200):
        filed += archive_file_order(order=order)
    return filed


@task()
def archive_file_task() -> None:
    filed = archive_file_all()
    if filed:
        logger.info("filed %s document(s) in the archive", filed)
