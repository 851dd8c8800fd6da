"""The one base for a refusal by a rule of the program, so that every caller can answer it alike."""


class DomainError(Exception):
    """A rule of the program refused a change (a status that does not allow it, another booking).

    ``code`` is stable and machine-readable; ``message`` is for people. The API answers 409 with
    both; pages show the message above the form.
    """

    code = "conflict"

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = str(message)
