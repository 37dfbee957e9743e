"""A Fenwick (binary indexed) tree: prefix sums with O(log n) update and search."""

from __future__ import annotations

from collections.abc import Sequence


class Fenwick:
    """Prefix sums over a list of non-negative integers."""

    __slots__ = ("_top", "_tree", "size")

    def __init__(self, values: Sequence[int]) -> None:
        n = self.size = len(values)
        tree = [0] * (n + 1)
        for i, value in enumerate(values, 1):
            tree[i] += value
            parent = i + (i & -i)
            if parent <= n:
                tree[parent] += tree[i]
        self._tree = tree
        self._top = 1 << (n.bit_length() - 1) if n else 0

    def add(self, index: int, delta: int) -> None:
        """Add ``delta`` to the value at ``index``."""
        tree, n = self._tree, self.size
        i = index + 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def prefix(self, count: int) -> int:
        """The sum of the first ``count`` values."""
        tree = self._tree
        total = 0
        i = count
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def total(self) -> int:
        return self.prefix(self.size)

    def search(self, value: int) -> int:
        """The largest ``count`` whose prefix sum is at most ``value``."""
        tree, n = self._tree, self.size
        pos = 0
        bit = self._top
        while bit:
            nxt = pos + bit
            if nxt <= n and tree[nxt] <= value:
                pos = nxt
                value -= tree[nxt]
            bit >>= 1
        return pos
