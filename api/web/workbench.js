// The SPARQL workbench: YASGUI (deferred before this module, as window.Yasgui) on this
// endpoint, with nothing fetched from elsewhere: prefixes, classes and properties come
// from our ontology (the page's JSON), not from prefix.cc or Linked Open Vocabularies.
// The address bar holds the current tab's query and result view, so a link reopens both.

const { Yasgui } = window;
const data = JSON.parse(document.getElementById("workbench-data").textContent);
const endpoint = new URL(window.location.pathname, window.location.origin).href;
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
  requestConfig: { endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: { getData: () => [{ endpoint }] },
  // A shared link may name any endpoint: this page queries its own.
  populateFromUrl: (tab) => ({ ...tab, requestConfig: { ...tab.requestConfig, endpoint } }),
  persistenceId: "accordkg-workbench",
  // Tab moves on to the next control, as everywhere else on the page: the editor is no
  // keyboard trap (Ctrl-] and Ctrl-[ indent and outdent).
  yasqe: { value: data.startingQuery, extraKeys: { Tab: false, "Shift-Tab": false } },
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

for (const button of document.querySelectorAll("button.open-example")) {
  const example = data.examples.find((query) => query.name === button.dataset.query);
  button.addEventListener("click", () => {
    const tab = yasgui.addTab(
      true,
      { name: example.title, yasqe: { value: example.text } },
      { avoidDuplicateTabs: true },
    );
    tab.getYasqe().focus();
    document.getElementById("yasgui").scrollIntoView({ block: "start" });
  });
  button.disabled = false;
}
