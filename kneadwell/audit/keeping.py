"""Where the access log's key and checkpoints are kept: outside the database, in the data
directory (or where the settings say), readable by the service user only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kneadwell.audit.chain import Checkpoint


@dataclass(frozen=True)
class Keeping:
    """The key the chain is signed with and the file its checkpoints are appended to."""

    key: bytes
    path: Path
    every: int = 1000

    @classmethod
    def from_settings(cls) -> Keeping:
        return cls(
            key=settings.KNEADWELL_AUDIT_KEY.encode(),
            path=Path(settings.KNEADWELL_AUDIT_CHECKPOINTS),
            every=max(1, settings.KNEADWELL_AUDIT_CHECKPOINT_EVERY),
        )

    def lines(self) -> list[str]:
        try:
            return self.path.read_text().splitlines()
        except FileNotFoundError:
            return []

    def last(self) -> Checkpoint | None:
        lines = [line for line in self.lines() if line.strip()]
        return Checkpoint.parse(lines[-1]) if lines else None

    def write(self, position: int, head: str) -> Checkpoint:
        """Append a signed checkpoint of the chain's head (mode 0600, created if missing)."""
        checkpoint = Checkpoint(position, head, timezone.now().isoformat(timespec="seconds"))
        checkpoint = checkpoint.signed(self.key)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "a") as file:
            file.write(checkpoint.line())
            file.flush()
            os.fsync(file.fileno())
        return checkpoint

    def due(self, before: int, after: int) -> bool:
        """A checkpoint is due when the chain passed a multiple of `every`, or there is none."""
        return after > before and (
            after // self.every > before // self.every or not self.path.exists()
        )
