"""The metadata that travels with an FOI answer: who answered, what, and for which period."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hatecrime_maps.errors import InputError
from hatecrime_maps.files import read_text

METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


@dataclass(frozen=True)
class FoiMetadata:
    force: str
    reference: str
    subject: str
    source_url: str
    periods: dict[int, Period]


def load_metadata(path: Path) -> FoiMetadata:
    """Read ``metadata.json`` (a path to it, or to the answer file beside it)."""
    path = Path(path)
    if path.suffix != ".json":
        path = path.parent / METADATA_FILE
    text = read_text(path)
    try:
        raw = json.loads(text)
        periods = {
            int(year): Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]),
                              p["label"])
            for year, p in raw["periods"].items()
        }
        for year, p in periods.items():
            if p.end < p.start:
                raise InputError(str(path), f"the period for {year} ends ({p.end}) before it "
                                 f"starts ({p.start})")
        return FoiMetadata(raw["force"], raw["reference"], raw["subject"], raw["source_url"],
                           periods)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not valid JSON ({exc.msg})", exc.lineno) from None
    except KeyError as exc:
        raise InputError(str(path), f"missing field {exc.args[0]!r}") from None
    except (ValueError, TypeError) as exc:
        raise InputError(str(path), f"bad value ({exc})") from None
