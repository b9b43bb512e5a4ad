"""A semantic backstop for words nobody listed: soft similarity from word vectors.

The vectors are chiVe's (Sudachi's word2vec, Apache License 2.0), as the ``ja-ginza`` package ships
them (MIT): ``vocab/vectors`` is a plain NumPy array (20,000 rows × 300, float32) and ``vocab/key2row``
a MessagePack map from a word's 64-bit MurmurHash (spaCy's string hash) to its row. Only NumPy reads
them; spaCy and GiNZA are never imported (the package is installed without its dependencies).

Rows are shared by many words (the table was pruned to 20,000 rows), so a vector is a soft signal:
it may credit part of a question word that no record uses to records that use a near word, fused
with the lexical score, never deciding alone. Words are looked up by their unidic lemma.

Parsing ``key2row`` (480,000 entries) takes about half a second, so the parsed keys are kept in the
database (``strategy-bot load-data`` prepares them); the vector table is memory-mapped.
"""

from __future__ import annotations

import logging
import struct
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path

import numpy as np

log = logging.getLogger("strategy_bot.answer")

PACKAGE = "ja_ginza"
_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995
_R = 47


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy's ``hash_string`` computes it (seed 1)."""
    h = (seed ^ (len(data) * _M)) & _MASK
    end = len(data) - len(data) % 8
    for (k,) in struct.iter_unpack("<Q", data[:end]):
        k = (k * _M) & _MASK
        k ^= k >> _R
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> _R
    h = (h * _M) & _MASK
    h ^= h >> _R
    return h


def vocab_dir() -> Path | None:
    """Where the installed ja-ginza keeps its vocabulary, or None when it is not installed."""
    spec = util.find_spec(PACKAGE)  # finds the package without importing it (and so spaCy)
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for found in sorted(Path(root).glob("*/vocab/vectors")):
            return found.parent
    return None


def version() -> str | None:
    try:
        return f"{PACKAGE}={metadata.version('ja-ginza')}"
    except metadata.PackageNotFoundError:
        return None


_UINT = {0xCC: (1, ">B"), 0xCD: (2, ">H"), 0xCE: (4, ">I"), 0xCF: (8, ">Q")}


def parse_key2row(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The MessagePack map of unsigned integers in ``key2row``, as sorted keys and their rows."""
    if not raw or raw[0] not in (0xDE, 0xDF):
        raise ValueError("key2row is not a MessagePack map")
    count_size = 2 if raw[0] == 0xDE else 4
    n = int.from_bytes(raw[1 : 1 + count_size], "big")
    pos = 1 + count_size
    keys = np.empty(n, dtype=np.uint64)
    rows = np.empty(n, dtype=np.int32)
    unpack = struct.unpack_from
    for i in range(n):
        for target in (keys, rows):
            b = raw[pos]
            if b < 0x80:
                target[i] = b
                pos += 1
            else:
                size, fmt = _UINT[b]
                target[i] = unpack(fmt, raw, pos + 1)[0]
                pos += 1 + size
    order = np.argsort(keys)
    return keys[order], rows[order]


class WordVectors:
    """Unit vectors of words, by lemma; ``None`` for a word the table does not hold."""

    def __init__(self, table: np.ndarray, keys: np.ndarray, rows: np.ndarray):
        self.table = table
        self.keys = keys
        self.rows = rows

    @classmethod
    def load(cls, keys: np.ndarray | None = None, rows: np.ndarray | None = None) -> WordVectors | None:
        """The installed vectors (``keys``/``rows`` from the cache when given), or None."""
        directory = vocab_dir()
        if directory is None:
            return None
        try:
            table = np.load(directory / "vectors", mmap_mode="r")
            if keys is None or rows is None:
                keys, rows = parse_key2row((directory / "key2row").read_bytes())
        except (OSError, ValueError, KeyError, IndexError):
            log.warning("word vectors unreadable; answering without the semantic backstop")
            return None
        return cls(table, keys, rows)

    def row(self, word: str) -> int | None:
        key = np.uint64(murmurhash64a(word.encode("utf-8")))
        i = int(np.searchsorted(self.keys, key))
        if i < len(self.keys) and self.keys[i] == key:
            return int(self.rows[i])
        return None

    @lru_cache(maxsize=8192)  # noqa: B019 - one instance per process, words repeat
    def vector(self, word: str) -> np.ndarray | None:
        r = self.row(word)
        if r is None:
            return None
        v = np.asarray(self.table[r], dtype=np.float32)
        norm = float(np.linalg.norm(v))
        return v / norm if norm else None


class Neighbours:
    """The corpus's own words nearest to a question word that the corpus never uses."""

    def __init__(self, vectors: WordVectors, vocabulary: set[str] | frozenset[str]):
        self.vectors = vectors
        words, rows = [], []
        for w in sorted(vocabulary):
            v = vectors.vector(w) if not w.isascii() else None  # chiVe is Japanese
            if v is not None:
                words.append(w)
                rows.append(v)
        self.words = words
        self.matrix = np.vstack(rows) if rows else np.zeros((0, 300), dtype=np.float32)

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per index
    def near(self, word: str, k: int = 4, min_sim: float = 0.45) -> tuple[tuple[str, float], ...]:
        v = self.vectors.vector(word)
        if v is None or not len(self.words):
            return ()
        sims = self.matrix @ v
        best = np.argsort(-sims)[:k]
        return tuple((self.words[i], float(sims[i])) for i in best if sims[i] >= min_sim)


_LOADED: list[WordVectors | None] = []


def installed(keys: np.ndarray | None = None, rows: np.ndarray | None = None) -> WordVectors | None:
    """The installed vectors, loaded once per process on first use (None when not installed);
    ``keys``/``rows``: the parsed ``key2row`` from the database cache, when there is one."""
    if not _LOADED:
        _LOADED.append(WordVectors.load(keys, rows))
    return _LOADED[0]
