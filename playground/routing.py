from django.urls import path

from playground.consumers import SimulationConsumer

websocket_urlpatterns = [
    path("ws/sim/<slug:slug>/", SimulationConsumer.as_asgi()),
]
