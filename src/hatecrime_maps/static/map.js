/* hatecrime-maps: draws the areas, their parent units and reporting centres with Leaflet.
   Figures and text arrive as JSON prepared by the build; text is only ever set
   with textContent, so names from input files cannot become markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";

  function decodePath(deltas) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < deltas.length; i += 2) {
      x += deltas[i];
      y += deltas[i + 1];
      out.push([y / data.scale, x / data.scale]);
    }
    return out;
  }
  function decodePolygons(g) {
    return g.map(function (poly) { return poly.map(decodePath); });
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
  function showPanel(name, rows) {
    panel.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "Close";
    close.addEventListener("click", hidePanel);
    panel.appendChild(close);
    panel.appendChild(figures(name, rows));
    panel.hidden = false;
  }
  function hidePanel() { panel.hidden = true; panel.textContent = ""; }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.fitBounds(data.bounds);
  if (data.tiles) {
    L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom, subdomains: "abcd"
    }).addTo(map);
  }

  var s = data.style;
  function areaStyle(fill, guess, weight) {
    return {
      color: s.outline, weight: weight, opacity: 1, fillColor: fill, fillOpacity: 0.85,
      dashArray: guess ? s.guessDash : null
    };
  }

  // Areas are reached from the keyboard through the data table's "Show on map" buttons, so
  // their paths are not tab stops of their own (25 unnamed stops before the table).
  function untabbable(layer) {
    layer.on("add", function () {
      var el = layer.getElement();
      if (el) el.setAttribute("tabindex", "-1");
    });
    return layer;
  }

  // A unit's figures: a tooltip on a wide screen, the panel under the map on a narrow one
  // (switched as the width changes), so no tooltip is ever cut off by the map's edge.
  var withFigures = [];
  function figuresOn(layer, name, rows) {
    function place() {
      if (narrow.matches) layer.unbindTooltip();
      else if (!layer.getTooltip()) layer.bindTooltip(figures(name, rows),
                                                      { sticky: true, opacity: 1 });
    }
    place();
    withFigures.push(place);
    layer.on("mouseover click", function () { if (narrow.matches) showPanel(name, rows); });
    return layer;
  }
  narrow.addEventListener("change", function () {
    withFigures.forEach(function (place) { place(); });
    if (!narrow.matches) hidePanel();
  });

  var areaLayers = {};
  var areas = L.featureGroup(data.areas.map(function (a) {
    var style = areaStyle(data.fills[a.c], a.guess, s.areaWeight);
    style.className = "area area-" + a.id;
    var layer = figuresOn(L.polygon(decodePolygons(a.g), style), a.name, a.rows);
    areaLayers[a.id] = { layer: layer, area: a };
    return untabbable(layer);
  })).addTo(map);

  var parents = L.featureGroup(data.parents.map(function (n) {
    var style = areaStyle(data.fills[n.c], false, s.parentWeight);
    style.className = "parent parent-" + n.id;
    return untabbable(figuresOn(L.polygon(decodePolygons(n.g), style), n.name, n.rows));
  }));

  var wards = L.polyline(data.wardLines.map(decodePath), {
    color: s.ward.color, weight: s.ward.weight, interactive: false, className: "ward-lines"
  }).addTo(map);
  var boroughs = L.polyline(data.boroughLines.map(decodePath), {
    color: s.borough.color, weight: s.borough.weight, interactive: false,
    className: "borough-lines"
  }).addTo(map);
  // Guessed boundaries are dashed; their outlines go over the ward lines, which would
  // otherwise draw them solid.
  var guessOutlines = L.featureGroup(data.areas.filter(function (a) { return a.guess; })
    .map(function (a) {
      return L.polygon(decodePolygons(a.g), {
        color: s.outline, weight: s.areaWeight, dashArray: s.guessDash, fill: false,
        interactive: false, className: "guess-outline"
      });
    })).addTo(map);

  // Areas with too few for a rate are hatched, areas with no data cross-hatched: SVG
  // patterns the fills refer to.
  (function addHatches() {
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
    hatch("hatch-norate", s.hatch, [true], "2");
    hatch("hatch-nodata", s.noData, [true, false], "1");
    svg.insertBefore(defs, svg.firstChild);
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
    marker.bindPopup(figures(c.name, c.rows), { autoPanPaddingTopLeft: [60, 70] });
    marker.on("add", function () {
      var el = marker.getElement();
      el.setAttribute("aria-label", c.label);
      el.id = c.id;
    });
    // Closing the popup (by its x or Escape) puts focus back on the marker.
    marker.on("popupclose", function () {
      var el = marker.getElement();
      if (el && document.activeElement !== el) el.focus();
    });
    return marker;
  });
  var centreGroups = [];
  function declutter() {
    centreGroups.forEach(function (g) { map.removeLayer(g); });
    centreGroups = [];
    var placed = [];
    centreMarkers.forEach(function (m) {
      var point = map.latLngToLayerPoint(m.getLatLng());
      var near = placed.filter(function (g) { return g.point.distanceTo(point) < 34; })[0];
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
      var zoomIn = function () { map.fitBounds(bounds.pad(0.6), { maxZoom: 17 }); };
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
    map.eachLayer(function (layer) { if (layer.closeTooltip) layer.closeTooltip(); });
    map.closePopup();
    hidePanel();
  });

  var legends = document.querySelectorAll(".legend-view");
  var view = "count";
  function setView(next) {
    view = next;
    if (view === "parent") {
      map.removeLayer(areas);
      parents.addTo(map);
    } else {
      map.removeLayer(parents);
      areas.addTo(map);
      Object.keys(areaLayers).forEach(function (id) {
        var a = areaLayers[id].area;
        areaLayers[id].layer.setStyle({ fillColor: data.fills[view === "rate" ? a.r : a.c] });
      });
    }
    wards.bringToFront();
    boroughs.bringToFront();
    if (view === "parent") map.removeLayer(guessOutlines);
    else guessOutlines.addTo(map).bringToFront();
    legends.forEach(function (el) { el.hidden = el.getAttribute("data-view") !== view; });
    document.querySelector('input[name="view"][value="' + view + '"]').checked = true;
  }
  document.querySelectorAll('input[name="view"]').forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) setView(input.value); });
  });
  var wardBox = document.querySelector('input[name="wards"]');
  if (wardBox) {
    wardBox.addEventListener("change", function (e) {
      if (e.target.checked) { wards.addTo(map); setView(view); } else { map.removeLayer(wards); }
    });
  }

  // Keyboard and screen-reader route to every area: the table's "Show on map" buttons.
  var announce = document.getElementById("announce");
  var shown = null;
  document.querySelectorAll("button.show").forEach(function (button) {
    button.addEventListener("click", function () {
      var entry = areaLayers[button.getAttribute("data-id")];
      if (view === "parent") setView("count");
      if (shown) shown.closeTooltip();  // one at a time: they must not pile up
      map.fitBounds(entry.layer.getBounds(), { maxZoom: 13 });
      if (narrow.matches) {
        showPanel(entry.area.name, entry.area.rows);
      } else {
        entry.layer.openTooltip(entry.layer.getCenter());
        shown = entry.layer;
      }
      announce.textContent = entry.area.name + ": " + entry.area.rows.map(function (r) {
        return r[0] + " " + r[1];
      }).join("; ");
      document.getElementById("map").scrollIntoView({ block: "nearest" });
    });
  });

  // Printing: fit the whole area to the printed map box, and back after.
  function refit() {
    map.invalidateSize({ animate: false });
    map.fitBounds(data.bounds, { animate: false });
  }
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
  if (window.matchMedia) window.matchMedia("print").addEventListener("change", refit);

  if (window.performance && performance.mark) performance.mark("hatecrime-maps:areas-drawn");
  document.documentElement.setAttribute("data-map-ready", "true");

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
    post();
  }
})();
