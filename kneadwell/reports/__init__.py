"""The reporting step of the workflow: the chart page, progress and reassessment decisions,
discharge summaries and letters to the physician."""
