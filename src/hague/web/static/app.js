// Hague web workspace. Loaded as a file (the CSP allows no inline script); reads data only from
// data-* attributes and JSON endpoints of this server, and writes text with textContent, never HTML.
"use strict";

function setupViewer() {
  const text = document.getElementById("doctext");
  if (!text) return;
  const hint = document.getElementById("detail-hint");
  const show = (mark) => {
    document.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
    document.querySelectorAll(".finding.shown").forEach((f) => f.classList.remove("shown"));
    mark.classList.add("selected");
    (mark.dataset.refs || "").split(" ").forEach((ref) => {
      const panel = document.getElementById("f-" + ref);
      if (panel) panel.classList.add("shown");
    });
    if (hint) hint.classList.add("hidden");
  };
  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-refs]");
    if (mark) show(mark);
  });
  text.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark[data-refs]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      show(mark);
    }
  });
}

async function setupMap() {
  const el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  const status = document.getElementById("map-status");
  const map = L.map(el, { worldCopyJump: true, attributionControl: false, zoomAnimation: false, fadeAnimation: false,
    markerZoomAnimation: false }).setView([30, 20], 2);
  const [outlines, points] = await Promise.all([
    fetch(el.dataset.outlines, { credentials: "same-origin" }).then((r) => r.json()),
    fetch(el.dataset.points, { credentials: "same-origin" }).then((r) => r.json()),
  ]);
  const land = { color: "#94a3b8", weight: 0.6, fillColor: "#f8fafc", fillOpacity: 1 };
  outlines.countries.forEach((c) => {
    const rings = c.rings.map((ring) => ring.map(([lon, lat]) => [lat, lon]));
    L.polygon(rings, land).addTo(map);
  });
  const markers = [];
  points.points.forEach((p) => {
    const marker = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#1f5fa8", weight: 2, fillOpacity: 0.6 });
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = el.dataset.incidentBase + encodeURIComponent(p.incident);
    link.textContent = p.incident;
    const facts = document.createElement("p");
    facts.textContent = [p.event, p.place, p.date, p.label].filter(Boolean).join(" · ");
    box.append(link, facts);
    marker.bindPopup(box);
    marker.addTo(map);
    markers.push(marker);
  });
  if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 7 });
  el.setAttribute("data-ready", String(markers.length));
  if (status) status.textContent = `${markers.length} incident(s) on the map${points.points.length >= points.limit ? " (the newest " + points.limit + ")" : ""}. Base layer: Natural Earth outlines shipped with Hague; nothing is fetched from elsewhere.`;
}

document.addEventListener("DOMContentLoaded", () => {
  setupViewer();
  setupMap().catch((err) => {
    const status = document.getElementById("map-status");
    if (status) status.textContent = "The map could not be drawn: " + err;
  });
  document.querySelectorAll("[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
