// The lineage picture: reads the page's lineage.json (already filtered for the caller's role)
// and draws it with cytoscape.js. Click a node to open its page.
(function () {
  "use strict";
  const form = document.getElementById("lineage-form");
  if (!form) return;
  const canDraw = typeof cytoscape !== "undefined";  // the vendored library, if installed
  const text = JSON.parse(document.getElementById("lineage-text").textContent);
  const status = document.getElementById("lineage-status");
  const tbody = document.querySelector("#lineage-table tbody");
  const COLORS = {resource: "#0b4f8a", item: "#6a3d9a", system: "#1d6b32", department: "#8a5300",
                  responsibility: "#5a6470"};
  let cy = null;

  function row(n) {
    const tr = document.createElement("tr");
    const td = (t) => { const c = document.createElement("td"); c.textContent = t; return c; };
    const name = document.createElement("td");
    const a = document.createElement("a"); a.href = n.url; a.textContent = n.label;
    name.appendChild(a);
    if (n.below_upstream) { const w = document.createElement("span"); w.className = "missed"; w.textContent = " ⚠ " + text.below; name.appendChild(w); }
    tr.append(name, td(n.kind_label + " " + n.code), td(String(n.depth)), td(n.sensitivity || ""), td(n.upstream_sensitivity || ""));
    tr.children[2].className = "num";
    return tr;
  }

  async function draw() {
    const params = new URLSearchParams(new FormData(form));
    status.textContent = text.loading;
    const url = form.dataset.url;
    const r = await fetch(url + (url.includes("?") ? "&" : "?") + params.toString(), {headers: {Accept: "application/json"}});
    if (!r.ok) { status.textContent = text.failed + " (" + r.status + ")"; return; }
    const data = await r.json();
    if (!canDraw) {  // no picture: the same answer as a table
      document.getElementById("cy").hidden = true;
      document.getElementById("lineage-table-wrap").open = true;
      tbody.innerHTML = "";
      data.nodes.forEach((n) => tbody.appendChild(row(n)));
      status.textContent = text.nopicture + " · " + data.nodes.length + " " + text.nodes
        + (data.truncated ? " · " + text.truncated : "");
      document.getElementById("cy").dataset.ready = String(Date.now());
      return;
    }
    const elements = [];
    data.nodes.forEach((n) => elements.push({group: "nodes", data: {
      id: n.id, label: (n.below_upstream ? "⚠ " : "") + n.label, url: n.url, kind: n.kind,
      color: COLORS[n.kind] || "#444", root: n.root ? 1 : 0, below: n.below_upstream ? 1 : 0,
      cycle: n.in_cycle ? 1 : 0, code: n.code}}));
    data.edges.forEach((e) => elements.push({group: "edges", data: {
      id: e.id, source: e.source, target: e.target, type: e.type, cycle: e.in_cycle ? 1 : 0,
      evidence: e.evidence || "DECLARED"}}));
    const big = data.nodes.length > 80;
    const depthOf = {};
    data.nodes.forEach((n) => { depthOf[n.id] = n.depth; });
    if (cy) cy.destroy();
    cy = cytoscape({
      container: document.getElementById("cy"), elements: elements,
      minZoom: 0.1, maxZoom: 3,
      style: [
        {selector: "node", style: {"background-color": "data(color)", label: "data(label)",
          "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, color: "#1b1f24",
          "text-wrap": "ellipsis", "text-max-width": 120, width: 18, height: 18,
          "font-family": "Noto Sans CJK SC, sans-serif", "min-zoomed-font-size": big ? 9 : 0}},
        {selector: "node[root = 1]", style: {width: 28, height: 28, "border-width": 3,
          "border-color": "#ffbf47", "font-weight": "bold"}},
        {selector: "node[below = 1]", style: {"border-width": 3, "border-style": "dashed",
          "border-color": "#d62728"}},
        {selector: "node[cycle = 1]", style: {shape: "diamond"}},
        {selector: "edge", style: {width: 1.4, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8}},
        {selector: "edge[evidence = 'OBSERVED']", style: {"line-style": "dashed", "line-color": "#e07b00",
          "target-arrow-color": "#e07b00", width: 2}},
        {selector: "edge[evidence = 'BOTH']", style: {"line-color": "#2b6cb0", "target-arrow-color": "#2b6cb0", width: 2.2}},
        {selector: "edge[cycle = 1]", style: {"line-color": "#d62728", "target-arrow-color": "#d62728", width: 2.4}},
      ],
      // a tree for a small answer; rings by depth (the root in the middle) for a large one
      layout: big ? {name: "concentric", concentric: (n) => 100 - depthOf[n.id()],
                     levelWidth: () => 1, minNodeSpacing: 4, padding: 20, animate: false}
                  : {name: "breadthfirst", directed: false, roots: [data.root],
                     spacingFactor: 1.05, padding: 20, animate: false},
      textureOnViewport: big, hideEdgesOnViewport: big,
    });
    cy.on("tap", "node", (ev) => { window.location.href = ev.target.data("url"); });
    cy.on("mouseover", "node", () => { document.getElementById("cy").style.cursor = "pointer"; });
    cy.on("mouseout", "node", () => { document.getElementById("cy").style.cursor = ""; });
    window.yishuCy = cy;
    let msg = data.nodes.length + " " + text.nodes + " · " + data.edges.length + " " + text.edges;
    if (data.total_nodes > data.nodes.length) msg = text.shown.replace("%d", data.nodes.length).replace("%t", data.total_nodes.toLocaleString()) + " · " + msg;
    if (data.cycles) msg += " · " + data.cycles + " " + text.cycles;
    status.textContent = msg;
    if (data.truncated) {
      const t = document.createElement("span"); t.className = "truncated"; t.textContent = " · " + text.truncated;
      status.appendChild(t);
    }
    tbody.innerHTML = "";
    data.nodes.forEach((n) => tbody.appendChild(row(n)));
    document.getElementById("cy").dataset.ready = String(Date.now());
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); draw(); });
  draw();
})();
