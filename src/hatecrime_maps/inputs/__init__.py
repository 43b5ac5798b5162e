"""Stage 1, inputs: FOI answers, counts tables, metadata, reporting centres and reference data.

Each reader turns one kind of file into the shared vocabulary of
:mod:`hatecrime_maps.model`, reconciled where the input states its own totals,
and raises the :mod:`hatecrime_maps.errors` type for that input.
"""
