"""Render one layer of a GeoPackage in QGIS with its default style; report one area's pixels.

Run with the system Python that has QGIS (``/usr/bin/python3``)::

    python3 qgis_render_area.py FILE.gpkg LAYER NAME_FIELD NAME RENDER.png [STYLE.qml]

With ``STYLE.qml`` the layer is drawn in that style instead of its default.

Prints, as JSON, the colours QGIS drew inside the named feature (sampled on a
grid of points within it, away from its outline) and how often each was drawn.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
path, layer_name, field, name, render_to = sys.argv[1:6]
layer = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
assert layer.isValid(), path
if len(sys.argv) > 6:
    # importNamedStyle: loadNamedStyle would take the GeoPackage's own default instead.
    from qgis.PyQt.QtXml import QDomDocument

    style = QDomDocument()
    with open(sys.argv[6], encoding="utf-8") as fh:
        assert style.setContent(fh.read())[0], sys.argv[6]
    ok, message = layer.importNamedStyle(style)
    assert ok, message
expression = f"\"{field}\" = '{name}'"
feature = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))
geometry = feature.geometry()
size = 600
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(layer.crs())
extent = geometry.boundingBox()
extent.scale(1.05)
settings.setExtent(extent)
settings.setOutputSize(QSize(size, size))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(render_to, "png")
inside = geometry.buffer(-0.03 * max(extent.width(), extent.height()), 4)
to_map = settings.mapToPixel()
colours = {}
for px in range(0, size, 3):
    for py in range(0, size, 3):
        point = to_map.toMapCoordinates(px, py)
        if inside.contains(QgsGeometry.fromPointXY(QgsPointXY(point))):
            colour = QColor(image.pixel(px, py)).name()
            colours[colour] = colours.get(colour, 0) + 1
print(json.dumps({"colours": colours}), flush=True)
# QGIS can crash while tearing down after a render; the report is out, so leave at once.
os._exit(0)
