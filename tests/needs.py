"""Skip marks for tests that need what only the shared reference data gives (../shared/data; see
training/shared_data.py for where it is looked for). A checkout without it still runs the rest, and the
skip says what is missing instead of failing on a path."""
import json

import pytest

from bot.shop.paths import STORE_DIR
from training.shared_data import bitext_file

bitext = pytest.mark.skipif(not bitext_file().exists(),
                            reason=f"Bitext not found at {bitext_file()} (set RLCS_SHARED_DATA)")


def _intent_model_has_bitext() -> bool:
    card = STORE_DIR / "intent_model" / "card.json"
    return card.exists() and bool(json.loads(card.read_text()).get("data", {}).get("bitext"))


# These tests pin judgements of the intent model as `make setup` builds it, with Bitext's requests among its
# training data; a model fitted on the store's messages alone is unsure of other messages.
bitext_intent_model = pytest.mark.skipif(not _intent_model_has_bitext(),
                                         reason="the store's intent model was trained without Bitext "
                                                "(no shared data when `make setup` ran)")
