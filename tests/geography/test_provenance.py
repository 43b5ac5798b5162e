"""Each boundaries folder's provenance, and cutting a geography to a map's extent."""

from __future__ import annotations

import pytest

from hatecrime_maps.errors import BoundaryError
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.provenance import WEST_MIDLANDS, parse_provenance
from hatecrime_maps.io import defaults


def test_the_committed_provenance_is_what_the_build_writes():
    wm = Boundaries(defaults.BOUNDARIES).provenance
    assert wm == WEST_MIDLANDS and wm.has_centres
    uk = Boundaries(defaults.UK_BOUNDARIES).provenance
    assert not uk.has_centres and uk.context_lines == {"fine": "councils", "outline": "forces"}
    assert "2024" in uk.attribution and "2020" in wm.attribution
    assert uk.population_source(2018) == uk.populations[2017] + (
        " (the nearest to 2018 that the boundaries hold)"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{", "is not JSON"),
        ("[]", "must hold a JSON object"),
        ('{"name": "x", "attribution": "a"}', "needs 'boundary_vintage' as text"),
        (
            '{"name": "x", "attribution": "a", "boundary_vintage": "v", '
            '"context_lines": {"fine": "wards"}}',
            "'context_lines' must name the 'fine' and 'outline' layers",
        ),
    ],
)
def test_a_bad_provenance_file_is_refused_by_name(text, said):
    with pytest.raises(BoundaryError, match=said) as caught:
        parse_provenance(text, "boundaries/provenance.json")
    assert "boundaries/provenance.json" in str(caught.value)


def test_a_map_of_some_councils_keeps_the_forces_they_are_in_and_reads_nothing_again():
    uk = Boundaries(defaults.UK_BOUNDARIES)
    cut = uk.within("council", {"Camden", "Leeds"})
    councils = cut.catalogue.units["council"]
    assert set(councils["parent"]) == {"Metropolitan Police", "West Yorkshire"}
    assert len(councils) == 32 + 5
    assert list(cut.catalogue.units["force"]["area"]) == ["Metropolitan Police", "West Yorkshire"]
    assert len(cut.layer("councils")) == 37 and len(cut.web_features("forces")) == 2
    names = {g["properties"]["council"] for g in cut.topology["objects"]["councils"]["geometries"]}
    assert "Camden" in names and "Birmingham" not in names
    assert cut._bytes is uk._bytes  # one read of each file, shared
    # A map of forces is drawn on the jurisdictions of the forces named.
    forces = uk.within("force", {"Kent"}).catalogue.units["force"]
    assert len(forces) == 43 and "Police Scotland" not in set(forces["area"])
    # The West Midlands levels have no extent: a map of them is of the whole folder.
    wm = Boundaries(defaults.BOUNDARIES)
    assert wm.within("ward", {"Aston"}) is wm
