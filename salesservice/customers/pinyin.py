"""Pinyin keys for searching customers by Chinese, full pinyin or initials (e.g. 上海瑞金医院 → shrjyy)."""

import re

_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def _clean(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of `name`; Latin letters and digits in the name are kept as they are."""
    # Imported on first use: pypinyin's dictionaries weigh ~55 MB, and most web workers never write a customer.
    from pypinyin import Style, lazy_pinyin

    name = name or ""
    full = _clean("".join(lazy_pinyin(name)))
    initials = _clean("".join(lazy_pinyin(name, style=Style.FIRST_LETTER)))
    return full[:400], initials[:100]


def normalise_query(query: str) -> str:
    """The query as it would appear in a pinyin key: lower case, no spaces or punctuation."""
    return _clean(query or "")
