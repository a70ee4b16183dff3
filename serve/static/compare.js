// The comparison page: two of a site's models (GET /v1/models), each side
// drawn from its own /v1/models/NAME/... API (shared.js holds the call and
// the painting of an image).
"use strict";

const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const S = { models: [], sides: [{}, {}], codes: null };
window.compare = S; // for the curious, and for the browser test
const $ = (id) => document.getElementById(id);

const path = (k, p) => `/v1/models/${encodeURIComponent(S.sides[k].info.name)}/${p}`;
const label = (k) => S.sides[k].info.conditional ? 0 : undefined;
function showError(e) { $("info").textContent = "error: " + e.message; }

// drawImages paints images side by side across a canvas.
function drawImages(canvas, images, info) {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const w = canvas.height * info.image.cols / info.image.rows;
  images.forEach((pixels, n) => paint(ctx, pixels, info.image, n * w, 0, w, canvas.height));
}

// bounds is the box holding the middle 98% of the map's points, per axis.
function bounds(points) {
  const q = (axis, p) => {
    const v = points.map((pt) => pt[axis]).sort((a, b) => a - b);
    return v[Math.floor(p * (v.length - 1))];
  };
  const box = [[q(0, 0.01), q(0, 0.99)], [q(1, 0.01), q(1, 0.99)]];
  return box.map(([lo, hi]) => { const pad = 0.08 * (hi - lo || 1); return [lo - pad, hi + pad]; });
}

// drawMap plots the test codes, and for a VAE the ±1σ ellipse of q(z|x)
// of the first 300 in the map's plane.
function drawMap(k) {
  const { map } = S.sides[k];
  const canvas = $("map-" + k);
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const [[x0, x1], [y0, y1]] = bounds(map.points);
  const sx = canvas.width / (x1 - x0), sy = canvas.height / (y1 - y0);
  const at = ([x, y]) => [(x - x0) * sx, canvas.height - (y - y0) * sy];
  let ellipses = 0;
  if (map.spread) {
    ctx.globalAlpha = 0.25;
    for (let i = 0; i < Math.min(300, map.points.length); i++) {
      const [px, py] = at(map.points[i]);
      ctx.fillStyle = colors[(map.labels || [])[i] % 10] || "#555";
      ctx.beginPath();
      ellipse(ctx, px, py, map.spread[i], sx, sy, 1);
      ctx.fill();
      ellipses++;
    }
    ctx.globalAlpha = 1;
  }
  map.points.forEach((p, i) => {
    const [px, py] = at(p);
    ctx.fillStyle = colors[(map.labels || [])[i] % 10] || "#555";
    ctx.fillRect(px - 1, py - 1, 2, 2);
  });
  canvas.dataset.points = map.points.length;
  canvas.dataset.ellipses = ellipses;
  S.sides[k].box = [[x0, x1], [y0, y1]];
  const { drawn } = S.sides[k];
  canvas.dataset.marker = drawn ? (drawn.spread ? "region" : "point") : "";
  if (!drawn) return;
  const [px, py] = at(drawn.point);
  ctx.strokeStyle = "#000"; ctx.lineWidth = 2;
  ctx.beginPath();
  if (drawn.spread) { // the drawing's q(z|x): its ±1σ and ±2σ ellipses
    ellipse(ctx, px, py, drawn.spread, sx, sy, 1);
    ellipse(ctx, px, py, drawn.spread, sx, sy, 2);
  } else { // an autoencoder's code: a point
    ctx.moveTo(px - 8, py); ctx.lineTo(px + 8, py); ctx.moveTo(px, py - 8); ctx.lineTo(px, py + 8);
  }
  ctx.stroke();
}

// project is a code's place in the map's plane, and, given its logvar, its
// spread there (shared.js).
function project(map, mu, logvar) {
  const [a, b] = map.axes;
  const dot = (u, w) => u.reduce((s, v, j) => s + v * w[j], 0);
  const out = { point: [dot(mu, a), dot(mu, b)] };
  if (logvar) out.spread = spreadIn(map.axes, logvar);
  return out;
}

// encodeDrawing encodes the pad's drawing with both models and marks it on
// both maps: a region for a VAE, a point for an autoencoder.
async function encodeDrawing() {
  await Promise.all([0, 1].map(async (k) => {
    const { info, map } = S.sides[k];
    const codes = await api(path(k, "encode"), { images: [padPixels($("pad"), info.image)], label: label(k) });
    S.sides[k].drawn = project(map, codes.mu[0], codes.logvar && codes.logvar[0]);
    drawMap(k);
  }));
}

function normal() {
  const u = 1 - Math.random(), v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// sample decodes 8 codes of N(0, I) through both models: the same codes
// when the two models' codes have the same size.
async function sample() {
  const codes = [];
  for (const k of [0, 1]) {
    const d = S.sides[k].info.latent;
    codes[k] = k === 1 && d === S.sides[0].info.latent ? codes[0] :
      Array.from({ length: 8 }, () => Array.from({ length: d }, normal));
  }
  await Promise.all([0, 1].map(async (k) => {
    const out = await api(path(k, "decode"), { z: codes[k], label: label(k) });
    drawImages($("strip-" + k), out.images, S.sides[k].info);
  }));
  S.codes = codes;
  $("sample").dataset.done = Number($("sample").dataset.done || 0) + 1;
}

// walk moves one dimension of a test image's code across mu ± 2σ of its
// posterior, in 9 steps; an autoencoder's point has no σ.
async function walk() {
  const index = Number($("index").value), dim = Number($("dim").value) - 1;
  await Promise.all([0, 1].map(async (k) => {
    const { info } = S.sides[k];
    if (dim < 0 || dim >= info.latent) throw new Error(`dimension ${dim + 1}: ${info.name}'s codes have ${info.latent}`);
    const t = await api(path(k, `test-images?index=${index}`));
    const mu = t.mu[0];
    let zs = [mu];
    if (t.logvar) {
      const sigma = Math.exp(0.5 * t.logvar[0][dim]);
      zs = Array.from({ length: 9 }, (_, s) => mu.map((v, j) => j === dim ? v + (s - 4) / 2 * sigma : v));
      $("note-" + k).textContent = `${info.name}: z${dim + 1} from ${(mu[dim] - 2 * sigma).toFixed(2)} to ${(mu[dim] + 2 * sigma).toFixed(2)} (σ = ${sigma.toFixed(3)})`;
    } else {
      $("note-" + k).textContent = `${info.name}: a point, z${dim + 1} = ${mu[dim].toFixed(2)}: the encoder gives no range`;
    }
    const out = await api(path(k, "decode"), { z: zs, label: label(k) });
    drawImages($("walk-" + k), out.images, info);
    $("walk-" + k).dataset.steps = zs.length;
  }));
}

// plane decodes a 12×12 grid over the box of a 2-D model's test codes.
async function plane(k) {
  const { info, box } = S.sides[k];
  const canvas = $("grid-" + k);
  if (info.latent !== 2) {
    canvas.hidden = true;
    return;
  }
  canvas.hidden = false;
  const n = 12, zs = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      zs.push([box[0][0] + (c + 0.5) / n * (box[0][1] - box[0][0]), box[1][1] - (r + 0.5) / n * (box[1][1] - box[1][0])]);
    }
  }
  const out = await api(path(k, "decode"), { z: zs, label: label(k) });
  const ctx = canvas.getContext("2d"), w = canvas.width / n, h = canvas.height / n;
  out.images.forEach((pixels, i) => paint(ctx, pixels, info.image, (i % n) * w, Math.floor(i / n) * h, w, h));
  canvas.dataset.tiles = out.images.length;
}

async function show(k) {
  const name = $("pick-" + k).value;
  const info = S.models.find((m) => m.name === name);
  S.sides[k] = { info, map: await api(`/v1/models/${encodeURIComponent(name)}/latent-map`) };
  $("name-" + k).textContent = `${name}: ${info.variational ? "VAE" : "autoencoder"}, ${info.latent}-D codes`;
  drawMap(k);
}

async function refresh() {
  await Promise.all([show(0), show(1)]);
  $("plane").hidden = S.sides[0].info.latent !== 2 && S.sides[1].info.latent !== 2;
  await Promise.all([sample(), walk(), plane(0), plane(1)]);
}

async function main() {
  S.models = (await api("/v1/models")).models;
  for (const k of [0, 1]) {
    const pick = $("pick-" + k);
    for (const m of S.models) pick.add(new Option(m.name, m.name));
    pick.value = S.models[Math.min(k, S.models.length - 1)].name;
    pick.addEventListener("change", () => refresh().catch(showError));
  }
  $("info").textContent = `${S.models.length} models: ${S.models.map((m) => m.name).join(", ")}`;
  $("sample").addEventListener("click", () => sample().catch(showError));
  $("walk").addEventListener("click", () => walk().catch(showError));
  const pad = makePad($("pad"), () => encodeDrawing().catch(showError));
  $("clear").addEventListener("click", pad.clear);
  await refresh();
  document.body.dataset.ready = "true";
}

main().catch(showError);
