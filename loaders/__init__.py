"""Loaders, one per document layout, registered by the name the manifest uses.

A new layout is a new module here and one line in LOADERS; the class is imported only
when a manifest entry asks for it.
"""

from __future__ import annotations

import importlib

from loaders.base import Loader

LOADERS: dict[str, str] = {
    "leicester-action-plan": "loaders.leicester_action_plan:LeicesterActionPlanLoader",
    "leicester-proposed-priorities": "loaders.proposed_priorities:ProposedPrioritiesLoader",
    "leicestershire-progress-report": "loaders.progress_report:ProgressReportLoader",
    "district-action-plan": "loaders.district_action_plan:DistrictActionPlanLoader",
    "leicester-strategy": "loaders.strategy:StrategyLoader",
}


class UnknownLoader(LookupError):
    """The manifest names a loader that is not registered."""


def get_loader(name: str) -> Loader:
    """Return a new instance of the loader registered as ``name``."""
    try:
        module_name, class_name = LOADERS[name].split(":")
    except KeyError:
        raise UnknownLoader(f"no loader named {name!r}; known: {', '.join(LOADERS)}") from None
    return getattr(importlib.import_module(module_name), class_name)()
