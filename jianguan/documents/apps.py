import logging

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jianguan.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        # WeasyPrint logs every layout step at INFO; one PDF is not worth seven log lines.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
