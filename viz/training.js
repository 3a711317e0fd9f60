// The training explorer's player. The page stores, per run, the weights after each recorded epoch
// (base64 float64: exact) and the probe samples; for the selected epoch and sample this script runs
// the forward pass and the four equations, as the engine does on its graph (the tests hold the two
// equal to 1e-9):
//   zˡ = Wˡaˡ⁻¹ + bˡ,  aˡ = σ(zˡ),  δᴸ = ∇ₐC ⊙ σ′(zᴸ),  δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ).
// The cost, accuracy and ‖δˡ‖ curves were measured in Python while training (nn/recording.py).
// Every element id comes from Python (autograd_tiny/viz/ids.py); this script builds none.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("training-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const slider = document.getElementById("slider");
  const playButton = document.getElementById("play");
  const epochLabel = document.getElementById("epoch");
  const speedSelect = document.getElementById("speed");
  const sampleSelect = document.getElementById("sample");
  const fillSelect = document.getElementById("fill");
  const scaleSelect = document.getElementById("scale");
  const stops = data.stops;
  const colours = data.colours;
  let stop = 0; // index into stops: the slider's epoch is stops[stop]
  let timer = null;

  // --- the arithmetic, as the engine's rules write it ------------------------------------------
  const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  const ACTIVATIONS = { // σ(z), and σ′ from z and a = σ(z)
    tanh: { sigma: Math.tanh, prime: (z, a) => 1 - a * a },
    sigmoid: { sigma: sigmoid, prime: (z, a) => a * (1 - a) },
    relu: { sigma: (z) => (z > 0 || z !== z ? z : 0), prime: (z) => (z > 0 ? 1 : 0) },
    linear: { sigma: (z) => z, prime: () => 1 },
  };
  function softmax(a) {
    const shift = Math.max(...a);
    const e = a.map((v) => Math.exp(v - shift));
    const total = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / total);
  }
  const GRADIENTS = { // ∇ₐC for one sample's outputs a and target y (a row, or a class index)
    quadratic: (a, y) => a.map((v, k) => v - y[k]),
    mse: (a, y) => a.map((v, k) => (2 * (v - y[k])) / a.length),
    binary_cross_entropy: (a, y) => a.map((v, k) => -y[k] / v + (1 - y[k]) / (1 - v)),
    binary_cross_entropy_with_logits: (a, y) => a.map((v, k) => sigmoid(v) - y[k]),
    softmax_cross_entropy: (a, y) => softmax(a).map((p, k) => p - (k === y ? 1 : 0)),
    hinge: (a, y) => a.map((v, k) => (1 - y[k] * v > 0 ? -y[k] : 0)),
  };

  function decode(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const numbers = new Float64Array(bytes.length / 8);
    for (let i = 0; i < numbers.length; i++) numbers[i] = view.getFloat64(8 * i, true);
    return numbers;
  }

  const runs = data.runs.map((run, k) => prepare(run, k));

  function prepare(run, k) {
    const layers = [];
    let offset = 0;
    for (let l = 1; l < run.sizes.length; l++) {
      const nin = run.sizes[l - 1], nout = run.sizes[l];
      const act = ACTIVATIONS[run.activations[l - 1]];
      layers.push({ nin, nout, w: offset, b: offset + nout * nin, sigma: act.sigma, prime: act.prime });
      offset += nout * nin + nout;
    }
    const params = decode(run.params);
    let largestWeight = 0;
    for (let s = 0; s < run.epochs.length; s++) {
      layers.forEach((L) => {
        for (let i = 0; i < L.nout * L.nin; i++) {
          const w = Math.abs(params[s * offset + L.w + i]);
          if (w > largestWeight && isFinite(w)) largestWeight = w;
        }
      });
    }
    const element = document.getElementById("run" + k);
    return {
      ...run, k, layers, params, stride: offset, largestWeight: largestWeight || 1, element,
      svg: element.querySelector(".diagram svg"),
      x: run.x.map((row) => row.map(Number)),
      y: run.y.map((t) => (Array.isArray(t) ? t.map(Number) : t)),
      cost: run.cost.map(Number), accuracy: run.accuracy.map((v) => (v === null ? null : Number(v))),
      deltaNorms: run.deltaNorms.map((row) => row.map(Number)),
      gradient: GRADIENTS[run.loss],
      sampleScale: new Map(), meanCache: new Map(), selectedNeuron: null,
    };
  }

  // The forward pass for input x with the weights of snapshot s: z and a of every layer.
  function forward(run, s, x) {
    const P = run.params, base = s * run.stride, z = [], a = [];
    let previous = x;
    for (const L of run.layers) {
      const zl = new Array(L.nout), al = new Array(L.nout);
      for (let j = 0; j < L.nout; j++) {
        let total = 0;
        const row = base + L.w + j * L.nin;
        for (let i = 0; i < L.nin; i++) total += P[row + i] * previous[i];
        zl[j] = total + P[base + L.b + j];
        al[j] = L.sigma(zl[j]);
      }
      z.push(zl); a.push(al);
      previous = al;
    }
    return { z, a };
  }

  // Then BP1 and BP2: δ of every layer for that sample's own cost.
  function pass(run, s, p) {
    const { z, a } = forward(run, s, run.x[p]);
    const last = run.layers.length - 1;
    const delta = new Array(run.layers.length);
    const gradA = run.gradient(a[last], run.y[p]);
    delta[last] = gradA.map((g, j) => g * run.layers[last].prime(z[last][j], a[last][j]));  // BP1
    const upstream = new Array(run.layers.length);  // ∂C/∂aˡ: ∇ₐC at the output, Σₖ wₖⱼ δₖ below
    upstream[last] = gradA;
    for (let l = last - 1; l >= 0; l--) {
      const above = run.layers[l + 1], base = s * run.stride + above.w;
      upstream[l] = new Array(run.layers[l].nout).fill(0);
      for (let k = 0; k < above.nout; k++) {
        for (let j = 0; j < above.nin; j++) upstream[l][j] += run.params[base + k * above.nin + j] * delta[l + 1][k];
      }
      delta[l] = upstream[l].map((g, j) => g * run.layers[l].prime(z[l][j], a[l][j]));  // BP2
    }
    return { z, a, delta, upstream };
  }

  const largest = (rows) => // the largest finite |v| in a list of rows
    rows.reduce((m, row) => row.reduce((n, v) => (isFinite(v) ? Math.max(n, Math.abs(v)) : n), m), 0);

  function snapshotAt(run, epoch) { // the last recorded snapshot at or before epoch
    let s = 0;
    while (s + 1 < run.epochs.length && run.epochs[s + 1] <= epoch) s++;
    return s;
  }

  function meanDeltas(run, s) { // mean |δ| of every neuron over the probe samples
    if (!run.meanCache.has(s)) {
      const sums = run.layers.map((L) => new Array(L.nout).fill(0));
      for (let p = 0; p < run.x.length; p++) {
        pass(run, s, p).delta.forEach((row, l) => row.forEach((d, j) => { sums[l][j] += Math.abs(d) / run.x.length; }));
      }
      run.meanCache.set(s, sums);
    }
    return run.meanCache.get(s);
  }

  function runScale(run, p, mode) { // the largest |δ| over the whole run, for the fills
    const key = mode + ":" + p;
    if (!run.sampleScale.has(key)) {
      let m = 0;
      for (let s = 0; s < run.epochs.length; s++) {
        m = Math.max(m, largest(mode === "mean" ? meanDeltas(run, s) : pass(run, s, p).delta));
      }
      run.sampleScale.set(key, m);
    }
    return run.sampleScale.get(key);
  }

  // --- formats and colours, as viz/style.py writes them -----------------------------------------
  function g4(x) { // Python's f"{x:.4g}" (and 0 for −0)
    if (x !== x) return "nan";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    const [mantissa, exp] = x.toExponential(3).split("e");
    const e = Number(exp);
    const strip = (t) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
    if (e < -4 || e >= 4) return strip(mantissa) + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
    return strip(x.toFixed(3 - e));
  }
  const hex = (rgb) => "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");
  function gradientColour(g, scale) {
    if (!isFinite(g)) return colours.notFinite;
    if (!(scale > 0) || !isFinite(scale) || g === 0) return hex(colours.zero);
    const t = Math.min(Math.abs(g) / scale, 1), end = g > 0 ? colours.positive : colours.negative;
    return hex(colours.zero.map((z, i) => Math.round(z + (end[i] - z) * t)));
  }
  const signColour = (w) => (w > 0 ? hex(colours.positive) : w < 0 ? hex(colours.negative) : "#999999");
  const CLASSES = ["#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#4d4d4d"];
  const LIGHT = [[209, 229, 240], [253, 219, 199], [217, 240, 211], [231, 212, 232], [254, 224, 182], [224, 224, 224]];

  // --- the network diagram ----------------------------------------------------------------------
  function fitDiagram(run) { // as large as the column allows, never above its natural size
    const box = run.svg.viewBox.baseVal, column = run.svg.parentElement.clientWidth;
    const tallest = window.innerHeight * (runs.length > 1 ? 0.5 : 0.8);
    const scale = Math.min(column / box.width, tallest / box.height, 1.33);
    run.svg.style.width = Math.floor(box.width * scale) + "px";  // the height follows the viewBox
  }

  function setUpDiagram(run) {
    run.svg.removeAttribute("width");  // sized by fitDiagram once every panel is in place
    run.svg.removeAttribute("height");
    run.cells = run.neurons.map((layer) => layer.map((n) => {
      const group = run.svg.querySelector("#" + CSS.escape(n.group));
      const shape = group.querySelector("ellipse, polygon, path");
      shape.setAttribute("data-label", n.label);
      const text = (id) => run.svg.querySelector("#" + CSS.escape(id) + " text");
      const title = group.querySelector("title");
      group.addEventListener("click", () => { run.selectedNeuron = n; render(); });
      return { group, shape, title, z: text(n.z), a: text(n.a), delta: text(n.delta), label: n.label };
    }));
    const lastText = (id) => Array.from(run.svg.querySelector("#" + CSS.escape(id)).querySelectorAll("text")).at(-1);
    run.inputTexts = run.inputs.map(lastText);  // an input's value, under its name
    run.edges = run.weights.map((layer) => layer.map((row) => row.map((id) => {
      const edge = run.svg.querySelector("#" + CSS.escape(id));
      return { path: edge.querySelector("path"), title: edge.querySelector("title") };
    })));
  }

  function drawDiagram(run, s, p, result, fills, scale) {
    run.inputTexts.forEach((text, i) => { text.textContent = g4(run.x[p][i]); });
    run.cells.forEach((layer, l) => layer.forEach((cell, j) => {
      const z = result.z[l][j], a = result.a[l][j], d = result.delta[l][j];
      cell.shape.setAttribute("fill", gradientColour(fills[l][j], scale));
      cell.shape.setAttribute("data-delta", String(d));
      cell.shape.setAttribute("data-z", String(z));
      cell.shape.setAttribute("data-a", String(a));
      cell.z.textContent = "z " + g4(z);
      cell.a.textContent = "a " + g4(a);
      cell.delta.textContent = "δ " + g4(d);
      const name = cell.label.slice(1);
      cell.title.textContent = `z${name} = ${z}\na${name} = ${a}\nδ = ∂C/∂z = ${d}`;
      cell.group.classList.toggle("selected", run.selectedNeuron !== null && run.selectedNeuron.label === cell.label);
    }));
    run.edges.forEach((layer, l) => layer.forEach((row, j) => row.forEach((edge, i) => {
      const L = run.layers[l], w = run.params[s * run.stride + L.w + j * L.nin + i];
      edge.path.setAttribute("stroke", signColour(w));
      edge.path.setAttribute("stroke-width", (0.4 + 3.6 * Math.min(Math.abs(w) / run.largestWeight, 1)).toFixed(2));
      edge.title.textContent = `w[${l + 1}][${j},${i}] = ${w}`;
    })));
  }

  // --- the decision boundary --------------------------------------------------------------------
  function setUpPlane(run) {
    const figure = run.element.querySelector(".boundary");
    if (!figure) return;
    const xs = run.x.map((r) => r[0]), ys = run.x.map((r) => r[1]);
    const pad = (lo, hi) => { const m = 0.1 * (hi - lo || 1); return [lo - m, hi + m]; };
    run.plane = { canvas: figure.querySelector("canvas"), points: figure.querySelector("svg"),
      x: pad(Math.min(...xs), Math.max(...xs)), y: pad(Math.min(...ys), Math.max(...ys)) };
    const { x: [x0, x1], y: [y0, y1] } = run.plane;
    run.plane.dots = run.x.map((row, p) => {
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", (row[0] - x0) / (x1 - x0));
      dot.setAttribute("cy", 1 - (row[1] - y0) / (y1 - y0));
      dot.setAttribute("r", "0.013");
      dot.setAttribute("fill", CLASSES[run.classes[p] % CLASSES.length]);
      dot.setAttribute("data-sample", String(run.rows[p]));
      dot.addEventListener("click", () => selectSample(run.rows[p]));
      const title = document.createElementNS(SVG, "title");
      title.textContent = `sample #${run.rows[p]}: x = (${g4(row[0])}, ${g4(row[1])})`;
      dot.appendChild(title);
      run.plane.points.appendChild(dot);
      return dot;
    });
  }

  function drawPlane(run, s, p) {
    if (!run.plane) return;
    const n = data.grid, { canvas, x: [x0, x1], y: [y0, y1] } = run.plane;
    const context = canvas.getContext("2d"), cell = canvas.width / n;
    const decided = [], strength = [];
    let strongest = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const x = [x0 + ((c + 0.5) / n) * (x1 - x0), y1 - ((r + 0.5) / n) * (y1 - y0)];
        const out = forward(run, s, x).a.at(-1);
        let k, t;
        if (out.length === 1) { k = out[0] > run.threshold ? 1 : 0; t = Math.abs(out[0] - run.threshold); }
        else { k = out.indexOf(Math.max(...out)); t = 1; }
        decided.push(k); strength.push(isFinite(t) ? t : 0);
        if (isFinite(t)) strongest = Math.max(strongest, t);
      }
    }
    for (let i = 0; i < n * n; i++) {
      const r = Math.floor(i / n), c = i % n, k = decided[i];
      const t = 0.35 + 0.65 * Math.min(strength[i] / (strongest || 1), 1);  // paler near the boundary
      context.fillStyle = hex(LIGHT[k % LIGHT.length].map((v) => Math.round(255 + (v - 255) * t)));
      context.fillRect(c * cell, r * cell, cell, cell);
    }
    context.fillStyle = "#333333";  // the boundary: a thin line between cells of different classes
    for (let i = 0; i < n * n; i++) {
      const r = Math.floor(i / n), c = i % n;
      if (c + 1 < n && decided[i + 1] !== decided[i]) context.fillRect((c + 1) * cell - 1, r * cell, 2, cell);
      if (r + 1 < n && decided[i + n] !== decided[i]) context.fillRect(c * cell, (r + 1) * cell - 1, cell, 2);
    }
    run.plane.dots.forEach((dot, q) => dot.classList.toggle("selected", q === p));
  }

  // --- the curves -------------------------------------------------------------------------------
  const CHART = { width: 320, height: 104, left: 46, right: 30, top: 6, bottom: 16 };
  const LAYERS = ["#6a51a3", "#2171b5", "#238b45", "#d94801", "#cb181d", "#525252"];
  const maxEpoch = stops[stops.length - 1] || 1;

  function range(values, log) {
    const finite = values.filter((v) => v !== null && isFinite(v) && (!log || v > 0));
    if (!finite.length) return null;
    let lo = Math.min(...finite), hi = Math.max(...finite);
    if (lo === hi) { lo = log ? lo / 2 : lo - 1; hi = log ? hi * 2 : hi + 1; }
    return { lo, hi, log };
  }
  function yOf(r, v) {
    const f = r.log ? (Math.log(v) - Math.log(r.lo)) / (Math.log(r.hi) - Math.log(r.lo)) : (v - r.lo) / (r.hi - r.lo);
    return CHART.top + (1 - f) * (CHART.height - CHART.top - CHART.bottom);
  }
  const xOf = (epoch) => CHART.left + (epoch / maxEpoch) * (CHART.width - CHART.left - CHART.right);

  function element(name, attributes, parent, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function chart(svg, r, series) { // series: [{values, colour, label}], one value per recorded epoch
    svg.setAttribute("viewBox", `0 0 ${CHART.width} ${CHART.height}`);
    const bottom = CHART.height - CHART.bottom;
    element("line", { x1: CHART.left, x2: CHART.width - CHART.right, y1: bottom, y2: bottom, class: "axis" }, svg);
    element("line", { x1: CHART.left, x2: CHART.left, y1: CHART.top, y2: bottom, class: "axis" }, svg);
    element("text", { x: CHART.left - 3, y: CHART.top + 7, class: "tick end" }, svg, g4(r.hi));
    element("text", { x: CHART.left - 3, y: bottom, class: "tick end" }, svg, g4(r.lo));
    element("text", { x: CHART.left, y: CHART.height - 3, class: "tick" }, svg, "0");
    element("text", { x: CHART.width - CHART.right, y: CHART.height - 3, class: "tick end" }, svg, "epoch " + maxEpoch);
    series.forEach(({ values, colour, label, epochs }) => {
      const points = values.map((v, s) => [epochs[s], v]).filter(([, v]) => v !== null && isFinite(v) && (!r.log || v > 0));
      element("polyline", { points: points.map(([e, v]) => `${xOf(e).toFixed(1)},${yOf(r, v).toFixed(1)}`).join(" "),
        fill: "none", stroke: colour, "stroke-width": 1.5 }, svg);
      if (label && points.length) {
        const [e, v] = points[points.length - 1];
        element("text", { x: xOf(e) + 3, y: yOf(r, v) + 3, class: "tick", fill: colour }, svg, label);
      }
    });
    return element("line", { y1: CHART.top, y2: bottom, class: "cursor" }, svg);
  }

  const SUPERSCRIPT = (n) => String(n).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d]);
  function setUpCharts() {
    const shared = (pick, log) => range(runs.flatMap(pick), log);
    const costLog = runs.every((run) => run.cost.every((v) => v > 0));
    const costRange = shared((run) => run.cost, costLog);
    const accuracyRange = { lo: 0, hi: 1, log: false };
    const normRange = shared((run) => run.deltaNorms.flat(), true);
    runs.forEach((run) => {
      run.cursors = [];
      const svgOf = (name) => run.element.querySelector(`.chart.${name} svg`);
      const line = (values) => [{ values, colour: "#333333", epochs: run.epochs }];
      if (costRange) run.cursors.push(chart(svgOf("cost"), costRange, line(run.cost)));
      if (run.accuracy.some((v) => v !== null)) {
        run.cursors.push(chart(svgOf("accuracy"), accuracyRange, line(run.accuracy)));
      } else {
        run.element.querySelector(".chart.accuracy").hidden = true;
      }
      if (normRange) {
        const series = run.layers.map((_, l) => ({
          values: run.deltaNorms.map((row) => row[l]), colour: LAYERS[l % LAYERS.length],
          label: "δ" + SUPERSCRIPT(l + 1), epochs: run.epochs,
        }));
        run.cursors.push(chart(svgOf("norms"), normRange, series));
      }
    });
  }

  // --- what the page shows for the current epoch and sample ---------------------------------------
  let selectedRow = hardest(runs[0]);

  function hardest(run) { // the sample the trained network gets most wrong: the largest |δᴸ| at the end
    const s = run.epochs.length - 1;
    let best = 0, most = -1;
    run.x.forEach((_, p) => {
      const d = largest([pass(run, s, p).delta.at(-1)]);
      if (d > most) { most = d; best = p; }
    });
    return run.rows[best];
  }

  function positionOf(run) {
    const p = run.rows.indexOf(selectedRow);
    return p >= 0 ? p : 0;
  }

  function render() {
    const epoch = stops[stop];
    slider.value = String(epoch);
    epochLabel.textContent = `epoch ${epoch} of ${maxEpoch}`;
    const mode = fillSelect.value;
    const states = runs.map((run) => {
      const s = snapshotAt(run, epoch), p = positionOf(run), result = pass(run, s, p);
      const fills = mode === "mean" ? meanDeltas(run, s) : result.delta;
      return { run, s, p, result, fills };
    });
    const scale = Math.max(...states.map(({ run, p, fills }) =>
      (scaleSelect.value === "run" ? runScale(run, p, mode) : largest(fills))));
    document.getElementById("scale-low").textContent = g4(-scale);
    document.getElementById("scale-high").textContent = g4(scale);
    states.forEach(({ run, s, p, result, fills }) => {
      drawDiagram(run, s, p, result, fills, scale);
      drawPlane(run, s, p);
      run.cursors.forEach((cursor) => ["x1", "x2"].forEach((end) => cursor.setAttribute(end, xOf(run.epochs[s]))));
      run.element.querySelector(".readout").textContent = readout(run, s, p, result);
    });
    sampleSelect.value = String(selectedRow);
    if (stop >= stops.length - 1 && timer) pause();
  }

  function readout(run, s, p, result) {
    const last = result.a.length - 1, target = run.y[p], list = (values) => values.map(g4).join(", ");
    const accuracy = run.accuracy[s] === null ? "" : `, accuracy ${(100 * run.accuracy[s]).toFixed(1)}%`;
    const lines = [
      `weights after ${run.epochs[s]} epochs: training cost ${g4(run.cost[s])}${accuracy}`,
      `sample #${run.rows[p]}: x = (${list(run.x[p])}), y = ${Array.isArray(target) ? list(target) : target}`,
      `output aᴸ = ${list(result.a[last])};  δᴸ = ∇ₐC ⊙ σ′(zᴸ) = ${list(result.delta[last])}`,
    ];
    const n = run.selectedNeuron;
    if (n) {
      const [l, j] = n.label.match(/\d+/g).map(Number);
      const z = result.z[l - 1][j], a = result.a[l - 1][j], d = result.delta[l - 1][j];
      const prime = run.layers[l - 1].prime(z, a), up = result.upstream[l - 1][j];
      const where = l - 1 === last ? "∂C/∂a" : "Σₖ wₖⱼ δₖ";
      lines.push(`${n.label}: z = ${g4(z)}, a = σ(z) = ${g4(a)}, σ′(z) = ${g4(prime)}`,
        `  δ = (${where}) · σ′(z) = ${g4(up)} × ${g4(prime)} = ${g4(d)}  (${l - 1 === last ? "BP1" : "BP2"});`
        + "  ∂C/∂b = δ (BP3)");
    } else {
      lines.push("click a neuron for its δ worked out");
    }
    return lines.join("\n");
  }

  function go(k) { stop = Math.max(0, Math.min(stops.length - 1, k)); render(); }
  function selectSample(row) { selectedRow = row; render(); }
  function play() {
    if (stop >= stops.length - 1) go(0);
    playButton.textContent = "❚❚ Pause";
    timer = setInterval(() => go(stop + 1), data.interval / Number(speedSelect.value));
  }
  function pause() {
    clearInterval(timer);
    timer = null;
    playButton.textContent = "▶ Play";
  }

  // --- controls -----------------------------------------------------------------------------------
  const rows = [...new Set(runs.flatMap((run) => run.rows))].sort((a, b) => a - b);
  sampleSelect.innerHTML = rows.map((row) => `<option value="${row}">#${row}</option>`).join("");
  runs.forEach((run) => { setUpDiagram(run); setUpPlane(run); });
  setUpCharts();
  runs.forEach(fitDiagram);
  playButton.addEventListener("click", () => (timer ? pause() : play()));
  speedSelect.addEventListener("change", () => { if (timer) { pause(); play(); } });
  sampleSelect.addEventListener("change", () => selectSample(Number(sampleSelect.value)));
  fillSelect.addEventListener("change", render);
  window.addEventListener("resize", () => runs.forEach(fitDiagram));
  scaleSelect.addEventListener("change", render);
  function fromSlider() { // snap to the nearest recorded epoch
    pause();
    const e = Number(slider.value);
    let best = 0;
    stops.forEach((epoch, k) => { if (Math.abs(epoch - e) < Math.abs(stops[best] - e)) best = k; });
    go(best);
  }
  slider.addEventListener("input", fromSlider);
  slider.addEventListener("change", fromSlider);  // a script that sets the value and sends only "change"
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLSelectElement) return; // a select's own arrows
    if (event.key === "ArrowRight") { pause(); go(stop + 1); }
    else if (event.key === "ArrowLeft") { pause(); go(stop - 1); }
    else if (event.key === "Home") { pause(); go(0); }
    else if (event.key === "End") { pause(); go(stops.length - 1); }
    else if (event.key === " ") { timer ? pause() : play(); }
    else return;
    event.preventDefault();
  });
  go(0);
})();
