// The partner network page: draws the co-delivery network (vis-network) from the page's
// JSON data block; clicking an organisation opens its page. Without JavaScript the drawing
// stays hidden and the static SVG and the tables say the same.
(function () {
  const container = document.getElementById("network");
  const data = JSON.parse(document.getElementById("network-data").textContent);
  container.hidden = false;
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const drawn = new vis.Network(container, { nodes, edges }, data.options);
  drawn.on("click", function (params) {
    const node = params.nodes.length ? nodes.get(params.nodes[0]) : null;
    if (node && node.url) { window.location.assign(node.url); }
  });
  window.hwbkgNetwork = { nodes, edges, network: drawn };
})();
