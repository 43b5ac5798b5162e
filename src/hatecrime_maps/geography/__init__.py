"""Stage 2, geography: the boundary build, the area levels and finding an input's level.

``hatecrime-maps boundaries build`` (:mod:`.boundary_build`) derives
``boundaries/`` from open ward data (:mod:`.wards`, :mod:`.topology`); a map
build reads that folder once (:mod:`.levels`) and resolves an input's names to
its areas.
"""
