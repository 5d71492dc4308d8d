"""The shipped demo store (see data/README.md)."""
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
STORE_DIR = DATA_DIR / "store"
