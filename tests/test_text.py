import pytest

from bot.text import MAX_MESSAGE_CHARS, InvalidMessage, clean_message, mask_pii


def test_masks_email_phone_and_card_but_not_order_numbers():
    text = ("I'm jane.doe+shop@gmail.com, call me on +1 (415) 555-0199, card 4242 4242 4242 4242, "
            "order 12345 cost $59.90")
    masked = mask_pii(text)
    assert masked == "I'm [email], call me on [phone], card [card], order 12345 cost $59.90"


def test_card_like_number_failing_luhn_is_not_called_a_card():
    assert "[card]" not in mask_pii("tracking 1234567890123")


@pytest.mark.parametrize("bad", ["", "   ", "\n\t ", "\x00\x01"])
def test_empty_messages_are_refused_with_a_clear_message(bad):
    with pytest.raises(InvalidMessage, match="empty"):
        clean_message(bad)


def test_overlong_message_is_refused_and_says_the_limit():
    with pytest.raises(InvalidMessage, match="4,000"):
        clean_message("a" * (MAX_MESSAGE_CHARS + 1))


def test_control_characters_are_stripped_but_newlines_kept():
    assert clean_message("hi\x1b[31m there\u200b\nline two\x07") == "hi[31m there\nline two"


def test_non_text_is_refused():
    with pytest.raises(InvalidMessage):
        clean_message(None)


def test_curly_apostrophes_are_straightened_for_the_patterns_that_read_messages():
    """A fifth of real first messages were typed with "didn’t" (phones); every pattern spells "didn't"."""
    assert clean_message("the code didn\u2019t work, it\u2019s \u2018wishlist10\u2019") == \
        "the code didn't work, it's 'wishlist10'"
