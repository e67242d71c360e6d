"""Import and export in the admin: CSV, JSON or XLSX, all rows or none."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.tmp_storages import TempFolderStorage

from ..resources import (
    FORMATS,
    import_problems,
)
from .history import AuditedAdmin


class UploadStorage(TempFolderStorage):
    """Reads an uploaded file back byte for byte: read as text, a carriage return
    inside a CSV field would become a newline and shift every quote offset after it."""

    def read(self):
        with open(self.get_full_path(), "rb") as file:
            return file.read()


class ImportExportAdmin(ImportExportModelAdmin, AuditedAdmin):
    """Import and export as CSV, JSON or XLSX; an import saves every row or none. The
    records' History pages show the audit trail, imports included."""

    formats = FORMATS
    tmp_storage_class = UploadStorage

    def process_result(self, result, request):
        # The preview passed, but the data changed before the import was confirmed.
        if result.has_errors() or result.has_validation_errors():
            for problem in import_problems(result):
                messages.error(request, problem)
            messages.error(request, "Nothing was imported.")
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)
