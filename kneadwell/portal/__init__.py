"""The client portal: the client's side of the care, on their phone (docs/portal.md)."""
