from django.urls import path

from playground.classes.consumer import LiveClassConsumer
from playground.sim.consumer import SimulationConsumer

websocket_urlpatterns = [
    path("ws/sim/<slug:slug>/", SimulationConsumer.as_asgi()),
    path("ws/live/<str:code>/", LiveClassConsumer.as_asgi()),
]
