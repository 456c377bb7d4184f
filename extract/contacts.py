"""Contact details a report gives for questions about it: address, postcode, phone, fax,
email and website, each as written."""

from __future__ import annotations

from . import lazy_re
from .record import Contacts

_END = r"(?=[;；,，。)）\n]|\s{2}|$)"
_LABELLED = {
    "address": lazy_re.compile(r"(?:通讯|通信|联系|办公|单位)?地址\s*(?:为|是)?\s*[:：]?\s*([^;；,，。)）\n]{4,60}?)" + _END),
    "postcode": lazy_re.compile(r"邮(?:政)?编(?:码)?\s*(?:为|是)?\s*[:：]?\s*(\d{6})(?!\d)"),
    "phone": lazy_re.compile(r"(?<!传真)(?:联系|咨询|办公|服务)?电话(?:号码)?\s*(?:为|是)?\s*[:：]?\s*"
                             r"((?:\(?0\d{2,3}\)?[-—\s]?)?\d{7,8}(?:[-—]\d{1,4})?"
                             r"(?:\s*[、/或和]\s*(?:\(?0\d{2,3}\)?[-—\s]?)?\d{7,8})*|1[3-9]\d{9})"),
    "fax": lazy_re.compile(r"传真(?:号码)?\s*(?:为|是)?\s*[:：]?\s*((?:\(?0\d{2,3}\)?[-—\s]?)?\d{7,8}(?:[-—]\d{1,4})?)"),
}
_EMAIL = lazy_re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_WEBSITE = lazy_re.compile(
    r"(?:https?://)?(?:www\.)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[A-Za-z0-9._~%/?=&#-]*)?"
    r"|(?:https?://)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[A-Za-z0-9._~%/?=&#-]*)?"
    r"|(?<=网址)[:：]?\s*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


def find_contacts(text: str) -> Contacts:
    """The first of each kind of contact detail in the report's text."""
    found = {}
    for name, pattern in _LABELLED.items():
        match = pattern.search(text)
        found[name] = match.group(1).strip() if match else None
    email = _EMAIL.search(text)
    found["email"] = email.group(0) if email else None
    for match in _WEBSITE.finditer(text):
        url = match.group(0).lstrip(":： ").rstrip(".")
        if email and url in email.group(0):
            continue
        found["website"] = url
        break
    else:
        found["website"] = None
    return Contacts(**found)
