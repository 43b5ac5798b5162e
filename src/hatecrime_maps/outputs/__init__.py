"""Stage 4, outputs: map pages, the report, charts and print maps, downloads and the notebook map.

Renderers take published figures and the loaded geography, never folders;
:mod:`.presentation` holds how every class looks, for pages, print, QGIS and
the notebook alike.
"""
