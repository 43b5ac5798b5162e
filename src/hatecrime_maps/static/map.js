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
  var map = L.map("map", { zoomSnap: 0.25, scrollWheelZoom: !embedded });
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

  var areaLayers = {};
  var areas = L.featureGroup(data.areas.map(function (a) {
    var style = areaStyle(data.fills[a.c], a.guess, s.areaWeight);
    style.className = "area area-" + a.id;
    var layer = L.polygon(decodePolygons(a.g), style);
    layer.bindTooltip(figures(a.name, a.rows), { sticky: true, opacity: 1 });
    areaLayers[a.id] = { layer: layer, area: a };
    return layer;
  })).addTo(map);

  var parents = L.featureGroup(data.parents.map(function (n) {
    var style = areaStyle(data.fills[n.c], false, s.parentWeight);
    style.className = "parent parent-" + n.id;
    var layer = L.polygon(decodePolygons(n.g), style);
    layer.bindTooltip(figures(n.name, n.rows), { sticky: true, opacity: 1 });
    return layer;
  }));

  var wards = L.polyline(data.wardLines.map(decodePath), {
    color: s.ward.color, weight: s.ward.weight, interactive: false
  }).addTo(map);
  var boroughs = L.polyline(data.boroughLines.map(decodePath), {
    color: s.borough.color, weight: s.borough.weight, interactive: false
  }).addTo(map);

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

  data.centres.forEach(function (c) {
    var shape = c.kind === "hate_crime_surgery"
      ? '<rect x="4" y="4" width="14" height="14"/>' : '<circle cx="11" cy="11" r="8"/>';
    var icon = L.divIcon({
      className: "centre-marker centre-" + c.kind + (c.approx ? " approx" : ""),
      html: '<svg viewBox="0 0 22 22" width="22" height="22" aria-hidden="true">' + shape + "</svg>",
      iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10]
    });
    if (c.approx) {
      L.circle([c.lat, c.lon], {
        radius: c.precision, color: s.centres[c.kind], weight: 1.5, dashArray: "4 3",
        fill: false, interactive: false
      }).addTo(map);
    }
    var marker = L.marker([c.lat, c.lon], {
      icon: icon, title: c.label, alt: c.label, keyboard: true, riseOnHover: true
    }).addTo(map);
    marker.bindPopup(figures(c.name, c.rows));
    var el = marker.getElement();
    el.setAttribute("aria-label", c.label);
    el.id = c.id;
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
  document.querySelectorAll("button.show").forEach(function (button) {
    button.addEventListener("click", function () {
      var entry = areaLayers[button.getAttribute("data-id")];
      if (view === "parent") setView("count");
      map.fitBounds(entry.layer.getBounds(), { maxZoom: 13 });
      entry.layer.openTooltip(entry.layer.getCenter());
      announce.textContent = entry.area.name + ": " + entry.area.rows.map(function (r) {
        return r[0] + " " + r[1];
      }).join("; ");
      document.getElementById("map").scrollIntoView({ block: "nearest" });
    });
  });

  if (window.performance && performance.mark) performance.mark("hatecrime-maps:areas-drawn");
  document.documentElement.setAttribute("data-map-ready", "true");

  // Inside an iframe, tell the host page how tall the content is.
  if (embedded && window.ResizeObserver) {
    var last = 0;
    var post = function () {
      var height = Math.ceil(document.documentElement.scrollHeight);
      if (height !== last) {
        last = height;
        window.parent.postMessage({ type: "hatecrime-maps:height", height: height }, "*");
      }
    };
    new ResizeObserver(post).observe(document.body);
    post();
  }
})();
