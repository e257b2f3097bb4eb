import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.archive import services
from gendan.core import pdf
from gendan.issues.tests.factories import IssueFactory


def pdf_upload(name="drawing.pdf", text="图纸 Drawing"):
    data = pdf.render_pdf(title=text, blocks=[pdf.Paragraph(text)])
    return SimpleUploadedFile(name, data, content_type="application/pdf")


class ArchiveFactory(IssueFactory):
    def upload(self, order, *, actor=None, kind="drawing", title="总装图", file=None, **kw):
        return services.document_upload(
            actor=actor or self.users["merchandiser"],
            order_id=order.pk,
            kind=kind,
            title=title,
            file=file or pdf_upload(),
            **kw,
        )


@pytest.fixture
def f(make, users, departments):
    return ArchiveFactory(make, users, departments)


@pytest.fixture
def order(f):
    return f.order()
