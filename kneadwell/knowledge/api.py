"""API routes of the knowledge app under /api/v1."""

from ninja import Router

router = Router(tags=["knowledge"])
