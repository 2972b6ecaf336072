"""The JSON Schema differ: normalise, walk (memoised), per-keyword rules."""

from .findings import Ctx, Finding
from .normalise import Node, Normaliser, Norm
from .walker import Walker

__all__ = ["Ctx", "Finding", "Node", "Normaliser", "Norm", "Walker"]
