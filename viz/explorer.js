// The backward explorer's player. Every number it shows was computed in Python by replaying
// the engine's backward pass (autograd_tiny/viz/backward_replay.py); this script only decides, for the
// current frame, which of those precomputed texts and colours each element shows.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("explorer-data").textContent);
  const svg = document.querySelector("#drawing svg");
  const slider = document.getElementById("slider");
  const frameLabel = document.getElementById("frame");
  const explanation = document.getElementById("explanation");
  const details = document.getElementById("details");
  const playButton = document.getElementById("play");
  const frames = data.mode === "graph" ? data.steps.length : data.frames.length;
  let frame = 0;
  let timer = null;
  let selected = null;

  // Every element id comes from Python (autograd_tiny/viz/ids.py); this script builds none.
  const byId = (id) => svg.querySelector("#" + CSS.escape(id));
  const textOf = (cellId) => byId(cellId).querySelector("text");
  const shapes = (group) => Array.from(group.querySelectorAll("polygon, path, ellipse"))
    .filter((s) => s.getAttribute("fill") && s.getAttribute("fill") !== "none");
  const setFill = (group, colour) => shapes(group).forEach((s) => s.setAttribute("fill", colour));

  // Remember what Graphviz drew, so every frame can start from it.
  const original = new Map();
  svg.querySelectorAll("g.edge text").forEach((t) => original.set(t, t.textContent));

  function nodeState(k) {
    // The state after k steps: each value's status ("pending", "partial", "final") and text.
    const state = {};
    Object.keys(data.nodes).forEach((id) => { state[id] = { status: "pending", text: "?", fill: "#ffffff" }; });
    const sentEdges = new Map();
    for (let s = 0; s < k; s++) {
      const step = data.steps[s];
      state[step.node] = { status: "final", text: step.grad, fill: step.fill };
      step.sends.forEach((send) => {
        sentEdges.set(send.edge, send.label);
        if (state[send.target].status !== "final") {
          state[send.target] = { status: "partial", text: "Σ " + send.running, fill: "#eeeeee" };
        }
      });
    }
    return { state, sentEdges };
  }

  function renderGraph(k) {
    const { state, sentEdges } = nodeState(k);
    Object.entries(data.nodes).forEach(([id, node]) => {
      const group = byId(node.element);
      if (!group) return;
      textOf(node.gradText).textContent = node.gradPrefix + state[id].text;
      setFill(group, state[id].fill);
      group.classList.toggle("final", state[id].status === "final");
      group.classList.toggle("partial", state[id].status === "partial");
      group.classList.remove("current");
    });
    svg.querySelectorAll("g.edge").forEach((edge) => {
      const label = edge.querySelector("text");
      edge.classList.remove("active");
      edge.classList.toggle("sent", sentEdges.has(edge.id));
      if (label) label.textContent = sentEdges.has(edge.id) ? sentEdges.get(edge.id) : original.get(label);
    });
    if (k > 0) {
      const step = data.steps[k - 1];
      const current = byId(data.nodes[step.node].element);
      current.classList.add("current");
      current.scrollIntoView({ block: "nearest", inline: "nearest" });
      step.sends.forEach((send) => { const e = byId(send.edge); if (e) e.classList.add("active"); });
      explanation.textContent = step.text;
    } else {
      explanation.textContent = data.intro;
    }
    return state;
  }

  function renderNetwork(k) {
    const revealed = new Set(data.frames.slice(1, k + 1).map((f) => f.layer));
    const current = k > 0 ? data.frames[k].layer : null;
    Object.entries(data.neurons).forEach(([id, neuron]) => {
      const group = byId(id);
      const shown = revealed.has(neuron.layer);
      textOf(neuron.deltaText).textContent = "δ " + (shown ? neuron.delta : "?");
      setFill(group, shown ? neuron.fill : "#ffffff");
      group.classList.toggle("current", neuron.layer === current);
    });
    Object.entries(data.weights).forEach(([id, weight]) => {
      const edge = byId(id);
      edge.classList.toggle("known", revealed.has(weight.layer));
      const label = edge.querySelector("text");
      if (label) {
        label.textContent = weight.grad;
        label.style.visibility = revealed.has(weight.layer) ? "visible" : "hidden";
      }
    });
    explanation.textContent = data.frames[k].text;
  }

  function go(k) {
    frame = Math.max(0, Math.min(frames, k));
    if (data.mode === "graph") renderGraph(frame); else renderNetwork(Math.min(frame, frames - 1));
    slider.value = String(frame);
    frameLabel.textContent = "step " + frame + " of " + (data.mode === "graph" ? frames : frames - 1);
    if (selected) showDetails(selected);
    if (frame >= maxFrame() && timer) pause();
  }

  const maxFrame = () => (data.mode === "graph" ? frames : frames - 1);
  function play() {
    if (frame >= maxFrame()) go(0);
    playButton.textContent = "Pause";
    timer = setInterval(() => go(frame + 1), data.interval);
  }
  function pause() {
    clearInterval(timer);
    timer = null;
    playButton.textContent = "Play";
  }

  function showDetails(id) {
    selected = id;
    const node = data.nodes[id];
    if (!node) return;
    const { state } = nodeState(frame);
    const lines = [
      node.name,
      "operation: " + (node.op || "leaf (an input, a parameter or a constant)"),
      "value: " + node.data,
      (node.preactivation ? "δ = ∂C/∂z: " : "gradient: ") +
        (state[id].status === "final" ? state[id].text + " (final)"
          : state[id].status === "partial" ? state[id].text + " (running sum, not final yet)" : "not reached yet"),
    ];
    node.locals.forEach((local) => lines.push("∂" + node.name + "/∂" + local.input + " = " + local.value));
    details.textContent = lines.join("\n");
  }

  if (data.mode === "graph") {
    Object.entries(data.nodes).forEach(([id, node]) => {
      const group = byId(node.element);
      if (group) group.addEventListener("click", () => showDetails(id));
    });
  }
  document.getElementById("prev").addEventListener("click", () => { pause(); go(frame - 1); });
  document.getElementById("next").addEventListener("click", () => { pause(); go(frame + 1); });
  playButton.addEventListener("click", () => (timer ? pause() : play()));
  const zoomButton = document.getElementById("zoom");
  const drawingBox = document.getElementById("drawing");
  zoomButton.addEventListener("click", () => {
    const actual = drawingBox.classList.toggle("actual");
    zoomButton.textContent = actual ? "Fit" : "1:1";
  });
  // Open fitted to the window unless that would shrink the text below 3/4 of its size: then
  // at full size, scrolling (a wide graph in a notebook's frame would otherwise be unreadable).
  const svgElement = drawingBox.querySelector("svg");
  const naturalWidth = svgElement ? svgElement.width.baseVal.value : 0;
  if (naturalWidth > 0 && drawingBox.clientWidth / naturalWidth < 0.75) {
    drawingBox.classList.add("actual");
    zoomButton.textContent = "Fit";
  }
  slider.max = String(maxFrame());
  slider.addEventListener("input", () => { pause(); go(Number(slider.value)); });
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") { pause(); go(frame + 1); }
    else if (event.key === "ArrowLeft") { pause(); go(frame - 1); }
    else if (event.key === "Home") { pause(); go(0); }
    else if (event.key === "End") { pause(); go(maxFrame()); }
    else if (event.key === " ") { timer ? pause() : play(); }
    else return;
    event.preventDefault();
  });
  go(0);
})();
