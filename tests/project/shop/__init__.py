from .store import save_order
from . import store

__all__ = ["save_order", "store"]
