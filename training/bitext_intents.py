"""Bitext's 27 intents mapped to our knowledge base's intents: the one map every job reads.

BITEXT_TO_KB grounds drafter prompts (None: no passage of ours fits). CLEAR_COUNTERPART names the
Bitext intents whose requests our store would answer with exactly that intent: the intent model
trains on their train split and `rlcs bench intents` scores its test split.
"""
from __future__ import annotations

BITEXT_TO_KB = {
    "cancel_order": "cancel_order", "change_order": "change_order", "change_shipping_address": "change_shipping_address",
    "check_cancellation_fee": "cancel_order", "check_invoice": "invoice_request", "check_payment_methods": "payment_methods",
    "check_refund_policy": "refund_policy", "complaint": "complaint", "contact_customer_service": "human_agent",
    "contact_human_agent": "human_agent", "create_account": "account_access", "delete_account": "delete_account_privacy",
    "delivery_options": "shipping_options", "delivery_period": "shipping_options", "edit_account": "account_access",
    "get_invoice": "invoice_request", "get_refund": "refund_policy", "newsletter_subscription": "newsletter_unsubscribe",
    "payment_issue": "payment_failed", "place_order": None, "recover_password": "account_access",
    "registration_problems": "account_access", "review": "complaint", "set_up_shipping_address": "change_shipping_address",
    "switch_account": "account_access", "track_order": "track_order", "track_refund": "refund_status",
}

CLEAR_COUNTERPART = (
    "cancel_order", "track_order", "change_order", "change_shipping_address", "set_up_shipping_address",
    "check_payment_methods", "payment_issue", "get_invoice", "check_invoice", "delete_account", "recover_password",
    "contact_human_agent", "newsletter_subscription", "delivery_options", "delivery_period", "complaint",
    "track_refund", "check_refund_policy",
)
BITEXT_TO_OURS = {name: BITEXT_TO_KB[name] for name in CLEAR_COUNTERPART}
