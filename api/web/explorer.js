// The graph explorer: draws what /graph answers with Cytoscape.js (window.cytoscape, which
// loads beside this module). The canvas is a function of the state in the address (seeds,
// expansions, filters, timeline, path, layout), so a link redraws the same picture.

const TERMS = JSON.parse(document.getElementById("terms").textContent);
const COLLAPSE = "signature,evidence";
const LAYOUTS = {
  cose: { randomize: false, nodeDimensionsIncludeLabels: true, idealEdgeLength: 90 },
  breadthfirst: { directed: false, spacingFactor: 1.2 },
  concentric: { minNodeSpacing: 30 },
  circle: {},
  grid: {},
};
// Kinds of node told apart in the drawing, by the first of their types that names one.
const KINDS = [
  ["ak:Instrument", "instrument"],
  ["ak:State", "state"],
  ["ak:Organization", "organization"],
  ["ak:Person", "person"],
  ["ak:Signature", "signature"],
  ["ak:Recital", "provision"],
  ["ak:Commitment", "provision"],
  ["ak:Evidence", "evidence"],
  ["ak:SourceDocument", "source"],
];
const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(short)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 130,
      "text-valign": "bottom", "text-margin-y": 3, color: "#1b1b1b",
      "background-color": "#8a99a8", width: 18, height: 18,
    },
  },
  { selector: ".instrument", style: { shape: "round-rectangle", width: 30, height: 22, "background-color": "#2b5d8a" } },
  { selector: ".state", style: { width: 26, height: 26, "background-color": "#2f7d4f" } },
  { selector: ".organization", style: { shape: "hexagon", width: 24, height: 24, "background-color": "#1f8a8a" } },
  { selector: ".person", style: { shape: "diamond", "background-color": "#c4711a" } },
  { selector: ".signature", style: { shape: "tag", "background-color": "#7b6aa8" } },
  { selector: ".provision", style: { shape: "rectangle", width: 14, height: 14, "background-color": "#9c7fb8" } },
  { selector: ".evidence", style: { width: 10, height: 10, "background-color": "#c3ccd5" } },
  { selector: ".source", style: { shape: "vee", "background-color": "#8a5a3b" } },
  { selector: ".seed", style: { "border-width": 3, "border-color": "#1b1b1b", "border-style": "double" } },
  {
    selector: "edge",
    style: {
      width: 1.5, "curve-style": "bezier", "line-color": "#b5c0cb",
      "target-arrow-shape": "triangle", "target-arrow-color": "#b5c0cb", "arrow-scale": 0.8,
    },
  },
  { selector: "edge.near", style: { label: "data(label)", "font-size": 8, "text-rotation": "autorotate", color: "#4a5866" } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffb000", "border-style": "solid" } },
  { selector: "node.on-path", style: { "border-width": 4, "border-color": "#c0392b", "border-style": "solid" } },
  {
    selector: "edge.on-path",
    style: { width: 4, "line-color": "#c0392b", "target-arrow-color": "#c0392b", label: "data(label)", "font-size": 8 },
  },
  { selector: ".hidden", style: { display: "none" } },
];

const $ = (selector) => document.querySelector(selector);
const state = readState(new URLSearchParams(location.search));
// The seeds' neighbourhood is asked for while Cytoscape.js loads: the first drawing waits
// for the slower of the two, not for one after the other.
let firstAnswer = state.seeds.length ? ask(neighborhood(state.seeds)) : null;
firstAnswer?.catch(() => {}); // a failure is reported when the drawing takes it
await loaded($("#cytoscape-library"));
const cy = window.cytoscape({ container: $("#canvas"), style: STYLE, minZoom: 0.1, maxZoom: 4 });
let capped = ""; // what the server's caps left out of the last answers, said in the status
let pathSteps = []; // the node ids of the path found, in order
let exported = null; // the object URL of the last export, revoked by the next

// The state and the address

function readState(params) {
  const year = (value) => (/^-?\d{1,4}$/.test(value ?? "") ? Number(value) : null);
  const path = params.getAll("path");
  return {
    seeds: unique(params.getAll("seed")),
    expanded: unique(params.getAll("expand")),
    hiddenTypes: new Set(params.getAll("hide-type")),
    hiddenPredicates: new Set(params.getAll("hide-predicate")),
    collapse: params.get("collapse") === "1",
    from: year(params.get("from")),
    to: year(params.get("to")),
    layout: Object.hasOwn(LAYOUTS, params.get("layout") ?? "") ? params.get("layout") : "cose",
    path: path.length === 2 ? path : [],
    selected: params.get("selected"),
  };
}

function writeState() {
  const params = new URLSearchParams();
  const all = (name, values) => values.forEach((value) => params.append(name, value));
  all("seed", state.seeds);
  all("expand", state.expanded);
  all("hide-type", [...state.hiddenTypes].sort());
  all("hide-predicate", [...state.hiddenPredicates].sort());
  if (state.collapse) params.set("collapse", "1");
  if (state.from !== null) params.set("from", state.from);
  if (state.to !== null) params.set("to", state.to);
  if (state.layout !== "cose") params.set("layout", state.layout);
  all("path", state.path);
  if (state.selected) params.set("selected", state.selected);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function loaded(script) {
  if (typeof window.cytoscape === "function") return Promise.resolve();
  return new Promise((resolve, reject) => {
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error(`${script.src} did not load`)));
  });
}

function neighborhood(seeds) {
  return `/graph/neighborhood?${new URLSearchParams(seeds.map((seed) => ["node", seed]))}`;
}

function unique(values) {
  return [...new Set(values)];
}

// The server

async function ask(path, options = {}) {
  const url = new URL(path, location.origin);
  if (state.collapse && url.pathname.startsWith("/graph/")) url.searchParams.set("collapse", COLLAPSE);
  const headers = { Accept: "application/json", ...(options.headers ?? {}) };
  const response = await fetch(url, { ...options, headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || body.error || response.statusText);
  return body;
}

function expansion(node) {
  return ask("/graph/expand", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ visible: cy.nodes().map((n) => n.id()), expand: [node] }),
  });
}

// One change at a time: each waits for the one before, and the drawing says it is busy.
let queue = Promise.resolve();
function run(task) {
  queue = queue.then(async () => {
    $("#drawing").setAttribute("aria-busy", "true");
    try {
      await task();
    } catch (error) {
      if (error.name !== "AbortError") say(`Could not draw: ${error.message}`, true);
    } finally {
      $("#drawing").setAttribute("aria-busy", "false");
    }
  });
  return queue;
}

// The drawing

function kindOf(types) {
  return KINDS.find(([type]) => types.includes(type))?.[1] ?? "other";
}

function shorten(label) {
  return label.length > 48 ? `${label.slice(0, 46)}…` : label;
}

function draw(answer) {
  const added = [];
  for (const node of answer.elements.nodes) {
    if (cy.getElementById(node.data.id).empty()) {
      added.push({
        group: "nodes",
        data: { ...node.data, short: shorten(node.data.label) },
        position: { ...node.position },
        classes: kindOf(node.data.types),
      });
    }
  }
  for (const edge of answer.elements.edges) {
    if (cy.getElementById(edge.data.id).empty()) added.push({ group: "edges", data: edge.data });
  }
  cy.add(added);
  const omitted = Object.entries(answer.meta.omitted ?? {}).filter(([, count]) => count > 0);
  if (omitted.length) {
    capped = `The server's caps left out ${omitted.map(([what, count]) => `${count} ${what}`).join(", ")}.`;
  }
}

async function rebuild() {
  cy.elements().remove();
  capped = "";
  pathSteps = [];
  if (state.seeds.length) {
    const answer = firstAnswer ?? ask(neighborhood(state.seeds));
    firstAnswer = null;
    draw(await answer);
    for (const node of state.expanded) draw(await expansion(node));
    if (state.path.length === 2) await drawPath(...state.path);
  }
  cy.nodes().filter((n) => state.seeds.includes(n.id())).addClass("seed");
  refresh();
  layout();
  if (state.selected && !cy.getElementById(state.selected).empty()) await showDetail(state.selected);
  else showNothing();
}

function layout() {
  const shown = cy.elements().not(".hidden");
  if (shown.empty()) return;
  shown.layout({ name: state.layout, animate: false, fit: true, padding: 30, ...LAYOUTS[state.layout] }).run();
}

async function expand(id) {
  if (state.seeds.includes(id) || state.expanded.includes(id)) return;
  state.expanded.push(id);
  draw(await expansion(id));
  refresh();
  layout();
}

async function addSeed(id) {
  if (!state.seeds.includes(id)) state.seeds.push(id);
  state.selected = id;
  await rebuild();
}

async function drawPath(source, target) {
  const answer = await ask(`/graph/paths?${new URLSearchParams({ source, target, k: "1" })}`);
  draw(answer);
  pathSteps = answer.meta.paths[0] ?? [];
  cy.elements().removeClass("on-path");
  const onPath = new Set(pathSteps);
  cy.nodes().filter((n) => onPath.has(n.id())).addClass("on-path");
  for (const edge of answer.elements.edges) cy.getElementById(edge.data.id).addClass("on-path");
}

// Filters: node types, predicates and the timeline hide elements; the path stays drawn.

const isInstrument = (node) => node.data("types").includes("ak:Instrument");
const isParty = (node) => node.data("types").includes("ak:Party");

function yearOf(node) {
  const date = node.data("properties")?.["ak:dateSigned"]?.[0] ?? "";
  const year = Number.parseInt(date.slice(0, date.startsWith("-") ? 5 : 4), 10);
  return Number.isFinite(year) ? year : null;
}

function inRange(year) {
  return (state.from === null || year >= state.from) && (state.to === null || year <= state.to);
}

// The instruments outside the timeline's range, and what hangs on them: the nodes reached
// from one without passing another instrument or a party (its signatures, provisions,
// signatories, evidence), unless an instrument in range (or undated) reaches them too.
function outOfTime() {
  const hidden = new Set();
  if (state.from === null && state.to === null) return hidden;
  const instruments = cy.nodes().filter(isInstrument);
  instruments.forEach((node) => {
    const year = yearOf(node);
    if (year !== null && !inRange(year)) hidden.add(node.id());
  });
  const owners = new Map();
  instruments.forEach((instrument) => {
    const seen = new Set([instrument.id()]);
    const frontier = [instrument];
    while (frontier.length) {
      frontier.shift().neighborhood("node").forEach((next) => {
        if (seen.has(next.id()) || isInstrument(next) || isParty(next)) return;
        seen.add(next.id());
        frontier.push(next);
        if (!owners.has(next.id())) owners.set(next.id(), []);
        owners.get(next.id()).push(instrument.id());
      });
    }
  });
  owners.forEach((instruments, id) => {
    if (!state.seeds.includes(id) && instruments.every((owner) => hidden.has(owner))) hidden.add(id);
  });
  return hidden;
}

function applyFilters() {
  const timeline = outOfTime();
  cy.batch(() => {
    cy.elements().removeClass("hidden");
    cy.nodes().forEach((node) => {
      const filtered = state.hiddenTypes.has(node.data("type")) || timeline.has(node.id());
      if (filtered && !node.hasClass("on-path")) node.addClass("hidden");
    });
    cy.edges().forEach((edge) => {
      const filtered = state.hiddenPredicates.has(edge.data("predicate")) && !edge.hasClass("on-path");
      if (filtered || edge.source().hasClass("hidden") || edge.target().hasClass("hidden")) edge.addClass("hidden");
    });
  });
}

// The controls drawn from what is on the canvas

function refresh() {
  applyFilters();
  const types = counted(cy.nodes(), (n) => n.data("type") ?? "untyped");
  const predicates = counted(cy.edges(), (e) => e.data("predicate"));
  renderChecks("#types .checks", types, state.hiddenTypes);
  renderChecks("#predicates .checks", predicates, state.hiddenPredicates, labelsOf(cy.edges()));
  renderTimeline();
  renderNodeList();
  renderPathChoices();
  const shown = cy.elements().not(".hidden");
  const hidden = cy.nodes(".hidden").length;
  if (cy.nodes().empty()) say("Nothing drawn yet: find a node by name.");
  else {
    say(
      `${shown.nodes().length} nodes and ${shown.edges().length} edges drawn` +
        (hidden ? `; ${hidden} nodes hidden by the filters.` : ".") + (capped ? ` ${capped}` : ""),
    );
  }
  writeState();
}

function say(text, warning = false) {
  $("#status").textContent = text;
  $("#status").classList.toggle("warning", warning);
}

function counted(elements, key) {
  const counts = new Map();
  elements.forEach((element) => counts.set(key(element), (counts.get(key(element)) ?? 0) + 1));
  return [...counts].sort(([a], [b]) => termLabel(a).localeCompare(termLabel(b)));
}

function labelsOf(edges) {
  const labels = new Map();
  edges.forEach((edge) => labels.set(edge.data("predicate"), edge.data("label")));
  return labels;
}

function termLabel(term, labels = new Map()) {
  return labels.get(term) ?? TERMS[term] ?? term;
}

// Re-renders a container's contents, giving focus back to the control it had (by key).
function keepingFocus(container, render) {
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  container.replaceChildren(...render());
  if (focused !== undefined) container.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function element(tag, attributes = {}, ...children) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) made.setAttribute(name, "");
    else if (value !== false && value !== undefined) made.setAttribute(name, value);
  }
  made.append(...children);
  return made;
}

function renderChecks(selector, counts, hidden, labels) {
  keepingFocus($(selector), () => {
    if (!counts.length) return [element("p", { class: "note" }, "Nothing drawn yet.")];
    return counts.map(([term, count]) => {
      const box = element("input", { type: "checkbox", "data-key": term, checked: !hidden.has(term) });
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(term);
        else hidden.add(term);
        refresh();
      });
      const counting = element("span", { class: "count" }, `(${count})`);
      return element("label", { class: "check" }, box, ` ${termLabel(term, labels)} `, counting);
    });
  });
}

function renderTimeline() {
  const years = new Map();
  cy.nodes().filter(isInstrument).forEach((node) => {
    const year = yearOf(node);
    if (year !== null) years.set(year, (years.get(year) ?? 0) + 1);
  });
  const fieldset = $("#timeline");
  const [from, to] = [$("#from-year"), $("#to-year")];
  fieldset.disabled = years.size === 0;
  const sorted = [...years.keys()].sort((a, b) => a - b);
  const [first, last] = [sorted[0] ?? 0, sorted.at(-1) ?? 0];
  for (const input of [from, to]) Object.assign(input, { min: first, max: last });
  from.value = Math.min(Math.max(state.from ?? first, first), last);
  to.value = Math.min(Math.max(state.to ?? last, first), last);
  $("#from-year-value").textContent = years.size ? from.value : "";
  $("#to-year-value").textContent = years.size ? to.value : "";
  $("#timeline-note").textContent = years.size
    ? "Instruments outside the years are hidden with what hangs on them; undated ones stay."
    : "No dated instrument is drawn.";
  const only = (year) => state.from === year && state.to === year;
  keepingFocus(fieldset.querySelector(".years"), () =>
    [
      yearButton("All years", "all", only(null), [null, null]),
      ...sorted.map((year) => yearButton(`${year} (${years.get(year)})`, String(year), only(year), [year, year])),
    ].map((button) => element("li", {}, button)),
  );
}

function yearButton(text, key, pressed, range) {
  const button = element("button", { type: "button", "data-key": key, "aria-pressed": String(pressed) }, text);
  button.addEventListener("click", () => {
    [state.from, state.to] = range;
    refresh();
  });
  return button;
}

function renderNodeList() {
  const nodes = cy.nodes().not(".hidden").sort((a, b) => a.data("label").localeCompare(b.data("label")));
  keepingFocus($("#node-list"), () =>
    nodes.map((node) => {
      const button = element(
        "button",
        { type: "button", "data-key": node.id(), "aria-pressed": String(node.id() === state.selected) },
        node.data("short"),
        " ",
        element("span", { class: "kind" }, termLabel(node.data("type") ?? "untyped")),
      );
      button.addEventListener("click", () => run(() => choose(node.id())));
      return element("li", { "data-id": node.id() }, button);
    }),
  );
}

function renderPathChoices() {
  const nodes = cy.nodes().not(".hidden").sort((a, b) => a.data("label").localeCompare(b.data("label")));
  for (const [select, chosen] of [[$("#path-from"), state.path[0]], [$("#path-to"), state.path[1]]]) {
    const value = select.value || chosen || "";
    select.replaceChildren(
      element("option", { value: "" }, "(choose a node)"),
      ...nodes.map((node) => element("option", { value: node.id() }, node.data("short"))),
    );
    select.value = nodes.some((n) => n.id() === value) ? value : "";
  }
  const labels = pathSteps.map((id) => cy.getElementById(id).data("short") ?? id);
  $("#path-result").textContent =
    state.path.length !== 2
      ? ""
      : labels.length
        ? `${labels.length - 1} steps: ${labels.join(" → ")}`
        : "No path of at most 5 steps between them.";
}

// Selecting a node: it is expanded and its details shown.

async function choose(id) {
  state.selected = id;
  await expand(id);
  await showDetail(id);
  refresh();
}

async function showDetail(id) {
  cy.elements().unselect().removeClass("near");
  const node = cy.getElementById(id);
  node.select();
  node.connectedEdges().addClass("near");
  const answer = await ask(`/graph/nodes/${id.split("/").map(encodeURIComponent).join("/")}`);
  renderDetail(answer.elements.nodes[0].data, answer.meta.degree ?? {});
}

function showNothing() {
  $("#detail-body").replaceChildren(element("p", { class: "note" }, "Select a node in the drawing or the list."));
}

function renderDetail(data, degree) {
  const kinds = data.types.map((type) => element("span", { class: "kind" }, termLabel(type)));
  const body = [element("h3", {}, data.label), element("p", {}, ...kinds)];
  if (!data.id.includes("://")) {
    body.push(element("p", {}, element("a", { href: `/id/${data.id}` }, "Its Linked Data page")));
  }
  const facts = element("dl", { class: "facts" });
  for (const [property, values] of Object.entries(data.properties)) {
    const shown = values.map((value) => TERMS[value] ?? value).join("; ");
    facts.append(element("dt", {}, termLabel(property)), element("dd", {}, shown));
  }
  if (data.links.length) {
    const links = data.links.map((href) => element("li", {}, element("a", { href, rel: "external" }, href)));
    facts.append(element("dt", {}, "Same as"), element("dd", {}, element("ul", {}, ...links)));
  }
  body.push(facts);
  const cells = (tag, attributes, ...texts) => texts.map((text) => element(tag, attributes, String(text)));
  const rows = Object.entries(degree).map(([predicate, counts]) =>
    element("tr", {}, ...cells("th", { scope: "row" }, termLabel(predicate)), ...cells("td", {}, counts.out, counts.in)),
  );
  if (rows.length) {
    const head = element("tr", {}, ...cells("th", { scope: "col" }, "Edge", "Out", "In"));
    const caption = element("caption", {}, "Neighbours by edge");
    body.push(element("table", { class: "degree" }, caption, element("thead", {}, head), element("tbody", {}, ...rows)));
  }
  body.push(
    element("p", {}, pathEnd("Path from here", "#path-from", data.id), " ", pathEnd("Path to here", "#path-to", data.id)),
  );
  $("#detail-body").replaceChildren(...body);
}

function pathEnd(text, selector, id) {
  const button = element("button", { type: "button" }, text);
  button.addEventListener("click", () => {
    $(selector).value = id;
    $(selector).focus();
  });
  return button;
}

// Search through the reconciliation suggest service

let searching = null;
let typing = 0;

function suggest() {
  clearTimeout(typing);
  typing = setTimeout(async () => {
    const prefix = $("#search-input").value.trim();
    searching?.abort();
    if (!prefix) return $("#suggestions").replaceChildren();
    searching = new AbortController();
    try {
      const found = await ask(`/reconcile/suggest/entity?${new URLSearchParams({ prefix })}`, { signal: searching.signal });
      renderSuggestions(found.result);
    } catch (error) {
      if (error.name !== "AbortError") say(`Search failed: ${error.message}`, true);
    }
  }, 150);
}

function renderSuggestions(results) {
  const items = results.map((result) => {
    const description = element("span", { class: "note" }, result.description ?? "");
    const button = element("button", { type: "button", "data-key": result.id }, result.name, " ", description);
    button.addEventListener("click", () => pick(result.id));
    return element("li", {}, button);
  });
  $("#suggestions").replaceChildren(...(items.length ? items : [element("li", { class: "note" }, "No match.")]));
}

function pick(id) {
  $("#search-input").value = "";
  $("#suggestions").replaceChildren();
  run(async () => {
    await addSeed(id);
    $(`#node-list li[data-id="${CSS.escape(id)}"] button`)?.focus();
  });
}

function moveAmongSuggestions(event) {
  const buttons = [...$("#suggestions").querySelectorAll("button")];
  const at = buttons.indexOf(document.activeElement);
  if (event.key === "ArrowDown" && buttons.length) buttons[Math.min(at + 1, buttons.length - 1)].focus();
  else if (event.key === "ArrowUp" && at > 0) buttons[at - 1].focus();
  else if (event.key === "ArrowUp" && at === 0) $("#search-input").focus();
  else if (event.key === "Escape") $("#suggestions").replaceChildren();
  else return;
  event.preventDefault();
}

// Export of what is drawn: the elements not hidden, as they are placed.

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
function xml(value) {
  return String(value ?? "").replace(NOT_IN_XML, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

// Attributes written for each node and edge besides its id, ends and label.
const NODE_FIELDS = {
  type: (n) => n.data("type") ?? "",
  types: (n) => n.data("types").join(" "),
  iri: (n) => n.data("iri"),
  dateSigned: (n) => n.data("properties")?.["ak:dateSigned"]?.[0] ?? "",
};
const EDGE_FIELDS = { predicate: (e) => e.data("predicate"), group: (e) => e.data("group") };
const ends = (e) => `source="${xml(e.source().id())}" target="${xml(e.target().id())}"`;

function gexf(nodes, edges) {
  const declared = (kind, fields) => {
    const each = Object.keys(fields).map((f) => `<attribute id="${f}" title="${f}" type="string"/>`);
    return `<attributes class="${kind}">${each.join("")}</attributes>`;
  };
  const values = (element, fields) => {
    const each = Object.entries(fields).map(([f, read]) => `<attvalue for="${f}" value="${xml(read(element))}"/>`);
    return `<attvalues>${each.join("")}</attvalues>`;
  };
  const node = (n) => {
    const { x, y } = n.position(); // Gephi's y axis points up, the canvas's down
    const place = `<viz:position x="${x.toFixed(3)}" y="${(-y).toFixed(3)}" z="0.0"/>`;
    return `<node id="${xml(n.id())}" label="${xml(n.data("label"))}">${values(n, NODE_FIELDS)}${place}</node>`;
  };
  const edge = (e) =>
    `<edge id="${xml(e.id())}" ${ends(e)} label="${xml(e.data("label"))}">${values(e, EDGE_FIELDS)}</edge>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
    `<meta><creator>accordkg graph explorer</creator><description>${xml(location.href)}</description></meta>`,
    '<graph defaultedgetype="directed" mode="static">',
    declared("node", NODE_FIELDS),
    declared("edge", EDGE_FIELDS),
    `<nodes>\n${nodes.map(node).join("\n")}\n</nodes>`,
    `<edges>\n${edges.map(edge).join("\n")}\n</edges>`,
    "</graph></gexf>",
  ].join("\n");
}

function graphml(nodes, edges) {
  const nodeFields = { label: (n) => n.data("label"), ...NODE_FIELDS };
  const edgeFields = { label: (e) => e.data("label"), ...EDGE_FIELDS };
  const keys = (kind, fields) =>
    Object.keys(fields).map((f) => `<key id="${kind}-${f}" for="${kind}" attr.name="${f}" attr.type="string"/>`);
  const values = (element, kind, fields) =>
    Object.entries(fields).map(([f, read]) => `<data key="${kind}-${f}">${xml(read(element))}</data>`).join("");
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...keys("node", nodeFields),
    ...keys("edge", edgeFields),
    '<graph id="accordkg" edgedefault="directed">',
    ...nodes.map((n) => `<node id="${xml(n.id())}">${values(n, "node", nodeFields)}</node>`),
    ...edges.map((e) => `<edge id="${xml(e.id())}" ${ends(e)}>${values(e, "edge", edgeFields)}</edge>`),
    "</graph></graphml>",
  ].join("\n");
}

function exportDrawn(format) {
  const shown = cy.elements().not(".hidden");
  const files = {
    gexf: () => new Blob([gexf(shown.nodes(), shown.edges())], { type: "application/gexf+xml" }),
    graphml: () => new Blob([graphml(shown.nodes(), shown.edges())], { type: "application/graphml+xml" }),
    png: () => cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }),
  };
  if (exported) URL.revokeObjectURL(exported);
  exported = URL.createObjectURL(files[format]());
  const link = element("a", { href: exported, download: `accordkg-graph.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
}

// Wiring

$("#search").addEventListener("submit", (event) => {
  event.preventDefault();
  $("#suggestions button")?.click();
});
$("#search-input").addEventListener("input", suggest);
$("#search").addEventListener("keydown", moveAmongSuggestions);
$("#layout").value = state.layout;
$("#layout").addEventListener("change", () => {
  state.layout = $("#layout").value;
  layout();
  writeState();
});
$("#collapse").checked = state.collapse;
$("#collapse").addEventListener("change", () => {
  state.collapse = $("#collapse").checked;
  run(rebuild);
});
$("#clear").addEventListener("click", () => {
  Object.assign(state, { seeds: [], expanded: [], path: [], selected: null });
  run(rebuild);
});
for (const [input, end] of [[$("#from-year"), "from"], [$("#to-year"), "to"]]) {
  input.addEventListener("input", () => {
    const value = Number(input.value);
    state[end] = value;
    if (end === "from" && state.to !== null && state.to < value) state.to = value;
    if (end === "to" && state.from !== null && state.from > value) state.from = value;
    refresh();
  });
}
$("#find-path").addEventListener("click", () => {
  const [source, target] = [$("#path-from").value, $("#path-to").value];
  if (!source || !target || source === target) {
    $("#path-result").textContent = "Choose two different nodes.";
    return;
  }
  state.path = [source, target];
  run(async () => {
    await drawPath(source, target);
    refresh();
    layout();
  });
});
$("#clear-path").addEventListener("click", () => {
  state.path = [];
  pathSteps = [];
  cy.elements().removeClass("on-path");
  refresh();
});
for (const button of document.querySelectorAll("[data-export]")) {
  button.addEventListener("click", () => exportDrawn(button.dataset.export));
}
cy.on("tap", "node", (event) => run(() => choose(event.target.id())));

run(rebuild);

// The drawing, for scripts that drive the page (a browser test, a user's console):
// `(await import("/assets/explorer.js")).cy` is this page's Cytoscape.js instance.
export { cy };
