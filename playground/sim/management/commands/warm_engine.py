from django.core.management.base import BaseCommand

import engine


class Command(BaseCommand):
    help = "Compile the simulation engine's kernels into numba's cache, so the server starts warm."

    def handle(self, *args, **options) -> None:
        seconds = engine.warm()
        self.stdout.write(f"Engine kernels ready in {seconds:.2f} s.")
