from django.urls import path

from playground import api, pages

urlpatterns = [
    path("", pages.new_topology, name="new"),
    path("t/<slug:slug>/", pages.saved_topology, name="topology"),
    path("api/catalog/", api.catalog, name="api-catalog"),
    path("api/topologies/", api.topologies, name="api-topologies"),
    path("api/topologies/<slug:slug>/", api.topology, name="api-topology"),
    path("api/topologies/<slug:slug>/fork/", api.fork, name="api-fork"),
]
