"""The base of every `/api/v1` input schema: unknown fields are refused, never ignored."""

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    """An API request body. A field the schema does not name is a 422, not silently dropped.

    Every input schema derives from this one (issue 12); output schemas keep ninja's `Schema`.
    """

    model_config = ConfigDict(extra="forbid")
