"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from playground.ops.warmup import WARMUP  # noqa: E402
from playground.routing import websocket_urlpatterns  # noqa: E402

if settings.SIM_WARM_ON_START:
    # Compiling on the first Play would freeze that user's page; pay it up front, in the background,
    # so that the server answers at once even when nothing is compiled yet (playground/ops/warmup.py).
    WARMUP.start()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
