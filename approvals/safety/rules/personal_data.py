"""Personal data: private emails and phone numbers, ID and bank numbers, dates of birth, home addresses.

Policy: a business's own contact details are not personal data. Role addresses such as
info@, hello@ or support@ pass; any other address names a person (medium), and one at a
webmail provider is a private address (high). A phone number passes when the sentence
presents it as the business's line ("call us on", "Tel:", "enquiries:") and nothing marks it
as a person's own ("her mobile", "my direct line", "ring Dave on").
"""

from __future__ import annotations

import re

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.text import DIGITS, Doc, overlaps, rule, word_set

_I = re.IGNORECASE

_EMAIL = rule(
    r"\b(?P<local>[A-Za-z0-9._%+-]+)@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b",
    "@",
)
ROLE_MAILBOXES = word_set("""info hello hi support help contact contactus enquiries enquiry inquiries sales bookings
    booking reservations team office admin press media careers jobs recruitment hr orders billing
    accounts invoices service customerservice care feedback privacy dpo gdpr legal compliance
    security abuse marketing partners partnerships events studio shop store webmaster noreply
    no-reply newsletter reception appointments clinic""")
FREE_MAIL_DOMAINS = word_set("""gmail.com googlemail.com yahoo.com yahoo.co.uk hotmail.com hotmail.co.uk outlook.com
    live.com live.co.uk msn.com icloud.com me.com mac.com aol.com protonmail.com proton.me
    gmx.com gmx.net mail.com yandex.com zoho.com btinternet.com sky.com virginmedia.com""")

# Starts on a digit, "+" or "(" so the scan is fast; the character before is checked in code.
_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?(?:\d{10,13}|\d{2,6}(?:[\s.-]\d{2,6}){1,4})"
    r"(?![\w%/])"
)
_BUSINESS_LINE = re.compile(
    r"\b(?:call|ring|phone|text|whatsapp|contact|reach|message)\s+(?:us|our\s+(?:\w+\s+)?"
    r"(?:team|office|shop|studio|clinic|salon|helpline))\b"
    r"|\b(?:tel|telephone|phone|office|reception|freephone|helpline|hotline|switchboard"
    r"|bookings|enquiries|inquiries|customer\s+service)\b\s*[:.]?"
    r"|\bour\s+(?:number|office|team|helpline|phone|line)\b",
    _I,
)
_PERSONAL_LINE = re.compile(
    r"\b(?:my|her|his|their)\s+(?:own\s+)?(?:personal\s+|private\s+|direct\s+|home\s+)?"
    r"(?:mobile|cell|phone|number|line|whatsapp)\b"
    r"|\b(?:personal|private)\s+(?:mobile|number|phone|line)\b"
    r"|\b(?:call|ring|text|message|phone|whatsapp)\s+(?:me|(?-i:[A-Z][a-z]+))\s+(?:on|at|directly)\b"
    r"|\b(?-i:[A-Z][a-z]+)(?:'s|’s)\s+(?:mobile|number|phone)\b",
    _I,
)
_ID_NUMBERS = (
    (rule(r"\bNHS\s+(?:number|no\.?)\s*:?\s*\d{3}\s?\d{3}\s?\d{4}\b", "nhs"), "NHS number"),
    (
        rule(r"\b\d{3}-\d{2}-\d{4}\b", "-", 0, requires=r"\d\d\d-\d\d-\d\d\d\d"),
        "social security number",
    ),
    (
        rule(
            r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
            DIGITS,
            0,
            requires=r"\d\d\s?\d\d\s?\d\d\s?[a-d]",
        ),
        "National Insurance number",
    ),
)
_CARD = re.compile(r"\d(?:[ -]?\d){12,18}(?!\d)")
# Phone and card numbers have ten or more digits; only such stretches, [0-9][0-9 ().-]{8,}[0-9],
# are examined for them. A regex scan for a character class is slow, so they are found in the
# text mapped byte for byte (non-ASCII is "?" by then): 0-9 to "0", " ().-" to "-" and all
# else to " ", where the pattern starts with a literal.
_DIGITS_AND_SEPARATORS = bytes(
    48 if 48 <= c <= 57 else 45 if chr(c) in " ().-" else 32 for c in range(256)
)
_DIGIT_STRETCH = re.compile(rb"0[0-]{8,}0")
_BANK = (
    rule(
        r"\bsort\s+code\s*:?\s*\d{2}[- ]\d{2}[- ]\d{2}\b|\baccount\s+(?:number|no\.?)?\s*:?\s*\d{8}\b",
        "sort code|account",
    ),
    rule(
        r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b",
        DIGITS,
        0,
        requires=r"\d\d(?:\s?[a-z0-9]{4}){3}",
    ),
)
_BIRTH_DATE = rule(
    r"\b(?:DOB|D\.O\.B\.?|date\s+of\s+birth|born\s+on)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}",
    "dob|d.o.b|birth|born",
)
_STREET = r"(?:Lane|Road|Street|Avenue|Close|Drive|Way|Crescent|Gardens|Place|Terrace|Court|Grove|Rd|St|Ave)"
# A street address is personal when its sentence is about a private person, not the business.
_STREET_ADDRESS = rule(
    rf"\b\d+[A-Za-z]?\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_STREET}\b"
    r"(?:,?\s+(?-i:[A-Z][a-z]+))?(?:,?\s+(?-i:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}))?",
    "lane|road|street|avenue|close|drive|way|crescent|gardens|place|terrace|court|grove|rd|st|ave",
    0,
    requires=rf"\d[a-z]?\s+[a-z]{{2,}}(?:\s+[a-z]{{2,}})?\s+{_STREET.lower()}",
)
_PRIVATE_PERSON = re.compile(
    r"\b(?:winner|winners|customer|client|patient|tenant|resident|lives|living|home\s+address"
    r"|(?-i:Mr|Mrs|Ms|Miss|Mx))\b",
    _I,
)
_HOME_ADDRESS = rule(
    r"(?-i:\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)?),?\s+"
    rf"(?:of|at|from|who\s+lives\s+at)\s+\d+[A-Za-z]?\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_STREET}\b"
    rf"|\blives\s+at\s+\d+[A-Za-z]?\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_STREET}\b",
    "mr|ms|miss|dr|mx|lives at",
    0,
    requires=rf"(?:of|at|from)\s+\d+[a-z]?\s+[a-z]{{2,}}(?:\s+[a-z]{{2,}})?\s+{_STREET.lower()}",
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _starts_token(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "£$€.,/+-")


def _digit_stretches(text: str) -> list[tuple[int, int]]:
    """The stretches with ten digits or more, each from five characters before it."""
    mapped = text.encode("ascii", "replace").translate(_DIGITS_AND_SEPARATORS)
    return [
        (max(0, m.start() - 5), m.end())
        for m in _DIGIT_STRETCH.finditer(mapped)
        if m.group().count(b"0") >= 10
    ]


def find_personal_data(doc: Doc) -> list[Flag]:
    text, sentences = doc.text, doc.sentences
    flags: list[Flag] = []

    def add(severity: str, message: str, start: int, end: int) -> None:
        if any(overlaps((start, end), (f.start, f.end)) for f in flags):
            return
        flags.append(make_flag(text, "personal_data", severity, message, start, end))

    for r, label in _ID_NUMBERS:
        for m in doc.finditer(r):
            add("critical", f"A {label} must never appear in published copy.", m.start(), m.end())
    stretches = _digit_stretches(text)
    for m in (m for start, end in stretches for m in _CARD.finditer(text, start, end)):
        if not _starts_token(text, m.start()):
            continue
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            add(
                "critical",
                "A payment card number must never appear in published copy.",
                m.start(),
                m.end(),
            )
    for m in (m for r in _BANK for m in doc.finditer(r)):
        add(
            "high",
            f'Bank details "{quote_excerpt(m.group())}": keep them out of marketing copy.',
            m.start(),
            m.end(),
        )
    for m in doc.finditer(_BIRTH_DATE):
        add("high", "A date of birth identifies a person: remove it.", m.start(), m.end())
    for m in doc.finditer(_HOME_ADDRESS):
        add(
            "high",
            f'Home address of a named person "{quote_excerpt(m.group())}": remove it.',
            m.start(),
            m.end(),
        )
    for m in doc.finditer(_STREET_ADDRESS):
        if _PRIVATE_PERSON.search(sentences.sentence(m.start())):
            add(
                "high",
                f'Address "{quote_excerpt(m.group())}" belongs to a private person: remove it.',
                m.start(),
                m.end(),
            )
    for m in doc.finditer(_EMAIL):
        local, domain = m.group("local").lower(), m.group("domain").lower()
        if domain in FREE_MAIL_DOMAINS:
            add(
                "high",
                f'Private email address "{m.group()}": use a business address instead.',
                m.start(),
                m.end(),
            )
        elif local not in ROLE_MAILBOXES:
            add(
                "medium",
                f'Email address "{m.group()}" names a person: prefer a role address '
                "such as hello@ or support@.",
                m.start(),
                m.end(),
            )
    for m in (m for start, end in stretches for m in _PHONE.finditer(text, start, end)):
        digits = re.sub(r"\D", "", m.group())
        if not 10 <= len(digits) <= 13 or not _starts_token(text, m.start()):
            continue
        start, end = sentences.around(m.start())
        context = text[start : m.end()]
        if _BUSINESS_LINE.search(context) and not _PERSONAL_LINE.search(context):
            continue
        add(
            "high",
            f'Phone number "{m.group()}" looks personal: publish only the business\'s '
            'own line, introduced as such ("call us on ...").',
            m.start(),
            m.end(),
        )
    return flags
