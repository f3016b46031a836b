"""Immutable containers for settings and results (a frozen pydantic model only freezes its own fields).

:class:`FrozenDict` is a ``dict`` (so pydantic, JSON and ``==`` treat it as one) whose contents cannot
change, and which hashes by value: a :class:`~sakip_xl.policy.Policy` built from it is hashable, and a
cache keyed by a policy is keyed by what it says, never by which object it is.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

__all__ = ["FrozenDict", "freeze"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A read-only ``dict``, hashable by value."""

    __slots__ = ("_hash",)
    _hash: int

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("isi kebijakan tidak dapat diubah; buat kebijakan baru (model_copy(update=...))")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            return self._hash
        except AttributeError:
            h = self._hash = hash(frozenset(self.items()))
            return h

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[K, V]:
        return self


def freeze(value: dict[K, V]) -> FrozenDict[K, V]:
    """``value`` as a :class:`FrozenDict` (nested dicts frozen too)."""
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict({k: freeze(v) if isinstance(v, dict) else v for k, v in value.items()})  # type: ignore[misc]
