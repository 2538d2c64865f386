"""Keep numba's cache of the kernels true to their source.

numba knows a cached function is stale only when its own file changes: a change to a function it
inlines from another file, or to a module-level array it compiled in as a constant, goes unnoticed
(a known limitation, numba's "Notes on Caching"). The kernels span several files, so a digest of
all of them is kept in the cache directory, and the cached kernels are dropped when it differs:
after a `git pull` that changes only engine/kernels/rng.py, the kernels compile again instead of
loading code that draws the old way.
"""

import hashlib
from pathlib import Path

from engine.kernels import entry

# Every module of the kernels package, found on disk so that a new one cannot be left out, and of
# the catalog, whose codes of kinds and choices the kernels compile in as constants.
KERNELS = Path(__file__).parent
SOURCE_PACKAGES = (KERNELS, KERNELS.parent / "catalog")
DIGEST_FILE = "engine-kernels.sha256"


def source_files() -> list[Path]:
    return sorted(path for package in SOURCE_PACKAGES for path in package.glob("*.py"))


def sources_digest() -> str:
    digest = hashlib.sha256()
    for path in source_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_if_stale(cache_dir: Path, digest: str) -> bool:
    """Delete the cached kernels in cache_dir unless they were compiled from sources of this
    digest; then record it. Returns True if it deleted them."""
    stamp = cache_dir / DIGEST_FILE
    try:
        if stamp.read_text().strip() == digest:
            return False
    except OSError:
        pass
    stale = [path for pattern in ("*.nbi", "*.nbc") for path in cache_dir.glob(pattern)]
    for path in stale:
        path.unlink(missing_ok=True)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest + "\n")
    except OSError:
        pass  # a read-only tree: numba then caches elsewhere, or not at all
    return bool(stale)


def forget_stale_kernels() -> bool:
    """Drop the engine's cached kernels if any of their source files changed since they were compiled."""
    function_cache = getattr(entry.advance, "_cache", None)
    if function_cache is None:
        return False  # NUMBA_DISABLE_JIT: plain Python, nothing cached
    # numba's own answer to where this module's kernels are cached (NUMBA_CACHE_DIR or __pycache__).
    return forget_if_stale(Path(function_cache._cache_path), sources_digest())
