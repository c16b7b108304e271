"""narrative_qa: scores QPR narrative against the ELT review findings."""

__version__ = "0.1.0"
