/*
 * The live fleet layer of the control-room map: one canvas marker per truck, keyed by trip id.
 *
 * Python pushes ONE batch per repaint tick: fleet.update('[{"id":..,"lat":..,"lon":..,"heading":..,
 * "state":"moving|stopped|lost","label":"..","age_s":..,"alert":true|false}, ...]').
 * Shapes carry the meaning, colour only marks abnormal states (ISA-101):
 *   moving  grey circle with a heading arrow      stopped  grey square
 *   alert   vermillion triangle (over any state)  lost     hollow dashed orange diamond, "lost 12 min"
 * Markers fade with the age of their last fix. Clicks go back to Python through QWebChannel.
 * Every function that Python reads returns a JSON string (runJavaScript drops arrays and objects).
 */
(function () {
  "use strict";

  const FADE_START_S = 60;
  const FADE_END_S = 900;
  const MIN_ALPHA = 0.35;
  const LABEL_ZOOM = 13;
  const FOLLOW_ZOOM = 14;
  const LABEL_FONT = '12px "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", sans-serif';

  const fleet = {
    map: null,
    layers: {},
    markers: new Map(),
    followId: null,
    bridge: null,
    config: null,
    renderer: null,
    group: null,
    tooltip: null,
    clicks: [],
    stats: { updates: 0, lastUpdateMs: 0, lastFrameMs: 0, lastCount: 0 },
  };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function nowS() {
    return performance.now() / 1000;
  }

  function ageOf(truck) {
    return truck.age_s + (nowS() - truck.receivedS);
  }

  function formatAge(seconds) {
    const u = fleet.config.text;
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " " + u.seconds;
    if (s < 3600) return Math.floor(s / 60) + " " + u.minutes;
    return Math.floor(s / 3600) + " " + u.hours + " " + Math.floor((s % 3600) / 60) + " " + u.minutes;
  }

  function describe(truck) {
    const u = fleet.config.text;
    const parts = [escapeHtml(truck.label), u.states[truck.state] || escapeHtml(truck.state)];
    if (truck.alert) parts.push(u.alert);
    parts.push(u.lastFix + " " + formatAge(ageOf(truck)));
    return parts.join(" · ");
  }

  function labelText(truck) {
    if (truck.state === "lost") {
      return truck.label + " · " + fleet.config.text.states.lost + " " + formatAge(ageOf(truck));
    }
    return truck.label;
  }

  function styleOf(truck) {
    const c = fleet.config.colours;
    const age = ageOf(truck);
    let alpha = 1;
    if (age > FADE_START_S) {
      alpha = Math.max(MIN_ALPHA, 1 - (1 - MIN_ALPHA) * (age - FADE_START_S) / (FADE_END_S - FADE_START_S));
    }
    if (truck.alert) {
      return { shape: "triangle", fill: c.alarmHigh, stroke: c.text, width: 1.5, dash: null, alpha: 1 };
    }
    if (truck.state === "lost") {
      return { shape: "diamond", fill: "rgba(255,255,255,0.8)", stroke: c.alarmMedium, width: 3,
        dash: [4, 2], alpha: 1 };
    }
    if (truck.state === "stopped") {
      return { shape: "square", fill: c.normal, stroke: "#ffffff", width: 1, dash: null, alpha };
    }
    return { shape: "circle", fill: c.normal, stroke: "#ffffff", width: 1, dash: null, alpha };
  }

  function showLabel(marker) {
    const t = marker.truck;
    return t.alert || t.state === "lost" || t.id === fleet.followId || fleet.map.getZoom() >= LABEL_ZOOM;
  }

  function tracePath(ctx, shape, x, y, r) {
    ctx.beginPath();
    if (shape === "square") {
      ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
    } else if (shape === "triangle") {
      ctx.moveTo(x, y - r * 1.35);
      ctx.lineTo(x + r * 1.2, y + r * 0.8);
      ctx.lineTo(x - r * 1.2, y + r * 0.8);
      ctx.closePath();
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r * 1.25);
      ctx.lineTo(x + r * 1.25, y);
      ctx.lineTo(x, y + r * 1.25);
      ctx.lineTo(x - r * 1.25, y);
      ctx.closePath();
    } else {
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
  }

  function drawTruck(ctx, marker) {
    const t = marker.truck;
    const p = marker._point;
    const r = marker._radius;
    const s = styleOf(t);
    ctx.save();
    ctx.globalAlpha = s.alpha;
    if (t.heading !== null && t.heading !== undefined && t.state !== "lost" && t.state !== "stopped") {
      const a = (t.heading * Math.PI) / 180;
      const dx = Math.sin(a);
      const dy = -Math.cos(a);
      const tip = r + 13;
      ctx.beginPath();
      ctx.moveTo(p.x + dx * (r - 1), p.y + dy * (r - 1));
      ctx.lineTo(p.x + dx * (tip - 5), p.y + dy * (tip - 5));
      ctx.strokeStyle = fleet.config.colours.text;
      ctx.lineWidth = 2.5;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(p.x + dx * tip, p.y + dy * tip);
      ctx.lineTo(p.x + dx * (tip - 7) - dy * 5, p.y + dy * (tip - 7) + dx * 5);
      ctx.lineTo(p.x + dx * (tip - 7) + dy * 5, p.y + dy * (tip - 7) - dx * 5);
      ctx.closePath();
      ctx.fillStyle = fleet.config.colours.text;
      ctx.fill();
    }
    tracePath(ctx, s.shape, p.x, p.y, r);
    ctx.fillStyle = s.fill;
    ctx.fill();
    ctx.setLineDash(s.dash || []);
    ctx.lineWidth = s.width;
    ctx.strokeStyle = s.stroke;
    ctx.stroke();
    ctx.setLineDash([]);
    if (t.id === fleet.followId) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, r + 6, 0, Math.PI * 2);
      ctx.lineWidth = 2;
      ctx.strokeStyle = fleet.config.colours.text;
      ctx.stroke();
    }
    if (showLabel(marker)) {
      ctx.font = LABEL_FONT;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.fillStyle = fleet.config.colours.text;
      const text = labelText(t);
      ctx.strokeText(text, p.x + r + 5, p.y + 4);
      ctx.fillText(text, p.x + r + 5, p.y + 4);
    }
    ctx.restore();
  }

  function installLeafletExtensions() {
    L.Canvas.include({
      _updateTruck: function (layer) {
        if (!this._drawing || layer._empty()) return;
        drawTruck(this._ctx, layer);
      },
    });
    fleet.TruckMarker = L.CircleMarker.extend({
      _updatePath: function () {
        this._renderer._updateTruck(this);
      },
      _updateBounds: function () {
        // room for the heading arrow, the follow ring and the label, so partial redraws leave no trails
        const pad = this._radius + 16;
        const labelWidth = 8 * (labelText(this.truck).length + 2);
        this._pxBounds = new L.Bounds(this._point.subtract([pad, pad]), this._point.add([pad + labelWidth, pad]));
      },
    });
  }

  function connectBridge() {
    if (typeof QWebChannel === "undefined" || typeof qt === "undefined" || !qt.webChannelTransport) return;
    new QWebChannel(qt.webChannelTransport, (channel) => {
      fleet.bridge = channel.objects.bridge || null;
      if (fleet.bridge && fleet.bridge.pageReady) fleet.bridge.pageReady();
    });
  }

  function bindLabels(layer, className, permanent, pane) {
    if (!layer) return;
    layer.eachLayer((child) => {
      const props = (child.feature && child.feature.properties) || {};
      if (props.label) {
        child.bindTooltip(escapeHtml(props.label), {
          permanent: permanent, direction: permanent ? "center" : "auto", className: className,
          interactive: false, pane: pane,
        });
      }
    });
  }

  fleet.attach = function (map, config, layers) {
    installLeafletExtensions();
    fleet.map = map;
    fleet.config = config;
    fleet.layers = layers || {};
    if (config.attribution) map.attributionControl.addAttribution(escapeHtml(config.attribution));
    // station names sit under the trucks, so a label never hides a truck
    map.createPane("stationLabels").style.zIndex = 440;
    map.createPane("trucks").style.zIndex = 450;
    fleet.renderer = L.canvas({ pane: "trucks", padding: 0.3 });
    fleet.group = L.featureGroup().addTo(map);
    fleet.tooltip = L.tooltip({ direction: "top", offset: [0, -8] });
    fleet.group.on("click", (e) => fleet._clicked(e.layer.truck.id));
    fleet.group.on("mouseover", (e) => {
      fleet.tooltip.setLatLng(e.layer.getLatLng()).setContent(describe(e.layer.truck)).openOn(map);
    });
    fleet.group.on("mouseout", () => map.closeTooltip(fleet.tooltip));
    map.on("dragstart", () => {
      if (fleet.followId !== null) {
        fleet.follow(null);
        if (fleet.bridge && fleet.bridge.followReleased) fleet.bridge.followReleased();
      }
    });
    const zoomClass = () => {
      map.getContainer().classList.toggle("cr-far", map.getZoom() < config.stationLabelZoom);
    };
    map.on("zoomend", zoomClass);
    zoomClass();
    bindLabels(fleet.layers.stations, "cr-station-label", true, "stationLabels");
    bindLabels(fleet.layers.routes, "cr-route-label", false, "tooltipPane");
    // ages advance between batches: repaint now and then so fading and "lost 12 min" stay true
    setInterval(() => { if (fleet.markers.size) fleet.renderer._redraw(); }, 5000);
    connectBridge();
    fleet.ready = true;
  };

  fleet._clicked = function (id) {
    fleet.clicks.push(id);
    if (fleet.bridge) fleet.bridge.truckClicked(id);
  };

  fleet.update = function (json) {
    const t0 = performance.now();
    const batch = JSON.parse(json);
    const received = nowS();
    let followed = null;
    for (const item of batch) {
      const truck = {
        id: item.id, state: item.state, label: String(item.label || item.id), heading: item.heading,
        age_s: item.age_s || 0, alert: Boolean(item.alert), receivedS: received,
      };
      const latlng = [item.lat, item.lon];
      let marker = fleet.markers.get(item.id);
      if (marker === undefined) {
        marker = new fleet.TruckMarker(latlng, { renderer: fleet.renderer, radius: truck.alert ? 9 : 7 });
        marker.truck = truck;
        fleet.markers.set(item.id, marker);
        fleet.group.addLayer(marker);
      } else {
        marker.truck = truck;
        marker._radius = truck.alert ? 9 : 7;
        marker.setLatLng(latlng);
      }
      if (item.id === fleet.followId) followed = marker;
    }
    if (followed !== null) fleet.map.panTo(followed.getLatLng(), { animate: false });
    const ms = performance.now() - t0;
    fleet.stats.updates += 1;
    fleet.stats.lastUpdateMs = ms;
    fleet.stats.lastCount = batch.length;
    requestAnimationFrame(() => { fleet.stats.lastFrameMs = performance.now() - t0; });
    return JSON.stringify({ n: batch.length, ms: ms });
  };

  fleet.remove = function (json) {
    for (const id of JSON.parse(json)) {
      const marker = fleet.markers.get(id);
      if (marker !== undefined) {
        fleet.group.removeLayer(marker);
        fleet.markers.delete(id);
      }
      if (id === fleet.followId) fleet.followId = null;
    }
    return fleet.markers.size;
  };

  fleet.follow = function (id) {
    fleet.followId = id;
    const marker = id === null ? undefined : fleet.markers.get(id);
    if (marker !== undefined) {
      fleet.map.setView(marker.getLatLng(), Math.max(fleet.map.getZoom(), FOLLOW_ZOOM), { animate: false });
    }
    if (fleet.renderer) fleet.renderer._redraw();
    return marker !== undefined;
  };

  // read-outs for Python (tests, benchmarks): always JSON strings
  fleet.positions = function () {
    const out = {};
    for (const [id, m] of fleet.markers) {
      const ll = m.getLatLng();
      out[id] = [ll.lat, ll.lng];
    }
    return JSON.stringify(out);
  };

  fleet.counts = function () {
    const count = (layer) => (layer ? layer.getLayers().length : 0);
    return JSON.stringify({
      stations: count(fleet.layers.stations),
      routes: count(fleet.layers.routes),
      gates: count(fleet.layers.gates),
      land: count(fleet.layers.land),
      trucks: fleet.markers.size,
    });
  };

  fleet.view = function () {
    const c = fleet.map.getCenter();
    return JSON.stringify({ lat: c.lat, lon: c.lng, zoom: fleet.map.getZoom(), follow: fleet.followId });
  };

  fleet.labelOf = function (id) {
    const marker = fleet.markers.get(id);
    return marker === undefined ? null : labelText(marker.truck);
  };

  fleet.statsJson = function () {
    return JSON.stringify(fleet.stats);
  };

  window.fleet = fleet;
})();
