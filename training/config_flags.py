"""Config dataclasses to command-line flags, the one way every `rlcs train ...` job does it.

Each field becomes `--field-name` (Hugging Face's spelling), typed from its annotation, with its help
from `field(metadata={"help": ...})` or from the one-line docstring under the field (CleanRL style).
So a new config field is settable from the CLI the moment it is written, and its help never drifts.
"""
from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import typing


def field_docs(cls) -> dict[str, str]:
    """{field: help} from metadata["help"], else the docstring line under the field in the class source."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        source = ""
    docs = {m.group(1): " ".join(m.group(2).split())
            for m in re.finditer(r"^    (\w+): [^\n]*\n    \"\"\"(.*?)\"\"\"", source, re.MULTILINE | re.DOTALL)}
    for f in dataclasses.fields(cls):
        if f.metadata.get("help"):
            docs[f.name] = f.metadata["help"]
    return docs


def _flag_type(hint) -> type | None:
    """int / float / str / bool for a field's annotation (Optional[X] -> X); None for anything else."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    base = args[0] if args else hint
    return base if base in (int, float, str, bool) else None


def add_config_flags(parser: argparse.ArgumentParser, *classes, skip: tuple[str, ...] = (),
                     unset_default: bool = False) -> None:
    """One flag per field of `classes` (a name shared by several gets one flag).
    unset_default: flags default to None (for several configs: only what the user set is applied)."""
    seen = set(skip)
    for cls in classes:
        hints = typing.get_type_hints(cls)
        docs = field_docs(cls)
        for f in dataclasses.fields(cls):
            kind = _flag_type(hints[f.name])
            if f.name in seen or kind is None:
                continue
            seen.add(f.name)
            default = None if unset_default else (f.default if f.default is not dataclasses.MISSING else None)
            help_text = docs.get(f.name, "")
            if not unset_default:
                help_text += f" (default: {default})"
            elif len(classes) > 1:
                help_text += f" ({cls.__name__}; default {f.default})"
            flag = "--" + f.name.replace("_", "-")
            if kind is bool:
                parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default, help=help_text)
            else:
                parser.add_argument(flag, type=kind, default=default, help=help_text)


def config_from_args(cls, args: argparse.Namespace, **fixed):
    """`cls(**fixed)` with every field the user set on the command line (None = not set)."""
    cfg = cls(**fixed)
    for f in dataclasses.fields(cls):
        value = getattr(args, f.name, None)
        if value is not None and f.name not in fixed:
            setattr(cfg, f.name, value)
    return cfg


def reject_foreign_flags(args: argparse.Namespace, used, *others, label: str) -> None:
    """A flag set for a field that only another config has is a mistake: say so instead of ignoring it."""
    own = {f.name for f in dataclasses.fields(used)}
    for other in others:
        for f in dataclasses.fields(other):
            if f.name not in own and getattr(args, f.name, None) is not None:
                raise ValueError(f"--{f.name.replace('_', '-')} does not apply to {label}")
