// The SPARQL workbench: YASGUI (window.Yasgui, loaded by this module) on this
// endpoint, with nothing fetched from elsewhere: prefixes, classes and properties come
// from our ontology (the page's JSON), not from prefix.cc or Linked Open Vocabularies.
// The address bar holds the current tab's query and result view, so a link reopens both.
//
// YASGUI is a megabyte of script. A link's query is sent at once, as YASGUI would send it,
// and its first rows are drawn as a plain table while YASGUI loads; YASGUI is then handed
// that answer instead of asking for it again.

const data = JSON.parse(document.getElementById("workbench-data").textContent);
const endpoint = new URL(window.location.pathname, window.location.origin).href;
// What YASGUI asks for, by the form of the query (set in its configuration below).
const SELECT_ACCEPT = "application/sparql-results+json,*/*;q=0.9";
const GRAPH_ACCEPT = "text/turtle,*/*;q=0.9";
// The parts of a link that change the request: with any other, YASGUI asks by itself.
const LINK_PARTS = new Set([
  "query", "endpoint", "requestMethod", "tabTitle", "outputFormat", "outputSettings",
  "contentTypeSelect", "contentTypeConstruct",
]);
const FIRST_ROWS = 50;
const YASGUI = "/assets/vendor/yasgui.min.js";
// How long YASGUI waits for a link's first rows to be drawn before it loads anyway.
const PREVIEW_WAIT_MS = 400;

const first = askFirst(linkParameters());
// A failure to draw them is reported, and YASGUI loads all the same.
const preview = first
  ?.then(drawFirstRows)
  .then(painted)
  .catch((error) => console.error("the first rows were not drawn:", error));
await Promise.race([preview, new Promise((resolve) => setTimeout(resolve, PREVIEW_WAIT_MS))]);
await load(YASGUI);
const { Yasgui } = window;
const { Yasqe } = Yasgui;

// Terms of ours that start with what is typed (YASQE expands a prefixed name first).
function ours(terms) {
  return (yasqe, token) =>
    Promise.resolve(terms.filter((term) => term.startsWith(token.autocompletionString)));
}

Yasqe.registerAutocompleter({ ...Yasqe.Autocompleters.class, get: ours(data.classes) });
Yasqe.registerAutocompleter({ ...Yasqe.Autocompleters.property, get: ours(data.properties) });
Yasqe.registerAutocompleter({
  ...Yasqe.Autocompleters.prefixes,
  get: Object.entries(data.prefixes).map(([prefix, iri]) => `${prefix}: <${iri}>`),
});

// The endpoint's errors are JSON {"error", "detail"}: show the detail (for a syntax error,
// the parser's message with its line and column).
Yasgui.Yasr.defaults.errorRenderers = [
  async (error) => {
    let detail;
    try {
      ({ detail } = JSON.parse(error.text));
    } catch {
      return undefined;
    }
    const message = document.createElement("p");
    message.className = "query-error";
    message.setAttribute("role", "alert");
    message.textContent = detail;
    return message;
  },
];

const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {
    endpoint,
    method: "POST",
    acceptHeaderSelect: SELECT_ACCEPT,
    acceptHeaderGraph: GRAPH_ACCEPT,
  },
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: { getData: () => [{ endpoint }] },
  // A shared link may name any endpoint: this page queries its own.
  populateFromUrl: (tab) => ({ ...tab, requestConfig: { ...tab.requestConfig, endpoint } }),
  persistenceId: "accordkg-workbench",
  // Tab moves on to the next control, as everywhere else on the page: the editor is no
  // keyboard trap (Ctrl-] and Ctrl-[ indent and outdent). While the link's answer is on its
  // way, YASGUI does not ask for it a second time.
  yasqe: {
    value: data.startingQuery,
    extraKeys: { Tab: false, "Shift-Tab": false },
    queryingDisabled: first ? "The answer is on its way" : undefined,
  },
  yasr: { prefixes: data.prefixes },
});

// The address of the current tab's query and view, kept in the address bar.
function share() {
  const tab = yasgui.getTab();
  if (tab) {
    window.history.replaceState(null, "", tab.getShareableLink(endpoint));
  }
}

for (const event of ["tabChange", "tabSelect", "queryResponse"]) {
  yasgui.on(event, () => share());
}
share();
if (first) handOver(yasgui.getTab(), first); // the forms below need not wait for it

// A named query opens in a tab with the values its form gives bound by the server, which
// checks them as /queries/{name} does and says what is wrong.
for (const form of document.querySelectorAll("form.open-example")) {
  const example = data.examples.find((query) => query.name === form.dataset.query);
  const problem = form.querySelector(".problem");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const given = [...new FormData(form)].filter(([, value]) => value !== "");
    const answer = await fetch(`/queries/${example.name}/text?${new URLSearchParams(given)}`);
    if (!answer.ok) {
      problem.textContent = (await answer.json()).detail;
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    const tab = yasgui.addTab(
      true,
      { name: example.title, yasqe: { value: await answer.text() } },
      { avoidDuplicateTabs: true },
    );
    tab.getYasqe().focus();
    document.getElementById("yasgui").scrollIntoView({ block: "start" });
  });
  form.querySelector("button").disabled = false;
}

// YASGUI's script (preloaded by the page), run once the first rows are drawn: running it
// holds the page for a while.
function load(src) {
  return new Promise((resolve, reject) => {
    const script = element("script", { src }, []);
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error(`${src} did not load`)));
    document.head.append(script);
  });
}

// The link's parameters (YASGUI reads the fragment, else the query string), or null when
// the link holds no query or something YASGUI alone knows how to send.
function linkParameters() {
  for (const part of [window.location.hash, window.location.search]) {
    const parameters = new URLSearchParams(part.slice(1));
    if (parameters.has("query")) {
      return [...parameters.keys()].every((key) => LINK_PARTS.has(key)) ? parameters : null;
    }
  }
  return null;
}

// The query's form, read past its prologue (comments, BASE and PREFIX declarations).
function queryForm(query) {
  const prologue = /^(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*/iu;
  const match = /^(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/iu.exec(query.replace(prologue, ""));
  return match?.[1].toUpperCase() ?? null;
}

// The link's query sent as YASGUI sends it; resolves to what YASGUI's own request would
// have given its editor: the response (or an Error) and how long it took.
function askFirst(parameters) {
  const query = parameters?.get("query");
  const form = query ? queryForm(query) : null;
  if (!form) return null;
  const accept = ["SELECT", "ASK"].includes(form)
    ? (parameters.get("contentTypeSelect") ?? SELECT_ACCEPT)
    : (parameters.get("contentTypeConstruct") ?? GRAPH_ACCEPT);
  const body = new URLSearchParams({ query });
  const get = parameters.get("requestMethod") === "GET";
  const started = Date.now();
  const request = get
    ? fetch(`${endpoint}?${body}`, { headers: { Accept: accept } })
    : fetch(endpoint, {
      method: "POST",
      headers: { Accept: accept, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
  return request
    .then(async (answer) => {
      const content = await answer.text();
      if (!answer.ok) throw new Error(content || answer.statusText);
      const { ok, status, statusText, headers, type } = answer;
      return { response: { ok, status, statusText, headers, type, content }, duration: Date.now() - started };
    })
    .catch((error) => ({ response: error, duration: Date.now() - started }));
}

// The first rows of a table of solutions, drawn where YASGUI's results will be.
function drawFirstRows({ response }) {
  if (window.Yasgui || response instanceof Error) return;
  let answer;
  try {
    answer = JSON.parse(response.content);
  } catch {
    return;
  }
  const rows = typeof answer.boolean === "boolean" ? [] : (answer.results?.bindings ?? []);
  const variables = answer.head?.vars ?? [];
  const table = element("table", {}, [
    element("caption", {}, [
      typeof answer.boolean === "boolean"
        ? `The answer is ${answer.boolean}.`
        : `${rows.length} row${rows.length === 1 ? "" : "s"}${rows.length > FIRST_ROWS ? `, the first ${FIRST_ROWS} shown` : ""}; the editor is loading.`,
    ]),
    element("thead", {}, [element("tr", {}, variables.map((name) => element("th", { scope: "col" }, [name])))]),
    element("tbody", {}, rows.slice(0, FIRST_ROWS).map((row) =>
      element("tr", {}, variables.map((name) => element("td", {}, [term(row[name])]))))),
  ]);
  const section = element("section", { id: "first-rows", "aria-live": "polite" }, [
    element("pre", { class: "first-query" }, [linkParameters().get("query")]),
    table,
  ]);
  document.getElementById("yasgui").replaceChildren(section);
}

// A term of a solution as YASR shows it: an IRI as a link, prefixed where a prefix fits.
function term(value) {
  if (!value) return "";
  if (value.type !== "uri") return value.value;
  const prefixed = Object.entries(data.prefixes).find(([, iri]) => value.value.startsWith(iri));
  const text = prefixed ? `${prefixed[0]}:${value.value.slice(prefixed[1].length)}` : `<${value.value}>`;
  return element("a", { href: value.value }, [text]);
}

// After the next frame is painted: what was drawn is on the screen before a long script.
function painted() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function element(name, attributes, children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

// YASGUI takes over: querying is enabled again, and the link's answer reaches the tab as
// its own request's would, unless a query was started in the meantime.
async function handOver(tab, answer) {
  const yasqe = tab.getYasqe();
  let overtaken = false;
  yasgui.once("query", () => { overtaken = true; });
  yasgui.config.yasqe.queryingDisabled = undefined;
  yasqe.config.queryingDisabled = undefined;
  yasqe.updateQueryButton();
  const { response, duration } = await answer;
  await preview;
  if (!overtaken && yasgui.getTab() === tab) yasqe.emit("queryResponse", response, duration);
  document.getElementById("first-rows")?.remove();
}
