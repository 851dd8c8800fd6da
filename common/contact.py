"""How requesters reach the program: the contact details set in the settings (each shown only when set)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ProgramContact:
    email: str
    phone: str
    hours: str

    def __bool__(self) -> bool:
        return bool(self.email or self.phone)

    @property
    def phone_uri(self) -> str:
        """The phone number for a ``tel:`` link: its digits, with a leading + if it has one."""
        digits = "".join(ch for ch in self.phone if ch.isascii() and ch.isdigit())
        return ("+" if self.phone.strip().startswith("+") else "") + digits


def program_contact() -> ProgramContact:
    return ProgramContact(
        email=settings.PROGRAM_CONTACT_EMAIL.strip(),
        phone=settings.PROGRAM_CONTACT_PHONE.strip(),
        hours=settings.PROGRAM_CONTACT_HOURS.strip(),
    )
