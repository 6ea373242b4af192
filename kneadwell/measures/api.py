"""API routes of the measures app under /api/v1."""

from ninja import Router

router = Router(tags=["measures"])
