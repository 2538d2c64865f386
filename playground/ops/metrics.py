"""What this process reports at /metrics, in the Prometheus text format (prometheus_client).

Each daphne process has its own numbers; Prometheus scrapes every process (docs/deploy.md).
"""

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

WEBSOCKETS = Gauge("playground_websocket_connections", "Open WebSocket connections.", ["kind"])
SIMULATIONS = Gauge("playground_simulations", "Simulations held in this process: one per editor page and live class.")
LIVE_CLASSES = Gauge("playground_live_classes", "Live classes whose simulation this process runs.")
FRAMES_SENT = Counter("playground_frames_sent_total", "Frames sent to browsers.", ["kind"])
FRAMES_DROPPED = Counter(
    "playground_frames_dropped_total", "Frames a live-class watcher skipped because it could not keep up."
)
ENGINE_STEP = Histogram(
    "playground_engine_step_seconds",
    "Wall time of one frame's simulation step.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)
HTTP_LATENCY = Histogram(
    "playground_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and status.",
    ["route", "status"],
)


def metrics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
