"""The project's URLs plus `/bench/bare`: a Django view doing nothing, through the same middleware and server."""

from django.http import HttpResponse
from django.urls import path

from jianguan.config.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *project_urlpatterns]
