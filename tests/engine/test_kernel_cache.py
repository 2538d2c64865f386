"""numba's cache would keep kernels compiled from an older rng.py or cache.py (it watches only the
file a function is defined in): engine.kernels.freshness drops them when any kernel source changed."""

import re
from pathlib import Path

from engine.kernels import freshness
from engine.kernels.freshness import DIGEST_FILE, forget_if_stale, source_files

ENGINE = Path(freshness.__file__).parents[1]


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
    defining = {path for path in ENGINE.rglob("*.py") if re.search(r"^@(jit|njit|intrinsic)\b", path.read_text(), re.M)}
    assert len(defining) > 5
    assert defining <= set(source_files())


def test_the_digest_covers_the_catalog_whose_codes_the_kernels_compile_in():
    assert ENGINE / "catalog" / "codes.py" in source_files()


def test_a_changed_source_changes_the_digest(tmp_path, monkeypatch):
    package = tmp_path / "kernels"
    package.mkdir()
    (package / "heap.py").write_text("A = 1\n")
    monkeypatch.setattr(freshness, "SOURCE_PACKAGES", (package,))
    before = freshness.sources_digest()
    (package / "new_module.py").write_text("B = 2\n")
    assert freshness.sources_digest() != before
