// The query page: YASGUI's editor (Yasqe) and result view (Yasr), wired to this server only.
// Completion calls our JSON endpoints, never prefix.cc or Linked Open Vocabularies, so the
// page works offline; the plain form it replaces stays in the page for browsers without JS.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-config").textContent);
  const { Yasqe, Yasr } = window.Yasgui;
  const form = document.getElementById("plain-query");
  const labels = new Map();

  // Prefixed names keep queries short; id: IRIs hold "/", which a prefixed name cannot.
  function shorten(yasqe, token, iri) {
    const known = { ...config.prefixes, ...yasqe.getPrefixesFromQuery() };
    for (const [prefix, ns] of Object.entries(known)) {
      const local = iri.slice(ns.length);
      if (prefix !== "id" && iri.startsWith(ns) && /^[A-Za-z_][\w-]*$/.test(local)) {
        return remember(`${prefix}:${local}`, iri);
      }
    }
    return remember(`<${iri}>`, iri);
  }

  function remember(text, iri) {
    if (labels.has(iri)) labels.set(text, labels.get(iri));
    return text;
  }

  function withLabels(yasqe, hints) {
    return hints.map((h) => ({ ...h, displayText: labels.get(h.text) ? `${h.text} (${labels.get(h.text)})` : h.text }));
  }

  function fetchTerms(url) {
    return fetch(url)
      .then((r) => (r.ok ? r.json() : []))
      .then((found) => {
        found.forEach((t) => labels.set(t.iri, t.label));
        return found.map((t) => t.iri);
      });
  }

  function vocabulary(kind) {
    return (yasqe, token) => {
      const typed = (token && token.autocompletionString) || "";
      return fetchTerms(`${config.terms}?kind=${kind}&q=${encodeURIComponent(typed)}`);
    };
  }

  const prefixList = Object.entries(config.prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort();
  Yasqe.forkAutocompleter("prefixes", { name: "hwbPrefixes", get: prefixList, persistenceId: null }, false);
  for (const [base, name, kind] of [["class", "hwbClasses", "class"], ["property", "hwbProperties", "property"]]) {
    Yasqe.forkAutocompleter(base, { name, get: vocabulary(kind), postProcessSuggestion: shorten, postprocessHints: withLabels }, false);
  }
  // Typing id:<part of a label> offers the entities so labelled, inserted as full IRIs.
  Yasqe.registerAutocompleter({
    name: "hwbEntities",
    bulk: false,
    autoShow: true,
    isValidCompletionPosition: (yasqe) => /^id:[^\s]{2,}$/.test(yasqe.getCompleteToken().string),
    get: (yasqe, token) => fetchTerms(`${config.entities}?q=${encodeURIComponent(token.string.slice(3))}`),
    postProcessSuggestion: (yasqe, token, iri) => remember(`<${iri}>`, iri),
    postprocessHints: withLabels,
  }, false);

  // Result IRIs under id/ open this server's entity pages, in the same tab.
  const Table = Yasr.plugins.table;
  const drawLink = Table.prototype.getUriLinkFromBinding;
  const idHref = new RegExp(`(href=["'])${config.idBase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    const html = drawLink.call(this, binding, prefixes);
    return idHref.test(html) ? html.replace(idHref, `$1${config.idPath}`).replace(/target=(["'])_blank\1/, "target=$1_self$1") : html;
  };

  const editor = document.getElementById("editor");
  const yasqe = new Yasqe(editor, {
    value: document.getElementById("query-text").value,
    persistenceId: null,
    consumeShareLink: null,
    autocompleters: ["hwbPrefixes", "hwbClasses", "hwbProperties", "hwbEntities", "variables"],
    requestConfig: {
      endpoint: config.endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    resizeable: true,
    editorHeight: "320px",
    screenReaderLabel: "SPARQL query",
  });
  yasqe.getInputField().setAttribute("aria-label", "SPARQL query");
  const yasr = new Yasr(document.getElementById("results"), {
    persistenceId: null,
    prefixes: config.prefixes,
    pluginOrder: ["table", "response"],
    defaultPlugin: "table",
  });
  // Yasr draws its page-size select without a name; screen readers need one.
  yasr.on("drawn", () => {
    document.querySelectorAll(".yasr .tableSizer").forEach((s) => s.setAttribute("aria-label", "Rows per page"));
  });
  form.hidden = true;
  editor.hidden = false;
  document.getElementById("query-links").hidden = false;
  yasqe.refresh();

  // Queries from links and the library lean on the predeclared prefixes; declaring the
  // ones they use keeps the editor's checker quiet and the text portable to other endpoints.
  function declareUsedPrefixes() {
    const declared = yasqe.getPrefixesFromQuery();
    const text = yasqe.getValue();
    const missing = {};
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (!(prefix in declared) && new RegExp(`(^|[^\\w:])${prefix}:`).test(text)) missing[prefix] = ns;
    }
    if (Object.keys(missing).length) yasqe.addPrefixes(missing);
  }
  declareUsedPrefixes();

  // The page URL, the share link and the downloads always name the query being edited.
  function endpointUrl(format) {
    return `${config.endpoint}?${new URLSearchParams({ query: yasqe.getValue(), format })}`;
  }
  function updateLinks() {
    const share = `${config.page}?${new URLSearchParams({ query: yasqe.getValue() })}`;
    document.getElementById("share-link").href = share;
    document.getElementById("download-csv").href = endpointUrl("csv");
    document.getElementById("download-json").href = endpointUrl("json");
    return share;
  }

  const notice = document.getElementById("notice");
  yasqe.on("query", () => {
    history.replaceState(null, "", updateLinks());
    notice.hidden = true;
  });
  yasqe.on("queryResponse", (instance, response, duration) => {
    yasr.setResponse(response, duration);
    const capped = response && response.headers && response.headers.get(config.truncatedHeader);
    if (capped) {
      notice.textContent = `Only the first ${capped} rows are shown: the row cap was reached.`;
      notice.hidden = false;
    }
  });
  yasqe.on("change", updateLinks);
  updateLinks();

  document.querySelectorAll(".library a[data-sparql]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      yasqe.setValue(link.dataset.sparql);
      declareUsedPrefixes();
      yasqe.query();
    });
  });
  if (config.runOnLoad) yasqe.query();
})();
