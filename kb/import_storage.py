"""Where an uploaded import file waits between its preview and its
confirmation: a database row (``kb.models.ImportFile``), not a local temp
file, so that with several app servers behind a load balancer the confirm
step finds the file whichever server it reaches. Plugged into
django-import-export with ``IMPORT_EXPORT_TMP_STORAGE_CLASS``."""

from datetime import timedelta
from uuid import uuid4

from django.utils import timezone
from import_export.tmp_storages import BaseStorage

#: An upload not confirmed within this time is removed at the next upload.
KEEP_FOR = timedelta(days=1)


class DatabaseStorage(BaseStorage):
    def save(self, data):
        from .models import ImportFile

        ImportFile.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        if not self.name:
            self.name = uuid4().hex
        ImportFile.objects.update_or_create(name=self.name, defaults={"data": bytes(data)})

    def read(self):
        """The file's content (text in "r" mode, bytes in "rb" mode); raises
        ``FileNotFoundError`` when it is gone (confirmed already, expired)."""
        from .models import ImportFile

        data = ImportFile.objects.filter(name=self.name or "").values_list("data", flat=True).first()
        if data is None:
            raise FileNotFoundError(self.name)
        data = bytes(data)
        if "b" in (self.read_mode or "r"):
            return data
        return data.decode(self.encoding or "utf-8")

    def remove(self):
        from .models import ImportFile

        ImportFile.objects.filter(name=self.name or "").delete()
