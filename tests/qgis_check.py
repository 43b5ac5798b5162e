"""Open a GeoPackage in QGIS itself and report what QGIS sees, as JSON.

Run with the system Python that has QGIS (``/usr/bin/python3``), not the
project's virtual environment::

    python3 qgis_check.py FILE.gpkg RENDER.png QML_DIR LAYER...

It also renders the layers with their default styles to RENDER.png, and
loads each ``.qml`` file of QML_DIR onto a copy of its layer.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsMapLayer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
path, render_to, qml_dir, layers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
report = {}
loaded = []
for name in layers:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    loaded.append(layer)
    info = {"valid": layer.isValid()}
    if layer.isValid():
        renderer = layer.renderer()
        info.update(
            {
                "crs": layer.crs().authid(),
                "features": layer.featureCount(),
                "renderer": renderer.type() if renderer else None,
                "labels": layer.labelsEnabled(),
            }
        )
        if renderer and renderer.type() == "graduatedSymbol":
            info["attribute"] = renderer.classAttribute()
            ranges = renderer.ranges()  # keep the copies alive while using their symbols
            info["ranges"] = [[r.lowerValue(), r.upperValue(), r.label()] for r in ranges]
            info["colours"] = [r.symbol().color().name() for r in ranges]
            symbol = ranges[1].symbol()
            ddp = symbol.symbolLayer(symbol.symbolLayerCount() - 1).dataDefinedProperties()
            info["outline_expression"] = (
                ddp.property(ddp.propertyKeys()[0]).expressionString() if ddp.propertyKeys() else ""
            )
        if renderer and renderer.type() == "categorizedSymbol":
            info["categories"] = [c.value() for c in renderer.categories()]
        if name == "reporting_centres":
            info["points"] = sorted(
                [f["name"], round(f.geometry().asPoint().x()), round(f.geometry().asPoint().y())]
                for f in layer.getFeatures()
            )
        related, _, names, *_ = layer.listStylesInDatabase()
        info["styles_in_database"] = list(names[:related])
    report[name] = info


def used_columns(expression: str) -> set[str]:
    """The fields a style's class expression reads."""
    return set(QgsExpression(expression).referencedColumns())


# Every .qml beside the GeoPackage loads onto its layer.
qml_report = {}
for qml in sorted(Path(qml_dir).glob("*.qml")):
    table = next(n for n in sorted(layers, key=len, reverse=True) if qml.stem.startswith(n))
    copy = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    # The base-class method reads the file, as QGIS's "Load Style" from file does; the
    # vector-layer override prefers the style stored in the GeoPackage.
    message, ok = QgsMapLayer.loadNamedStyle(copy, str(qml))
    renderer = copy.renderer()
    labels = [r.label() for r in renderer.ranges()] if renderer.type() == "graduatedSymbol" else []
    attribute = renderer.classAttribute() if renderer.type() == "graduatedSymbol" else None
    qml_report[qml.name] = {
        "ok": ok,
        "message": message,
        "renderer": renderer.type(),
        "labels": labels,
        # A style whose field the layer lacks loads "ok" and draws nothing.
        "attribute_found": attribute is None
        or set(copy.fields().names()) >= used_columns(attribute) != set(),
    }
report["qml_files"] = qml_report

settings = QgsMapSettings()
# Draw the areas under the context layers (the NPU layer would cover them).
settings.setLayers([lyr for lyr in reversed(loaded) if lyr.name() != "npus"])
settings.setDestinationCrs(loaded[0].crs())
settings.setExtent(loaded[0].extent())
settings.setOutputSize(QSize(1200, 800))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(render_to, "png")
report["render"] = {
    "width": image.width(),
    "height": image.height(),
    "colours": len({image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 800, 7)}),
}
print(json.dumps(report), flush=True)
app.exitQgis()
