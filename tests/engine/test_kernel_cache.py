"""numba's cache would keep kernels compiled from an older rng.py or cache.py (it watches only the
file a function is defined in): engine.kernel_cache drops them when any kernel source changed."""

import re
from pathlib import Path

from engine import kernel_cache
from engine.kernel_cache import DIGEST_FILE, forget_if_stale

ENGINE = Path(kernel_cache.__file__).parent


def cached_kernels(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.suffix in (".nbi", ".nbc"))


def fill(directory: Path) -> None:
    for name in ("kernel.advance-1.py311.nbi", "kernel.advance-1.py311.1.nbc", "rng.zipf-9.py311.nbi"):
        (directory / name).write_bytes(b"compiled")


def test_kernels_compiled_from_other_sources_are_dropped(tmp_path):
    fill(tmp_path)
    (tmp_path / DIGEST_FILE).write_text("an older digest\n")
    assert forget_if_stale(tmp_path, "the digest now") is True
    assert cached_kernels(tmp_path) == []
    assert (tmp_path / DIGEST_FILE).read_text().strip() == "the digest now"


def test_kernels_compiled_from_these_sources_are_kept(tmp_path):
    fill(tmp_path)
    (tmp_path / DIGEST_FILE).write_text("the digest now\n")
    assert forget_if_stale(tmp_path, "the digest now") is False
    assert len(cached_kernels(tmp_path)) == 3


def test_a_cache_without_a_digest_is_not_trusted(tmp_path):
    fill(tmp_path)
    assert forget_if_stale(tmp_path, "the digest now") is True
    assert cached_kernels(tmp_path) == []


def test_the_digest_covers_every_module_that_defines_kernels():
    defining = {path.stem for path in ENGINE.glob("*.py") if re.search(r"^@njit", path.read_text(), re.M)}
    covered = {module.__name__.rsplit(".", 1)[1] for module in kernel_cache.KERNEL_MODULES}
    assert defining == covered
