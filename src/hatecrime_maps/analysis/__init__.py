"""Stage 3, analysis: counts joined to areas, rates, disclosure control, one record.

Every figure a build shows is in :class:`.record.Record` once, with the sums that
link it, and is suppressed there once (:mod:`.privacy`); :mod:`.publish` and
:mod:`.story` are views of that record for the outputs.
"""
