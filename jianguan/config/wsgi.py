import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.config.settings")
application = get_wsgi_application()


def _say_where_the_data_key_lives() -> None:
    from jianguan.portal.keeping import key_location

    logging.getLogger("jianguan").info(key_location())


_say_where_the_data_key_lives()
