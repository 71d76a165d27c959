// Reads a /graph answer on stdin and loads it into the library it is meant for; prints
// what the library holds afterwards as JSON, or fails with the library's own error.
import cytoscape from "cytoscape";
import { forceLink, forceSimulation } from "d3-force";

const kind = process.argv[2];
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const answer = JSON.parse(Buffer.concat(chunks).toString("utf8"));

if (kind === "cytoscape") {
  const cy = cytoscape({ headless: true, elements: answer.elements, layout: { name: "preset" } });
  console.log(JSON.stringify({
    nodes: cy.nodes().map((n) => n.id()).sort(),
    edges: cy.edges().map((e) => [e.id(), e.source().id(), e.target().id()]).sort(),
  }));
} else if (kind === "d3") {
  const simulation = forceSimulation(answer.nodes)
    .force("link", forceLink(answer.links).id((d) => d.id))
    .stop();
  simulation.tick(1);
  console.log(JSON.stringify({
    nodes: simulation.nodes().map((n) => n.id).sort(),
    edges: answer.links.map((l) => [l.id, l.source.id, l.target.id]).sort(),
  }));
} else {
  throw new Error(`unknown library ${kind}`);
}
