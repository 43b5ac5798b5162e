/* hatecrime-maps: a large map's areas, painted straight onto one canvas.
   Leaflet makes objects for every vertex of every polygon, and projects and clips them
   again at each zoom: for the UK's 8,482 wards that took 1.4 to 2.2 s. Here each edge of
   the topology is projected once, into plain numbers, and a repaint draws the areas in
   view, a few dozen to a path per colour, and strokes each edge once. */
(function () {
  "use strict";

  // Web Mercator at zoom 0, as Leaflet's EPSG:3857 (the world is 256 units wide): a point
  // at zoom z is 2^z times this, less the map's pixel origin.
  function mercatorX(lon) { return (lon / 360 + 0.5) * 256; }
  function mercatorY(lat) {
    var sin = Math.sin(lat * Math.PI / 180);
    return (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * 256;
  }
  // A vertex closer than this many device pixels to the last one drawn adds nothing a
  // reader can see; leaving it out keeps a country-wide view's paths short.
  var LEAST_STEP = 0.35;
  // Filling a path takes longer than in proportion to its size: the UK's wards filled in
  // 0.8 s as one path per colour, 0.05 s as paths of 50 wards.
  var FILL_UNITS = 50;
  // Lines are drawn at their full weight once the smallest units are this many pixels
  // across, and thinner below, down to LEAST_LINE of it: at a whole country's extent the
  // edges of thousands of wards and hundreds of councils would otherwise hide every fill.
  var FULL_LINES_AT = 16;
  var LEAST_LINE = 0.25;

  // One painting of the edges ("arcs"), each a flat list of x, y, ... in Web Mercator at
  // zoom 0 (hatecrimeMapsPainter.mercatorX and mercatorY give them, as the page decodes
  // its topology): the layers it draws are its units (areas a reader can point at, filled
  // by colour) and lines, painted in the order they were made, then any unit given a
  // stroke of its own.
  var Painter = L.Renderer.extend({
    options: { padding: 0.3 },

    initialize: function (arcs, options) {
      L.Renderer.prototype.initialize.call(this, options);
      var n = arcs.length;
      this._arcs = arcs;
      this._arcBoxes = new Float64Array(4 * n);
      for (var a = 0; a < n; a++) boxOf(this._arcs[a], this._arcBoxes, a);
      // Each repaint's screen points of the arcs in view, and where each arc's points begin.
      this._screen = new Float64Array(64);
      this._at = new Int32Array(n + 1);
      this._marked = new Uint8Array(n);
      this._layersShown = [];
      this._frame = null;
      this._unitSize = Infinity;  // the smallest units' typical size, at zoom 0
      this._lineShare = 1;
    },

    // A set of units from their shapes (polygons of rings of arc indices, ~i for arc i
    // reversed), each filled with its own colour; style: weight, color, fillOpacity.
    units: function (shapes, style) { return new Units(this, shapes, style); },
    // Lines along the given arcs; style: weight, color, dashArray.
    lines: function (arcIndices, style) { return new Lines(this, arcIndices, style); },
    // The arcs the shapes' rings are made of, each once.
    arcsOf: function (shapes) {
      var seen = new Uint8Array(this._arcs.length), out = [];
      shapes.forEach(function (shape) {
        shape.forEach(function (poly) {
          poly.forEach(function (ring) {
            ring.forEach(function (i) {
              var a = i >= 0 ? i : ~i;
              if (!seen[a]) { seen[a] = 1; out.push(a); }
            });
          });
        });
      });
      return out;
    },
    // Zoom-0 coordinates to a latitude and longitude.
    toLatLng: function (x, y) { return this._map.unproject(L.point(x, y), 0); },

    _initContainer: function () {
      var canvas = this._container = document.createElement("canvas");
      canvas.setAttribute("aria-hidden", "true");
      this._ctx = canvas.getContext("2d");
      // Onto a marker or a control: the pointer has left the areas.
      L.DomEvent.on(canvas, "mouseout", this._onOut, this);
    },
    _destroyContainer: function () {
      L.Util.cancelAnimFrame(this._frame);
      L.DomUtil.remove(this._container);
      delete this._ctx;
    },
    getEvents: function () {
      var events = L.Renderer.prototype.getEvents.call(this);
      events.mousemove = this._onMove;
      events.mouseout = this._onOut;
      events.click = this._onClick;
      return events;
    },
    _update: function () {
      if (this._map._animatingZoom && this._bounds) return;
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, size = b.getSize(), canvas = this._container;
      this._ratio = L.Browser.retina ? 2 : 1;
      L.DomUtil.setPosition(canvas, b.min);
      canvas.width = this._ratio * size.x;
      canvas.height = this._ratio * size.y;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      this._paint();
    },
    // Paint again on the next frame (once, however many changes were asked for).
    redraw: function () {
      if (this._map && this._frame === null) {
        this._frame = L.Util.requestAnimFrame(function () {
          this._frame = null;
          this._paint();
        }, this);
      }
      return this;
    },
    _show: function (layer) {
      if (this._layersShown.indexOf(layer) < 0) this._layersShown.push(layer);
      // Areas first, then lines over them, each kind in the order made.
      this._layersShown.sort(function (p, q) {
        return (p instanceof Lines) - (q instanceof Lines) || p._order - q._order;
      });
      this.redraw();
    },
    _hide: function (layer) {
      var at = this._layersShown.indexOf(layer);
      if (at >= 0) this._layersShown.splice(at, 1);
      if (layer === this._hoverSet) this._onOut();
      this.redraw();
    },

    // The part of the world in view, at zoom 0: west, north, east, south.
    _view: function () {
      var map = this._map, b = this._bounds, origin = map.getPixelOrigin();
      var scale = map.getZoomScale(map.getZoom(), 0);
      return [(origin.x + b.min.x) / scale, (origin.y + b.min.y) / scale,
              (origin.x + b.max.x) / scale, (origin.y + b.max.y) / scale];
    },
    // The screen points of the arcs marked, thinned to what a pixel can show.
    _project: function (marked) {
      var map = this._map, ratio = this._ratio, b = this._bounds;
      var scale = map.getZoomScale(map.getZoom(), 0), origin = map.getPixelOrigin();
      var k = ratio * scale, dx = -ratio * (origin.x + b.min.x), dy = -ratio * (origin.y + b.min.y);
      var at = this._at, out = this._screen, used = 0, least = LEAST_STEP * LEAST_STEP;
      for (var a = 0; a < this._arcs.length; a++) {
        at[a] = used;
        if (!marked[a]) continue;
        var xy = this._arcs[a], last = xy.length - 2;
        if (out.length < used + xy.length) {
          var grown = new Float64Array(Math.max(2 * out.length, used + xy.length));
          grown.set(out.subarray(0, used));
          out = this._screen = grown;
        }
        var px = xy[0] * k + dx, py = xy[1] * k + dy;
        out[used++] = px;
        out[used++] = py;
        for (var i = 2; i <= last; i += 2) {
          var x = xy[i] * k + dx, y = xy[i + 1] * k + dy;
          // Both ends always, so that an arc's neighbours meet it exactly.
          if (i < last && (x - px) * (x - px) + (y - py) * (y - py) < least) continue;
          out[used++] = px = x;
          out[used++] = py = y;
        }
      }
      at[this._arcs.length] = used;
    },
    // Adds arc i (or ~i, reversed) to the path; a ring's first arc moves to its start.
    _trace: function (ctx, i, first) {
      var a = i >= 0 ? i : ~i, out = this._screen, from = this._at[a], to = this._at[a + 1];
      if (i >= 0) {
        if (first) ctx.moveTo(out[from], out[from + 1]);
        for (var p = from + 2; p < to; p += 2) ctx.lineTo(out[p], out[p + 1]);
      } else {
        if (first) ctx.moveTo(out[to - 2], out[to - 1]);
        for (var q = to - 4; q >= from; q -= 2) ctx.lineTo(out[q], out[q + 1]);
      }
    },
    _traceShape: function (ctx, shape) {
      for (var p = 0; p < shape.length; p++) {
        for (var r = 0; r < shape[p].length; r++) {
          var ring = shape[p][r];
          for (var k = 0; k < ring.length; k++) this._trace(ctx, ring[k], k === 0);
          ctx.closePath();
        }
      }
    },
    // Strokes the arcs given that were projected for this repaint.
    _strokeArcs: function (ctx, arcs, style) {
      var marked = this._marked;
      ctx.beginPath();
      for (var k = 0; k < arcs.length; k++) if (marked[arcs[k]]) this._trace(ctx, arcs[k], true);
      this._stroke(ctx, style);
    },
    _stroke: function (ctx, style) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.weight * this._ratio * (style.own ? 1 : this._lineShare);
      ctx.setLineDash(style.dashArray ? style.dashArray.split(" ").map(function (d) {
        return Number(d) * this._ratio;
      }, this) : []);
      ctx.stroke();
    },
    _paint: function () {
      if (!this._map || !this._ctx) return;
      var ctx = this._ctx, canvas = this._container, view = this._view();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.lineJoin = ctx.lineCap = "round";
      var shown = this._unitSize * this._map.getZoomScale(this._map.getZoom(), 0);
      this._lineShare = Math.min(1, Math.max(LEAST_LINE, shown / FULL_LINES_AT));
      // Every arc of a unit in view is projected (all of its rings are drawn), and every
      // line's arc in view.
      var marked = this._marked = new Uint8Array(this._arcs.length);
      this._layersShown.forEach(function (layer) { layer._mark(marked, view); });
      this._project(marked);
      var self = this;
      this._layersShown.forEach(function (layer) { layer._paint(ctx); });
      // A unit with a stroke of its own (the one selected) goes over every line.
      this._layersShown.forEach(function (set) {
        if (!set._strokes) return;
        Object.keys(set._strokes).forEach(function (key) {
          var i = Number(key);
          if (!set._meets(i, view)) return;
          ctx.beginPath();
          self._traceShape(ctx, set.shapes[i]);
          self._stroke(ctx, set._strokes[i]);
        });
      });
    },

    // The pointer: the unit under it, in the last-shown set that has one.
    _unitAt: function (latlng) {
      var p = this._map.project(latlng, 0);
      for (var s = this._layersShown.length - 1; s >= 0; s--) {
        var layer = this._layersShown[s];
        if (!layer.at) continue;
        var i = layer.at(p.x, p.y);
        if (i >= 0) return { set: layer, index: i };
      }
      return null;
    },
    _onMove: function (e) {
      if (this._map.dragging && this._map.dragging.moving()) return;
      var hit = this._unitAt(e.latlng);
      var same = hit && hit.set === this._hoverSet && hit.index === this._hoverIndex;
      if (same) {
        hit.set.fire("mousemove", { layer: hit.set.unit(hit.index), latlng: e.latlng });
        return;
      }
      this._onOut();
      if (!hit) return;
      this._hoverSet = hit.set;
      this._hoverIndex = hit.index;
      L.DomUtil.addClass(this._container, "leaflet-interactive");
      hit.set.fire("mouseover", { layer: hit.set.unit(hit.index), latlng: e.latlng });
    },
    _onOut: function () {
      var set = this._hoverSet;
      if (!set) return;
      var layer = set.unit(this._hoverIndex);
      this._hoverSet = null;
      if (this._container) L.DomUtil.removeClass(this._container, "leaflet-interactive");
      set.fire("mouseout", { layer: layer });
    },
    _onClick: function (e) {
      var hit = this._unitAt(e.latlng);
      if (hit) hit.set.fire("click", { layer: hit.set.unit(hit.index), latlng: e.latlng });
    }
  });

  // Whether box i of a list of minx, miny, maxx, maxy meets view (west, north, east, south).
  function meets(boxes, i, view) {
    return !(boxes[4 * i] > view[2] || boxes[4 * i + 2] < view[0] ||
             boxes[4 * i + 1] > view[3] || boxes[4 * i + 3] < view[1]);
  }
  // minx, miny, maxx, maxy of a flat x, y list, into boxes at 4 * at.
  function boxOf(xy, boxes, at) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var k = 0; k < xy.length; k += 2) {
      if (xy[k] < x0) x0 = xy[k];
      if (xy[k] > x1) x1 = xy[k];
      if (xy[k + 1] < y0) y0 = xy[k + 1];
      if (xy[k + 1] > y1) y1 = xy[k + 1];
    }
    boxes[4 * at] = x0; boxes[4 * at + 1] = y0; boxes[4 * at + 2] = x1; boxes[4 * at + 3] = y1;
  }

  var made = 0;  // the order of layers of a kind, as they were made
  var Layer = L.Layer.extend({
    // Every layer belongs to one painter and is painted in the order it was made.
    _join: function (painter, style) {
      this._painter = painter;
      this._order = made++;
      this.style = style;
    },
    onAdd: function () { this._painter._show(this); },
    onRemove: function () { this._painter._hide(this); },
    // Leaflet's layers come to the front; here the order is fixed as they were made.
    bringToFront: function () { return this; }
  });

  var Lines = Layer.extend({
    initialize: function (painter, arcIndices, style) {
      this._join(painter, style);
      this.arcs = arcIndices;
    },
    _mark: function (marked, view) {
      var boxes = this._painter._arcBoxes;
      this.arcs.forEach(function (a) { if (meets(boxes, a, view)) marked[a] = 1; });
    },
    _paint: function (ctx) { this._painter._strokeArcs(ctx, this.arcs, this.style); }
  });

  var Units = Layer.extend({
    initialize: function (painter, shapes, style) {
      this._join(painter, style);
      this.shapes = shapes;
      this.fills = new Array(shapes.length);
      this._strokes = {};
      this._handles = new Array(shapes.length);
      this._outline = painter.arcsOf(shapes);
      this._shown = [];
      this._index();
    },
    // Each unit's box, and a grid of the units whose boxes meet each cell, so that the
    // pointer is tested against a few units, not all.
    _index: function () {
      var painter = this._painter, n = this.shapes.length, boxes = new Float64Array(4 * n);
      var arcBoxes = painter._arcBoxes;
      this.shapes.forEach(function (shape, i) {
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        shape.forEach(function (poly) {
          poly[0].forEach(function (r) {
            var a = 4 * (r >= 0 ? r : ~r);
            x0 = Math.min(x0, arcBoxes[a]); y0 = Math.min(y0, arcBoxes[a + 1]);
            x1 = Math.max(x1, arcBoxes[a + 2]); y1 = Math.max(y1, arcBoxes[a + 3]);
          });
        });
        boxes[4 * i] = x0; boxes[4 * i + 1] = y0; boxes[4 * i + 2] = x1; boxes[4 * i + 3] = y1;
      });
      var west = Infinity, north = Infinity, east = -Infinity, south = -Infinity;
      for (var i = 0; i < n; i++) {
        west = Math.min(west, boxes[4 * i]); north = Math.min(north, boxes[4 * i + 1]);
        east = Math.max(east, boxes[4 * i + 2]); south = Math.max(south, boxes[4 * i + 3]);
      }
      var sizes = [];
      for (var t = 0; t < n; t++) {
        sizes.push(Math.max(boxes[4 * t + 2] - boxes[4 * t], boxes[4 * t + 3] - boxes[4 * t + 1]));
      }
      sizes.sort(function (p, q) { return p - q; });
      if (n) painter._unitSize = Math.min(painter._unitSize, sizes[n >> 1]);
      var side = Math.max(1, Math.ceil(Math.sqrt(n)));
      var cellX = (east - west) / side || 1, cellY = (south - north) / side || 1;
      var cells = [];
      for (var c = 0; c < side * side; c++) cells.push([]);
      for (var u = 0; u < n; u++) {
        var cx0 = Math.min(side - 1, Math.floor((boxes[4 * u] - west) / cellX));
        var cx1 = Math.min(side - 1, Math.floor((boxes[4 * u + 2] - west) / cellX));
        var cy0 = Math.min(side - 1, Math.floor((boxes[4 * u + 1] - north) / cellY));
        var cy1 = Math.min(side - 1, Math.floor((boxes[4 * u + 3] - north) / cellY));
        for (var gy = cy0; gy <= cy1; gy++) {
          for (var gx = cx0; gx <= cx1; gx++) cells[gy * side + gx].push(u);
        }
      }
      this._boxes = boxes;
      this._grid = { cells: cells, side: side, west: west, north: north, cellX: cellX, cellY: cellY };
    },
    // The unit whose shape holds zoom-0 point x, y (-1: none).
    at: function (x, y) {
      var g = this._grid, gx = Math.floor((x - g.west) / g.cellX);
      var gy = Math.floor((y - g.north) / g.cellY);
      if (gx < 0 || gy < 0 || gx >= g.side || gy >= g.side) return -1;
      var candidates = g.cells[gy * g.side + gx], boxes = this._boxes, arcs = this._painter._arcs;
      for (var c = 0; c < candidates.length; c++) {
        var u = candidates[c];
        if (x < boxes[4 * u] || x > boxes[4 * u + 2] || y < boxes[4 * u + 1] ||
            y > boxes[4 * u + 3]) continue;
        // Even-odd: a ray to the east crosses the unit's edges an odd number of times.
        var inside = false;
        this.shapes[u].forEach(function (poly) {
          poly.forEach(function (ring) {
            ring.forEach(function (r) {
              var xy = arcs[r >= 0 ? r : ~r];
              for (var k = 2; k < xy.length; k += 2) {
                var ya = xy[k - 1], yb = xy[k + 1];
                if ((ya > y) !== (yb > y) &&
                    x < xy[k - 2] + (y - ya) * (xy[k] - xy[k - 2]) / (yb - ya)) inside = !inside;
              }
            });
          });
        });
        if (inside) return u;
      }
      return -1;
    },
    // Leaves the given arcs out of the units' own outline (another layer draws them).
    outlineWithout: function (arcIndices) {
      var left = {};
      arcIndices.forEach(function (a) { left[a] = true; });
      this._outline = this._outline.filter(function (a) { return !left[a]; });
      return this;
    },
    // A handle on unit i with the few methods of a Leaflet polygon the page uses.
    unit: function (i) {
      if (!this._handles[i]) this._handles[i] = new Unit(this, i);
      return this._handles[i];
    },
    _meets: function (i, view) { return meets(this._boxes, i, view); },
    _mark: function (marked, view) {
      var shown = this._shown = [];
      for (var i = 0; i < this.shapes.length; i++) {
        if (!this._meets(i, view)) continue;
        shown.push(i);
        var shape = this.shapes[i];
        for (var p = 0; p < shape.length; p++) {
          for (var r = 0; r < shape[p].length; r++) {
            var ring = shape[p][r];
            for (var k = 0; k < ring.length; k++) marked[ring[k] >= 0 ? ring[k] : ~ring[k]] = 1;
          }
        }
      }
    },
    _paint: function (ctx) {
      var painter = this._painter, shapes = this.shapes, fills = this.fills, byFill = new Map();
      this._shown.forEach(function (i) {
        if (!byFill.has(fills[i])) byFill.set(fills[i], []);
        byFill.get(fills[i]).push(i);
      });
      ctx.globalAlpha = this.style.fillOpacity;
      byFill.forEach(function (units, fill) {
        ctx.fillStyle = fill;
        for (var first = 0; first < units.length; first += FILL_UNITS) {
          ctx.beginPath();
          var last = Math.min(units.length, first + FILL_UNITS);
          for (var k = first; k < last; k++) painter._traceShape(ctx, shapes[units[k]]);
          ctx.fill("evenodd");
        }
      });
      painter._strokeArcs(ctx, this._outline, this.style);
    }
  });

  function Unit(set, i) { this._set = set; this._index = i; }
  // Takes fillColor, and color and weight (a stroke of its own, over every line, until
  // they are the set's own again).
  Unit.prototype.setStyle = function (style) {
    var set = this._set, i = this._index;
    if ("fillColor" in style) set.fills[i] = style.fillColor;
    if ("color" in style || "weight" in style) {
      var own = {
        color: style.color || set.style.color,
        weight: style.weight === undefined ? set.style.weight : style.weight,
        own: true  // drawn at its full weight: the unit a reader chose must stand out
      };
      if (own.color === set.style.color && own.weight === set.style.weight) delete set._strokes[i];
      else set._strokes[i] = own;
    }
    set._painter.redraw();
    return this;
  };
  Unit.prototype.getBounds = function () {
    var b = this._set._boxes, i = 4 * this._index, painter = this._set._painter;
    return L.latLngBounds(painter.toLatLng(b[i], b[i + 3]), painter.toLatLng(b[i + 2], b[i + 1]));
  };
  // The centroid of the unit's largest polygon (its outer ring), as a place for a tooltip.
  Unit.prototype.getCenter = function () {
    var set = this._set, arcs = set._painter._arcs, best = null;
    set.shapes[this._index].forEach(function (poly) {
      var area = 0, cx = 0, cy = 0, points = [];
      poly[0].forEach(function (r) {
        var xy = arcs[r >= 0 ? r : ~r], step = r >= 0 ? 2 : -2;
        for (var k = r >= 0 ? 0 : xy.length - 2; k >= 0 && k < xy.length; k += step) {
          points.push(xy[k], xy[k + 1]);
        }
      });
      for (var k = 0; k + 3 < points.length; k += 2) {
        var cross = points[k] * points[k + 3] - points[k + 2] * points[k + 1];
        area += cross;
        cx += (points[k] + points[k + 2]) * cross;
        cy += (points[k + 1] + points[k + 3]) * cross;
      }
      if (area !== 0 && (!best || Math.abs(area) > Math.abs(best.area))) {
        best = { area: area, x: cx / (3 * area), y: cy / (3 * area) };
      }
    });
    var b = set._boxes, i = 4 * this._index;
    if (!best) best = { x: (b[i] + b[i + 2]) / 2, y: (b[i + 1] + b[i + 3]) / 2 };
    return set._painter.toLatLng(best.x, best.y);
  };

  window.hatecrimeMapsPainter = function (arcs, options) { return new Painter(arcs, options); };
  window.hatecrimeMapsPainter.mercatorX = mercatorX;
  window.hatecrimeMapsPainter.mercatorY = mercatorY;
})();
