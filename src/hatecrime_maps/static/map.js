/* hatecrime-maps: draws the areas, their parent units and reporting centres with Leaflet.
   Figures and text arrive as JSON prepared by the build; text is only ever set
   with textContent, so names from input files cannot become markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  // Several figures per area (one per strand): each brings its own years and changes,
  // and the page shows one set at a time, the first as it opens.
  var measureAt = 0;
  if (data.measures) {
    data.years = data.measures[0].years;
    data.changes = data.measures[0].changes;
  }
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Thousands of areas are seconds of work for a phone: it is done in slices, each its own
  // task, so that the page answers taps and keys meanwhile. A slice stays under the 50 ms
  // after which a tap feels late; shorter ones give more of the time to the work between
  // them (the UK's 8,482 wards, as Leaflet polygons, drew in 1.9 s in 8 ms slices and in
  // 1.4 s in 40 ms ones).
  // A small map is done within the first slice, all at once.
  var SLICE_MS = 40;
  var sliceEnd = performance.now() + SLICE_MS;
  var wake = new MessageChannel(), resume = null;
  wake.port1.onmessage = function () {
    sliceEnd = performance.now() + SLICE_MS;
    resume();
  };
  // each(0), each(1) .. each(count - 1), then done(), giving the page back whenever a
  // slice's time is up.
  function inSlices(count, each, done) {
    var i = 0;
    (function go() {
      for (; i < count; i++) {
        if (performance.now() > sliceEnd) { resume = go; wake.port2.postMessage(null); return; }
        each(i);
      }
      if (performance.now() > sliceEnd) { resume = done; wake.port2.postMessage(null); }
      else done();
    })();
  }

  // Shapes arrive as a topology: every edge ("arc") once, as a string of quantised
  // coordinate deltas (Google's encoded-polyline digits) running on from arc to arc.
  var arcs = [], arcX = 0, arcY = 0;
  // A canvas takes each edge as it paints it, projected once (see canvas.js); Leaflet's
  // polygons take [lat, lon] pairs.
  var planeX = data.canvas && window.hatecrimeMapsPainter.mercatorX;
  var planeY = data.canvas && window.hatecrimeMapsPainter.mercatorY;
  function decodeArc(a) {
    var text = data.arcs[a], points = [], i = 0;
    while (i < text.length) {
      for (var k = 0; k < 2; k++) {
        var shift = 0, bits = 0, b;
        do {
          b = text.charCodeAt(i++) - 63;
          bits |= (b & 31) << shift;
          shift += 5;
        } while (b >= 32);
        var delta = bits & 1 ? ~(bits >> 1) : bits >> 1;
        if (k === 0) arcX += delta; else arcY += delta;
      }
      if (planeX) points.push(planeX(arcX / data.scale), planeY(arcY / data.scale));
      else points.push([arcY / data.scale, arcX / data.scale]);
    }
    arcs.push(points);
  }
  function ring(indices) {
    var out = [];
    indices.forEach(function (i) {
      var points = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      out.push.apply(out, out.length ? points.slice(1) : points);
    });
    return out;
  }
  function decodePolygons(shape) {
    return shape.map(function (poly) { return poly.map(ring); });
  }
  // 12345 as "12,345" (toLocaleString would load a locale's data as the page opens).
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  // A column of figures: a plain list; distinct values with an index per row (none: one
  // value); or text shapes with an index per row and the rows' numbers, "|" between them,
  // each shape's "#"s filled in turn (outputs.pages.column writes them).
  function columnOf(c) {
    if (Array.isArray(c)) return function (i) { return c[i]; };
    if (!c.s) return c.i ? function (i) { return c.v[c.i[i]]; } : function () { return c.v[0]; };
    var parts = c.s.map(function (s) { return s.split("#"); });
    var numbers = c.n.split("|"), first = new Int32Array(c.i.length + 1);
    for (var r = 0; r < c.i.length; r++) first[r + 1] = first[r] + parts[c.i[r]].length - 1;
    return function (i) {
      var p = parts[c.i[i]], out = p[0];
      for (var k = 1; k < p.length; k++) out += numbers[first[i] + k - 1] + p[k];
      return out;
    };
  }
  function figures(title, rows) {
    var box = document.createElement("div");
    box.className = "figures";
    var heading = document.createElement("strong");
    heading.textContent = title;
    box.appendChild(heading);
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.appendChild(list);
    return box;
  }

  var embedded = window.parent !== window;
  // The wheel zooms the map only once it has been clicked or focused, so that the page can
  // always be scrolled past it (at 400% zoom the map fills the window).
  var map = L.map("map", { zoomSnap: 0.25, scrollWheelZoom: false });
  map.on("click focus", function () { map.scrollWheelZoom.enable(); });
  map.on("blur mouseout", function () { map.scrollWheelZoom.disable(); });
  // On a small screen a tooltip does not fit: the figures go in a panel under the map.
  var narrow = window.matchMedia("(max-width: 40rem)");
  var panel = document.getElementById("area-panel");
  var mapBox = document.getElementById("map");
  var announce = document.getElementById("announce");
  function say(name, rows) {
    announce.textContent = name + ": " + rows.map(function (r) {
      return r[0] + " " + r[1];
    }).join("; ");
  }
  // The tapped or shown unit is outlined heavier, so a reader sees which one the figures
  // are of.
  var selected = null;
  function select(layer) {
    unselect();
    selected = layer;
    layer.setStyle({ weight: s.selectedWeight, color: s.selected });
    if (layer.bringToFront && !data.canvas) layer.bringToFront();
    var el = layer.getElement && layer.getElement();
    if (el) el.classList.add("selected");
  }
  function unselect() {
    if (!selected) return;
    selected.setStyle({ weight: selected.baseWeight, color: s.outline });
    var el = selected.getElement && selected.getElement();
    if (el) el.classList.remove("selected");
    selected = null;
  }
  // On a phone the map shrinks while the panel is open, and the page scrolls to the map's
  // top, so that the unit tapped and its figures are on screen together.
  function showPanel(name, rows, layer) {
    panel.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "Close";
    close.addEventListener("click", hidePanel);
    panel.appendChild(close);
    panel.appendChild(figures(name, rows));
    panel.hidden = false;
    document.documentElement.classList.add("panel-open");
    map.invalidateSize({ animate: false });
    say(name, rows);
    if (layer) {
      select(layer);
      map.panInside(layer.getCenter(), { padding: [24, 24], animate: false });
    }
    mapBox.scrollIntoView({ block: "start" });
  }
  function hidePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    panel.textContent = "";
    document.documentElement.classList.remove("panel-open");
    map.invalidateSize({ animate: false });
    unselect();
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.fitBounds(data.bounds);
  if (data.tiles) {
    L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom, subdomains: "abcd"
    }).addTo(map);
  }

  var s = data.style;
  // Thousands of areas are painted on one canvas (canvas.js), not made thousands of SVG
  // paths.
  if (data.canvas) {
    // On a canvas a fill can be a pattern object: the same stripes as the SVG patterns.
    var pattern = function (colours, both, width) {
      var tile = document.createElement("canvas");
      tile.width = tile.height = 7;
      var g = tile.getContext("2d");
      g.fillStyle = colours[0];
      g.fillRect(0, 0, 7, 7);
      g.strokeStyle = colours[1];
      g.lineWidth = width;
      g.beginPath();
      [[-1, 1, 1, -1], [0, 7, 7, 0], [6, 8, 8, 6]].forEach(function (l) {
        g.moveTo(l[0], l[1]); g.lineTo(l[2], l[3]);
        if (both) { g.moveTo(7 - l[0], l[1]); g.lineTo(7 - l[2], l[3]); }
      });
      g.stroke();
      return g.createPattern(tile, "repeat");
    };
    data.fills.no_rate = data.fills.too_few = pattern(s.hatch, false, 2);
    data.fills.no_data = pattern(s.noData, true, 1);
  }
  function areaStyle(fill, guess, weight) {
    return {
      color: s.outline, weight: weight, opacity: 1, fillColor: fill, fillOpacity: 0.85,
      dashArray: guess ? s.guessDash : null
    };
  }

  // Areas are reached from the keyboard through the data table's "Show on map" buttons, so
  // their paths are not tab stops of their own (25 unnamed stops before the table). On a
  // canvas there are no paths to take out of the tab order.
  function untabbable(layer) {
    if (data.canvas) return layer;
    layer.on("add", function () {
      var el = layer.getElement && layer.getElement();
      if (el) el.setAttribute("tabindex", "-1");
    });
    return layer;
  }

  // One tooltip for the map, filled when a unit is hovered: on a narrow screen the figures
  // go in the panel under the map instead, so no tooltip is ever cut off by the map's edge.
  var tip = L.tooltip({ sticky: true, opacity: 1, direction: "auto" });
  var tipLayer = null;
  function openTip(layer, info, latlng) {
    tip.setContent(figures(info.name, info.rows)).setLatLng(latlng);
    if (!map.hasLayer(tip)) map.openTooltip(tip);
    tipLayer = layer;
  }
  function closeTip() { map.closeTooltip(tip); tipLayer = null; }
  function figuresOn(group, infoOf) {
    group.on("mouseover", function (e) {
      if (!narrow.matches) openTip(e.layer, infoOf(e.layer), e.latlng);
    });
    group.on("mousemove", function (e) {
      if (tipLayer === e.layer && !narrow.matches) tip.setLatLng(e.latlng);
    });
    group.on("mouseout", function (e) { if (tipLayer === e.layer) closeTip(); });
    group.on("click", function (e) {
      if (narrow.matches) { var info = infoOf(e.layer); showPanel(info.name, info.rows, e.layer); }
    });
    return group;
  }
  narrow.addEventListener("change", function () {
    if (narrow.matches) closeTip(); else hidePanel();
  });

  var A = data.areas, P = data.parents;
  var guessed = {};
  A.guess.forEach(function (i) { guessed[i] = true; });
  // The page holds every year and every change between two years: it shows one of each.
  var yearAt = data.openYear, changeAt = data.changes.length - 1;
  function yearColumns(k) {
    var y = data.years[k];
    if (!y.read) {
      y.read = { count: columnOf(y.count), rate: columnOf(y.rate),
                 cells: y.cells.map(columnOf), parentCells: y.parentCells.map(columnOf) };
    }
    return y.read;
  }
  function changeColumns(k) {
    var c = data.changes[k];
    if (!c.read) c.read = { classes: columnOf(c.classes), cells: columnOf(c.cells) };
    return c.read;
  }
  var change = function () { return data.changes[changeAt]; };
  // An area's figures in the year shown, and its change between the two years compared.
  function areaInfo(i) {
    var columns = yearColumns(yearAt).cells;
    var rows = columns.map(function (cell, c) { return [data.columns[c], cell(i)]; });
    if (data.changes.length) rows.push([data.columns[columns.length], changeColumns(changeAt).cells(i)]);
    return { name: A.names[i], rows: rows };
  }
  function parentInfo(i) {
    var columns = yearColumns(yearAt).parentCells;
    var rows = columns.map(function (cell, c) { return [data.parentColumns[c], cell(i)]; });
    if (data.changes.length) rows.push([data.parentColumns[columns.length], change().parentCells[i]]);
    return { name: P.names[i], rows: rows };
  }
  var indexOf = {};
  A.ids.forEach(function (id, i) { indexOf[id] = i; });
  var parentIndexOf = {};
  P.ids.forEach(function (id, i) { parentIndexOf[id] = i; });

  var areaLayers = new Array(A.shapes.length);
  function areaFigures(layer) { return areaInfo(layer.areaIndex); }
  function parentFigures(layer) { return parentInfo(layer.parentIndex); }
  var areas = data.canvas ? null : figuresOn(L.featureGroup(), areaFigures).addTo(map);
  function addArea(i) {
    var style = areaStyle(data.fills[yearColumns(yearAt).count(i)], guessed[i], s.areaWeight);
    style.className = "area area-" + A.ids[i];
    var layer = L.polygon(decodePolygons(A.shapes[i]), style);
    layer.areaIndex = i;
    layer.baseWeight = s.areaWeight;
    areaLayers[i] = layer;
    areas.addLayer(untabbable(layer));
  }

  // The parent units' view is made the first time it is shown.
  var parents = null, parentLayers = [];
  function parentLayer() {
    if (parents) return parents;
    if (painter) {
      parents = figuresOn(painter.units(P.shapes, areaStyle(null, false, s.parentWeight)),
                          parentFigures);
      parentLayers = P.shapes.map(function (shape, i) {
        var unit = parents.unit(i);
        unit.parentIndex = i;
        unit.baseWeight = s.parentWeight;
        return unit.setStyle({ fillColor: data.fills[data.years[yearAt].parentCount[i]] });
      });
      return parents;
    }
    parentLayers = P.shapes.map(function (shape, i) {
      var style = areaStyle(data.fills[data.years[yearAt].parentCount[i]], false, s.parentWeight);
      style.className = "parent parent-" + P.ids[i];
      var layer = L.polygon(decodePolygons(shape), style);
      layer.parentIndex = i;
      layer.baseWeight = s.parentWeight;
      return untabbable(layer);
    });
    parents = figuresOn(L.featureGroup(parentLayers), parentFigures);
    return parents;
  }

  function lines(indices) { return indices.map(function (i) { return arcs[i]; }); }
  // The ward lines are drawn in pieces of at most a thousand edges, a piece at a time.
  var wards = L.featureGroup(), boroughs, guessOutlines;
  var wardArcs = null, WARD_PIECE = 1000;
  function addWardLines(piece) {
    if (!wardArcs) wardArcs = data.wardLines ? lines(data.wardLines) : arcs.slice();
    if (!piece) wards.addTo(map);
    wards.addLayer(L.polyline(wardArcs.slice(piece * WARD_PIECE, (piece + 1) * WARD_PIECE), {
      color: s.ward.color, weight: s.ward.weight, interactive: false, className: "ward-lines"
    }));
  }
  function addBoroughLines() {
    boroughs = L.polyline(lines(data.boroughLines), {
      color: s.borough.color, weight: s.borough.weight, interactive: false,
      className: "borough-lines"
    }).addTo(map);
    // Guessed boundaries are dashed; their outlines go over the ward lines, which would
    // otherwise draw them solid.
    guessOutlines = L.featureGroup(A.guess.map(function (i) {
      return L.polygon(decodePolygons(A.shapes[i]), {
        color: s.outline, weight: s.areaWeight, dashArray: s.guessDash, fill: false,
        interactive: false, className: "guess-outline"
      });
    })).addTo(map);
  }

  // On a canvas: the areas, then the same lines as above, each one layer of the painter.
  var painter = null;
  function paintAreas() {
    painter = window.hatecrimeMapsPainter(arcs).addTo(map);
    areas = figuresOn(painter.units(A.shapes, areaStyle(null, false, s.areaWeight)),
                      areaFigures);
    var count = yearColumns(yearAt).count;
    A.shapes.forEach(function (shape, i) {
      var unit = areaLayers[i] = areas.unit(i);
      unit.areaIndex = i;
      unit.baseWeight = s.areaWeight;
      unit.setStyle({ fillColor: data.fills[count(i)] });
    });
    var guessArcs = painter.arcsOf(A.guess.map(function (i) { return A.shapes[i]; }));
    areas.outlineWithout(guessArcs).addTo(map);
    var all = arcs.map(function (arc, i) { return i; });
    wards = painter.lines(data.wardLines || all, s.ward).addTo(map);
    boroughs = painter.lines(data.boroughLines, s.borough).addTo(map);
    // Guessed boundaries are dashed, over the ward lines.
    guessOutlines = painter.lines(guessArcs, {
      color: s.outline, weight: s.areaWeight, dashArray: s.guessDash
    }).addTo(map);
  }

  inSlices(data.arcs.length, decodeArc, function () {
    if (data.canvas) {
      paintAreas();
      addTheRest();
      return;
    }
    inSlices(A.shapes.length, addArea, function () {
      var wardCount = data.wardLines ? data.wardLines.length : arcs.length;
      var steps = [];
      for (var piece = 0; piece * WARD_PIECE < Math.max(wardCount, 1); piece++) {
        steps.push(addWardLines.bind(null, piece));
      }
      steps.push(addBoroughLines, addTheRest);
      inSlices(steps.length, function (i) { steps[i](); }, function () {});
    });
  });

  // Everything else: the patterns, reporting centres, controls and table.
  function addTheRest() {

    // Areas with too few for a rate are hatched, areas with no data cross-hatched: SVG
    // patterns the fills refer to.
    (function addHatches() {
      if (data.canvas) return;  // patterns made for the canvas, above
      var svg = map.getPanes().overlayPane.querySelector("svg");
      var defs = document.createElementNS(SVG_NS, "defs");
      function hatch(id, colours, angles, width) {
        var pattern = document.createElementNS(SVG_NS, "pattern");
        pattern.setAttribute("id", id);
        pattern.setAttribute("patternUnits", "userSpaceOnUse");
        pattern.setAttribute("width", "7");
        pattern.setAttribute("height", "7");
        pattern.setAttribute("patternTransform", "rotate(45)");
        var rect = document.createElementNS(SVG_NS, "rect");
        rect.setAttribute("width", "7");
        rect.setAttribute("height", "7");
        rect.setAttribute("fill", colours[0]);
        pattern.appendChild(rect);
        angles.forEach(function (vertical) {
          var line = document.createElementNS(SVG_NS, "line");
          line.setAttribute("x1", "0");
          line.setAttribute("y1", "0");
          line.setAttribute("x2", vertical ? "0" : "7");
          line.setAttribute("y2", vertical ? "7" : "0");
          line.setAttribute("stroke", colours[1]);
          line.setAttribute("stroke-width", width);
          pattern.appendChild(line);
        });
        defs.appendChild(pattern);
      }
      hatch("hatch-no_rate", s.hatch, [true], "2");
      hatch("hatch-no_data", s.noData, [true, false], "1");
      svg.insertBefore(defs, svg.firstChild);
      // The shapes are not content for a screen reader (the table holds every figure), and
      // 25 unnamed "graphics" nodes would only be noise.
      svg.setAttribute("aria-hidden", "true");
    })();

    // Reporting centres: 24 px markers. Where several would overlap at the current zoom
    // they are shown as one numbered marker that zooms in to them.
    var centreMarkers = data.centres.map(function (c) {
      var shape = c.kind === "hate_crime_surgery"
        ? '<rect x="5" y="5" width="14" height="14"/>' : '<circle cx="12" cy="12" r="8"/>';
      var icon = L.divIcon({
        className: "centre-marker centre-" + c.kind + (c.approx ? " approx" : ""),
        html: '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">' + shape +
          "</svg>",
        iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12]
      });
      if (c.approx) {
        L.circle([c.lat, c.lon], {
          radius: c.precision, color: s.centres[c.kind], weight: 1.5, dashArray: "4 3",
          fill: false, interactive: false
        }).addTo(map);
      }
      var marker = L.marker([c.lat, c.lon], {
        icon: icon, title: c.label, alt: c.label, keyboard: true, riseOnHover: true
      });
      marker.bindPopup(figures(c.name, c.rows), {
        // Clear of the zoom buttons (top left) and the map tools (top right).
        className: "centre-popup", autoPanPaddingTopLeft: [50, 84], autoPanPadding: [12, 12]
      });
      marker.on("add", function () {
        var el = marker.getElement();
        el.setAttribute("aria-label", c.label);
        el.id = c.id;
        // Leaflet's markers open their popup on Enter; a button answers Space too.
        el.addEventListener("keydown", function (e) {
          if (e.key === " ") { e.preventDefault(); marker.openPopup(); }
        });
      });
      // Closing the popup (by its x or Escape) puts focus back on the marker.
      marker.on("popupclose", function () {
        var el = marker.getElement();
        if (el && document.activeElement !== el) el.focus();
      });
      return marker;
    });
    // A popup is as wide as fits in the map beside the zoom buttons (with the autopan margins
    // and its own), set before it opens, so that Leaflet pans the map to show all of it.
    function fitPopups() {
      var room = Math.max(150, Math.min(360, map.getSize().x - 100));
      centreMarkers.forEach(function (m) {
        var options = m.getPopup().options;
        options.maxWidth = room;
        options.minWidth = Math.min(room, 220);
      });
    }
    fitPopups();
    map.on("resize", fitPopups);
    var centreGroups = [];
    var APART_PX = 34;
    // The least zoom at which no two of these markers are closer than a marker's width, so
    // that one activation of a group shows each place on its own.
    function apartAt(members) {
      for (var z = map.getZoom() + 1; z < 19; z++) {
        var points = members.map(function (m) { return map.project(m.getLatLng(), z); });
        var apart = points.every(function (p, i) {
          return points.every(function (q, j) { return j <= i || p.distanceTo(q) >= APART_PX; });
        });
        if (apart) return z;
      }
      return 18;
    }
    function declutter() {
      centreGroups.forEach(function (g) { map.removeLayer(g); });
      centreGroups = [];
      var placed = [];
      centreMarkers.forEach(function (m) {
        var point = map.latLngToLayerPoint(m.getLatLng());
        var near = placed.filter(function (g) { return g.point.distanceTo(point) < APART_PX; })[0];
        if (near) near.members.push(m); else placed.push({ point: point, members: [m] });
      });
      placed.forEach(function (g) {
        if (g.members.length === 1) {
          if (!map.hasLayer(g.members[0])) g.members[0].addTo(map);
          return;
        }
        g.members.forEach(function (m) { map.removeLayer(m); });
        var bounds = L.latLngBounds(g.members.map(function (m) { return m.getLatLng(); }));
        var label = g.members.length + " reporting places close together: zoom in to them";
        var group = L.marker(bounds.getCenter(), {
          icon: L.divIcon({ className: "centre-group", iconSize: [28, 28],
                            html: '<span aria-hidden="true">' + g.members.length + "</span>" }),
          title: label, alt: label, keyboard: true
        }).addTo(map);
        group.getElement().setAttribute("aria-label", label);
        group.getElement().setAttribute("role", "button");
        var zoomIn = function () {
          var z = apartAt(g.members);
          map.once("moveend", function () {
            var first = g.members[0].getElement();
            if (first) first.focus();
            announce.textContent = g.members.length + " reporting places shown: " +
              g.members.map(function (m) { return m.options.title; }).join("; ") + ".";
          });
          map.setView(bounds.getCenter(), z);
        };
        group.on("click", zoomIn);
        // A button answers Enter and Space (Leaflet's markers answer only Enter, with a popup).
        group.getElement().addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); zoomIn(); }
        });
        centreGroups.push(group);
      });
    }
    map.on("zoomend", declutter);
    declutter();

    // Escape closes whatever a pointer or focus opened: tooltips, popups, the panel.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      closeTip();
      map.closePopup();
      hidePanel();
      unselect();
    });

    var legends = document.querySelectorAll(".legend-view");
    var guessKeys = document.querySelectorAll(".legend-guess");
    var view = "count";
    function isParentView() { return view === "parent" || view === "parent_change"; }
    function recolour() {
      if (isParentView()) {
        var parentClass = view === "parent_change"
          ? function (i) { return change().parentClasses[i]; }
          : function (i) { return data.years[yearAt].parentCount[i]; };
        parentLayers.forEach(function (layer, i) {
          layer.setStyle({ fillColor: data.fills[parentClass(i)] });
        });
        return;
      }
      var y = yearColumns(yearAt);
      var classOf = view === "rate" ? y.rate
        : view === "change" ? changeColumns(changeAt).classes : y.count;
      areaLayers.forEach(function (layer, i) {
        layer.setStyle({ fillColor: data.fills[classOf(i)] });
      });
    }
    function setView(next) {
      view = next;
      document.documentElement.setAttribute("data-view", view);
      if (isParentView()) {
        map.removeLayer(areas);
        parentLayer().addTo(map);
      } else {
        if (parents) map.removeLayer(parents);
        areas.addTo(map);
      }
      recolour();
      wards.bringToFront();
      boroughs.bringToFront();
      if (isParentView()) map.removeLayer(guessOutlines);
      else guessOutlines.addTo(map).bringToFront();
      var measureKey = data.measures ? data.measures[measureAt].key : null;
      legends.forEach(function (el) {
        var of = el.getAttribute("data-measure");
        el.hidden = el.getAttribute("data-view") !== view || (of !== null && of !== measureKey);
      });
      guessKeys.forEach(function (el) { el.hidden = isParentView(); });
      var radio = document.querySelector('input[name="view"][value="' + view + '"]');
      if (radio) radio.checked = true;
      var picker = document.querySelector('select[name="view"]');
      if (picker) picker.value = view;
    }
    // Radio buttons on a page, a select in the compact embed page: either picks the view.
    document.querySelectorAll('[name="view"]').forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.tagName === "SELECT" || input.checked) setView(input.value);
      });
    });

    // The tables' figures for the year shown and the change compared (the large table's
    // page is filled again by its own script).
    var refreshScriptedTable = null;
    function fillTable(tableId, infoOf, indexOfId, footer) {
      var table = document.getElementById(tableId);
      if (!table) return;
      if (!(tableId === "area-table" && refreshScriptedTable)) {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
          var rows = infoOf(indexOfId[tr.getAttribute("data-id")]).rows;
          rows.forEach(function (r, c) { tr.cells[c + 1].textContent = r[1]; });
        });
      }
      if (footer && table.tFoot) {
        var cells = table.tFoot.rows[0].cells;
        footer.forEach(function (text, c) { cells[c + 1].textContent = text; });
      }
    }
    function fillTables() {
      var y = data.years[yearAt];
      var footer = y.force.concat(data.changes.length ? [change().force] : []);
      fillTable("area-table", areaInfo, indexOf, footer);
      fillTable("parent-table", parentInfo, parentIndexOf, null);
      if (refreshScriptedTable) refreshScriptedTable();
    }
    function setText(selector, text) {
      document.querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
    }
    function setYear(k) {
      yearAt = k;
      var y = data.years[k];
      closeTip();
      hidePanel();
      recolour();
      fillTables();
      document.title = y.title;
      setText("#page-title", y.title);
      setText("#period", y.period);
      setText("#summary", y.summary);
      setText("#area-caption", y.caption);
      setText("#parent-caption", y.parentCaption);
      setText("#all-label", y.all);
      setText(".source-period", y.period);
      setText(".source-population", y.population);
      mapBox.setAttribute("aria-label", y.mapLabel);
      document.querySelectorAll('[name="year"]').forEach(function (input) {
        if (input.tagName === "SELECT") input.value = String(y.year);
        else input.checked = input.value === String(y.year);
      });
      // The address says the year shown (a page from a file may not change its address).
      try { window.history.replaceState(null, "", y.file + window.location.hash); } catch (e) {}
      announce.textContent = "Showing " + y.label + ".";
    }
    function setChange(k) {
      changeAt = k;
      var c = change();
      Object.keys(c.labels).forEach(function (key) {
        var label = c.labels[key];
        setText('.view-label[data-view="' + key + '"], option[data-view="' + key + '"]', label);
        // A strand's legend keeps its strand ahead of the label ("Race: change from ...").
        document.querySelectorAll('.legend-view[data-view="' + key + '"] .legend-title')
          .forEach(function (el) {
            var lead = el.getAttribute("data-lead");
            el.textContent = lead ? lead + label.charAt(0).toLowerCase() + label.slice(1) : label;
          });
      });
      setText("#change-summary", c.summary);
      closeTip();
      hidePanel();
      recolour();
      fillTables();
      announce.textContent = c.labels.change + ".";
    }
    document.querySelectorAll('[name="year"]').forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.tagName !== "SELECT" && !input.checked) return;
        var k = data.years.map(function (y) { return String(y.year); }).indexOf(input.value);
        if (k >= 0) setYear(k);
      });
    });
    // From and to: choosing one that leaves no later year moves the other along.
    var fromBox = document.querySelector('select[name="from"]');
    var toBox = document.querySelector('select[name="to"]');
    function compare(moved) {
      var from = Number(fromBox.value), to = Number(toBox.value);
      var years = data.years.map(function (y) { return y.year; });
      if (from >= to) {
        if (moved === fromBox) to = years.filter(function (y) { return y > from; })[0];
        else from = years.filter(function (y) { return y < to; }).pop();
        fromBox.value = String(from);
        toBox.value = String(to);
      }
      var k = data.changes.map(function (c) { return c.years.join(); }).indexOf(from + "," + to);
      if (k >= 0) setChange(k);
    }
    if (fromBox && toBox) {
      fromBox.addEventListener("change", function () { compare(fromBox); });
      toBox.addEventListener("change", function () { compare(toBox); });
    }
    // Another figure set: the same year, change and view, with its figures and legend.
    var measureBox = document.querySelector('select[name="measure"]');
    if (measureBox && data.measures) {
      measureBox.addEventListener("change", function () {
        var k = data.measures.map(function (m) { return m.key; }).indexOf(measureBox.value);
        if (k < 0) return;
        measureAt = k;
        data.years = data.measures[k].years;
        data.changes = data.measures[k].changes;
        setYear(yearAt);
        if (data.changes.length) {
          setChange(changeAt);
        }
        setView(view);
        announce.textContent = "Showing " + data.measures[k].label + ", " +
          data.years[yearAt].label + ".";
      });
    }
    // On a phone the change in words starts folded, so the controls and the map come
    // first; a wider screen, or a page without its script, shows it open.
    var changeDetails = document.getElementById("change-details");
    if (changeDetails && narrow.matches) changeDetails.open = false;
    var wardBox = document.querySelector('input[name="wards"]');
    if (wardBox) {
      wardBox.addEventListener("change", function (e) {
        if (e.target.checked) { wards.addTo(map); setView(view); } else { map.removeLayer(wards); }
      });
    }

    // Two buttons over the map: the whole map again, and (after "Show on map") back to the
    // row the reader came from, so the keyboard never has to find its way back alone.
    var backTo = null;
    var tools = L.control({ position: "topright" });
    var wholeButton, backButton;
    tools.onAdd = function () {
      var box = L.DomUtil.create("div", "map-tools leaflet-bar");
      wholeButton = L.DomUtil.create("button", "whole", box);
      wholeButton.type = "button";
      wholeButton.textContent = "Whole map";
      backButton = L.DomUtil.create("button", "back", box);
      backButton.type = "button";
      backButton.hidden = true;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    tools.addTo(map);
    wholeButton.addEventListener("click", function () {
      closeTip();
      hidePanel();
      unselect();
      map.fitBounds(data.bounds);
    });
    backButton.addEventListener("click", function () {
      var button = backTo && document.querySelector('button.show[data-id="' + backTo + '"]');
      backButton.hidden = true;
      backTo = null;
      if (button) {
        button.scrollIntoView({ block: "center" });
        button.focus();
      }
    });

    // Keyboard and screen-reader route to every area: a "Show on map" button on each row of
    // the table, added here as it works only with this script (one listener for them all,
    // as a large map's rows come and go).
    function showCell(id, name) {
      var td = document.createElement("td"), button = document.createElement("button");
      td.className = "map-col";
      button.type = "button";
      button.className = "show";
      button.setAttribute("data-id", id);
      button.setAttribute("aria-label", "Show on map: " + name);
      button.textContent = "Show on map";
      td.appendChild(button);
      return td;
    }
    (function addMapColumn() {
      var table = document.getElementById("area-table");
      var th = document.createElement("th"), label = document.createElement("span");
      th.scope = "col";
      th.className = "map-col";
      label.className = "visually-hidden";
      label.textContent = "Map";
      th.appendChild(label);
      table.tHead.rows[0].appendChild(th);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        tr.appendChild(showCell(tr.getAttribute("data-id"), tr.cells[0].textContent));
      });
      Array.prototype.forEach.call(table.tFoot.rows, function (tr) {
        var td = document.createElement("td");
        td.className = "map-col";
        tr.appendChild(td);
      });
    })();
    document.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest("button.show");
      if (!button) return;
      var i = indexOf[button.getAttribute("data-id")];
      var layer = areaLayers[i], info = areaInfo(i);
      if (isParentView()) setView("count");
      map.fitBounds(layer.getBounds(), { maxZoom: 13, animate: false });
      if (narrow.matches) showPanel(info.name, info.rows, layer);
      else {
        openTip(layer, info, layer.getCenter());  // one tooltip: opening moves it
        select(layer);
        say(info.name, info.rows);
        mapBox.scrollIntoView({ block: "nearest" });
      }
      // Focus moves with the area shown, to a button that leads straight back to its row.
      backTo = button.getAttribute("data-id");
      backButton.textContent = "Back to the table: " + info.name;
      backButton.hidden = false;
      backButton.focus({ preventScroll: true });
    });

    // A large map's table: the script shows it a page at a time, with a search by name.
    if (A.table) (function scriptedTable() {
      var body = document.querySelector("#area-table tbody");
      var search = document.getElementById("area-search");
      var status = document.getElementById("table-status");
      var pager = document.querySelector(".pager");
      var size = A.table.pageRows, first = 0, matches = [];
      function row(i) {
        var info = areaInfo(i), tr = document.createElement("tr");
        tr.setAttribute("data-id", A.ids[i]);
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = info.name;
        tr.appendChild(th);
        info.rows.forEach(function (r) {
          var td = document.createElement("td");
          td.textContent = r[1];
          tr.appendChild(td);
        });
        tr.appendChild(showCell(A.ids[i], info.name));
        return tr;
      }
      function show() {
        var rows = document.createDocumentFragment();
        matches.slice(first, first + size).forEach(function (i) { rows.appendChild(row(i)); });
        body.textContent = "";
        body.appendChild(rows);
        var total = thousands(A.ids.length);
        status.textContent = matches.length
          ? "Showing " + thousands(first + 1) + " to " +
            thousands(Math.min(first + size, matches.length)) + " of " +
            thousands(matches.length) +
            (matches.length < A.ids.length ? " matching (of " + total + ")" : "") + "."
          : "No name matches. " + total + " in all.";
        pager.querySelector('[data-step="-1"]').disabled = first === 0;
        pager.querySelector('[data-step="1"]').disabled = first + size >= matches.length;
      }
      var lowerNames = null;  // made at the first search, not while the page opens
      function filter() {
        var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        matches = [];
        if (words.length && !lowerNames) {
          lowerNames = A.names.map(function (n) { return n.toLowerCase(); });
        }
        for (var i = 0; i < A.ids.length; i++) {
          var name = words.length ? lowerNames[i] : "";
          if (words.every(function (w) { return name.indexOf(w) >= 0; })) matches.push(i);
        }
        first = 0;
        show();
      }
      search.addEventListener("input", filter);
      pager.addEventListener("click", function (e) {
        var step = e.target.getAttribute && e.target.getAttribute("data-step");
        if (!step) return;
        first = Math.max(0, first + Number(step) * size);
        show();
      });
      document.querySelector(".table-tools").hidden = false;
      pager.hidden = false;
      refreshScriptedTable = show;
      filter();
    })();

    // Printing: fit the whole area to the printed map box, and back after.
    function refit() {
      map.invalidateSize({ animate: false });
      map.fitBounds(data.bounds, { animate: false });
    }
    window.addEventListener("beforeprint", refit);
    window.addEventListener("afterprint", refit);
    if (window.matchMedia) window.matchMedia("print").addEventListener("change", refit);

    document.documentElement.setAttribute("data-map-ready", "true");
    // A canvas paints on the next animation frame: mark "drawn" after it has.
    window.requestAnimationFrame(function () {
      if (window.performance && performance.mark) performance.mark("hatecrime-maps:areas-drawn");
      document.documentElement.setAttribute("data-map-drawn", "true");
    });

    // Inside an iframe, tell the host page how tall the content is, as it grows and shrinks.
    // The document's scroll height never falls below the frame's own height, so measure to
    // the bottom of the body, which is only as tall as what it holds.
    if (embedded && window.ResizeObserver) {
      var last = 0;
      var post = function () {
        // From the top of the document (a first heading's margin sits above the body) to the
        // bottom of the body and its margin.
        var bottom = document.body.getBoundingClientRect().bottom + window.scrollY +
          parseFloat(window.getComputedStyle(document.body).marginBottom);
        var height = Math.ceil(bottom);
        if (height !== last) {
          last = height;
          window.parent.postMessage({ type: "hatecrime-maps:height", height: height }, "*");
        }
      };
      new ResizeObserver(post).observe(document.body);
      window.addEventListener("resize", post);
      // The host's listener may start after this page has said its height (a slow host
      // page, a deferred script): it asks, and is told again.
      window.addEventListener("message", function (e) {
        if (e.source !== window.parent || !e.data || e.data.type !== "hatecrime-maps:ask-height") return;
        last = 0;
        post();
      });
      post();
    }
  }
})();
