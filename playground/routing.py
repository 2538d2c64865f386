from django.urls import path

from playground.consumers import SimulationConsumer
from playground.live_consumer import LiveClassConsumer

websocket_urlpatterns = [
    path("ws/sim/<slug:slug>/", SimulationConsumer.as_asgi()),
    path("ws/live/<str:code>/", LiveClassConsumer.as_asgi()),
]
