import pytest

import engine


@pytest.fixture(scope="session", autouse=True)
def warm_engine() -> None:
    """Compile the kernels once before any test, as the server does at start-up, so that no test's
    time limit absorbs numba's compile time."""
    engine.warm()
