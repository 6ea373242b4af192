"""API routes of the screening app under /api/v1."""

from ninja import Router

router = Router(tags=["screening"])
