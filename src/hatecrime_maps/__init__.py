"""hatecrime-maps: police FOI answers about hate crime, parsed, reconciled and mapped.

The public API, for notebooks and scripts (see :mod:`hatecrime_maps.api`)::

    import hatecrime_maps as hm
    answer = hm.read_answer("counts.csv", periods={2021: "2021-01-01..2021-12-31"})
    frame = hm.figures(answer)          # GeoDataFrame, British National Grid
    m = hm.folium_map(answer)           # pip install 'hatecrime-maps[notebook]'

Names are imported when first used, so the command line starts without
loading the mapping libraries it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

_WHERE = {
    **dict.fromkeys(
        [
            "Answer",
            "Boundaries",
            "build_maps",
            "figures",
            "folium_map",
            "geography_layer",
            "published",
            "read_answer",
            "reporting_centres",
            "to_web",
        ],
        "hatecrime_maps.api",
    ),
    **dict.fromkeys(
        [
            "AnswerError",
            "AreaError",
            "ArgumentError",
            "BoundaryError",
            "CentresError",
            "CountsTableError",
            "InputError",
            "MetadataError",
            "OptionError",
            "OutputError",
            "ReferenceDataError",
        ],
        "hatecrime_maps.errors",
    ),
}

__all__ = [
    "Answer",
    "AnswerError",
    "AreaError",
    "ArgumentError",
    "Boundaries",
    "BoundaryError",
    "CentresError",
    "CountsTableError",
    "InputError",
    "MetadataError",
    "OptionError",
    "OutputError",
    "ReferenceDataError",
    "__version__",
    "build_maps",
    "figures",
    "folium_map",
    "geography_layer",
    "published",
    "read_answer",
    "reporting_centres",
    "to_web",
]

if TYPE_CHECKING:
    from hatecrime_maps.api import (
        Answer,
        Boundaries,
        build_maps,
        figures,
        folium_map,
        geography_layer,
        published,
        read_answer,
        reporting_centres,
        to_web,
    )
    from hatecrime_maps.errors import (
        AnswerError,
        AreaError,
        ArgumentError,
        BoundaryError,
        CentresError,
        CountsTableError,
        InputError,
        MetadataError,
        OptionError,
        OutputError,
        ReferenceDataError,
    )


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'hatecrime_maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
