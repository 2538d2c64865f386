from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from playground.classes import api as classes_api
from playground.front import api as front_api
from playground.front import embed, pages
from playground.lessons import api as lessons_api
from playground.ops import health, metrics
from playground.sim.replications import replications
from playground.topologies import api

urlpatterns = [
    path("", pages.new_topology, name="new"),
    path("t/<slug:slug>/", pages.saved_topology, name="topology"),
    path("t/<slug:slug>/preview.png", pages.preview_png, name="topology-preview"),
    path("t/<slug:slug>/embed/", embed.embedded_topology, name="topology-embed"),
    path("oembed", embed.oembed, name="oembed"),
    path("api/catalog/", front_api.catalog, name="api-catalog"),
    path("api/topologies/", api.topologies, name="api-topologies"),
    path("api/topologies/<slug:slug>/", api.topology, name="api-topology"),
    path("api/topologies/<slug:slug>/fork/", api.fork, name="api-fork"),
    path("api/topologies/<slug:slug>/publish/", api.publish, name="api-publish"),
    path("api/topologies/<slug:slug>/revisions/", api.revisions, name="api-revisions"),
    path("api/topologies/<slug:slug>/revisions/<int:number>/", api.revision, name="api-revision"),
    path("api/topologies/<slug:slug>/revisions/<int:number>/restore/", api.restore, name="api-restore"),
    path("api/gallery/", api.gallery, name="api-gallery"),
    path("api/replications/", replications, name="api-replications"),
    path("api/lessons/", lessons_api.lessons, name="api-lessons"),
    path("api/lessons/<slug:slug>/", lessons_api.lesson, name="api-lesson"),
    path("lessons/<slug:slug>/", pages.lesson, name="lesson"),
    path("api/live/", classes_api.live_classes, name="api-live"),
    path("live/", pages.join_live_class, name="live-join"),
    path("live/<str:code>/", pages.live_class, name="live-class"),
    path("live/<str:code>/qr.svg", pages.live_class_qr, name="live-qr"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
