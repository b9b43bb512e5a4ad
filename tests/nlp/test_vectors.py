"""The semantic backstop: ja-ginza's chiVe vectors read with NumPy alone (nlp/vectors.py)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from nlp import vectors
from nlp.vectors import Neighbours, WordVectors, murmurhash64a, parse_key2row


def _msgpack_map(pairs: list[tuple[int, int]]) -> bytes:
    """A MessagePack map of unsigned integers, written by hand in every width the format has."""

    def uint(n: int) -> bytes:
        if n < 0x80:
            return bytes([n])
        for tag, fmt, limit in ((0xCC, ">B", 1 << 8), (0xCD, ">H", 1 << 16), (0xCE, ">I", 1 << 32)):
            if n < limit:
                return bytes([tag]) + struct.pack(fmt, n)
        return b"\xcf" + struct.pack(">Q", n)

    return b"\xdf" + struct.pack(">I", len(pairs)) + b"".join(uint(k) + uint(v) for k, v in pairs)


def test_key2row_is_parsed_in_every_integer_width_and_sorted() -> None:
    pairs = [(2**63 + 5, 3), (7, 200), (70_000, 65_000), (2**40, 19_999), (300, 0)]
    keys, rows = parse_key2row(_msgpack_map(pairs))
    assert list(keys) == sorted(k for k, _ in pairs)
    assert dict(zip(keys.tolist(), rows.tolist(), strict=True)) == dict(pairs)


def test_a_file_that_is_not_a_map_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_key2row(b"\x93\x01\x02\x03")


def test_murmurhash_is_64_bit_and_depends_on_every_byte() -> None:
    seen = {murmurhash64a(w.encode()) for w in ("", "a", "ab", "abcdefgh", "abcdefghi", "子供", "子ども")}
    assert len(seen) == 7 and all(0 <= h < 2**64 for h in seen)
    assert murmurhash64a(b"x", seed=1) != murmurhash64a(b"x", seed=2)


def test_lookup_and_neighbours_on_a_small_table() -> None:
    words = {"旅行": [1.0, 0.1, 0.0], "観光": [0.9, 0.2, 0.0], "議決": [0.0, 0.0, 1.0]}
    table = np.array(list(words.values()), dtype=np.float32)
    keys = np.array([murmurhash64a(w.encode()) for w in words], dtype=np.uint64)
    order = np.argsort(keys)
    wv = WordVectors(table, keys[order], np.arange(3, dtype=np.int32)[order])
    assert wv.row("観光") == 1 and wv.row("存在しない語") is None
    near = dict(Neighbours(wv, {"観光", "議決"}).near("旅行"))
    assert "観光" in near and near["観光"] > 0.9 and "議決" not in near


needs_vectors = pytest.mark.skipif(vectors.vocab_dir() is None, reason="ja-ginza is not installed")


@needs_vectors
def test_the_installed_vectors_know_everyday_words_by_their_lemma() -> None:
    wv = vectors.installed()
    assert wv is not None and wv.table.shape == (20_000, 300)
    assert all(wv.vector(w) is not None for w in ("子供", "保育園", "八百屋", "観光"))
    travel, tourism, vote = (wv.vector(w) for w in ("旅行", "観光", "議決"))
    assert float(travel @ tourism) > float(travel @ vote) + 0.2
