/* Live Code with the thebe 0.9 that the book serves itself (book/_ext/live_code.py).
 *
 * sphinx-thebe 0.3.1 writes each page's set-up for thebe 0.8, then, once the Live Code button has
 * loaded THEBE_JS_URL, calls thebelab.bootstrap(). Between those two moments (the script's load
 * event, seen here first since this listener captures it on the way down) this adapts the page to
 * thebe 0.9:
 *
 * - bootstrap() is handed the page's configuration. Called bare, thebe 0.9 asks mybinder.org
 *   whatever the page says; handed it, a page (or a test) can name another Jupyter server with
 *   `useBinder: false, serverSettings: {baseUrl, wsUrl, token}`. Binder stays the default.
 * - sphinx-thebe's `kernelOptions.name` becomes thebe 0.9's `kernelOptions.kernelName` (without
 *   it thebe asks for a kernel named "python", which no server has).
 * - No MathJax: thebe would fetch MathJax 2 from a CDN to typeset an output's LaTeX.
 * - Every code cell gets an output placeholder: thebe 0.9 pairs the n-th cell with the n-th
 *   output on the page, so a cell without output would write into the next cell's.
 * - thebe's stylesheet (the editor, the run buttons, the output areas), from beside its script.
 * - RequireJS, which thebe fetches from a CDN before it shows a cell's first widget (the
 *   explorers), comes from beside thebe's script too.
 */
(() => {
  "use strict";

  const thebeUrl = () => new URL(THEBE_JS_URL, document.baseURI).href;

  const addOutputPlaceholders = () => {
    document.querySelectorAll("[data-executable]").forEach((source) => {
      const next = source.nextElementSibling;
      if (next && next.matches("[data-output]")) return;
      const output = document.createElement("div");
      output.className = "cell_output";
      output.setAttribute("data-output", "");
      source.after(output);
    });
  };

  const addStylesheet = () => {
    const href = new URL("thebe.css", thebeUrl()).href;
    if (document.querySelector(`link[href="${href}"]`)) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  };

  const REQUIREJS_CDN = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js";

  const serveRequireJs = () => {
    const fetch = window.fetch;
    const local = new URL("require.js", thebeUrl()).href;
    window.fetch = (resource, ...rest) =>
      fetch(resource === REQUIREJS_CDN ? local : resource, ...rest);
  };

  const adapt = (thebe) => {
    if (thebe.liveCodeAdapted) return;
    const bootstrap = thebe.bootstrap;
    thebe.bootstrap = (options = {}) => {
      addOutputPlaceholders();
      const page = thebe.getPageConfig();
      const kernel = page.kernelOptions || {};
      return bootstrap({
        mathjaxUrl: false,
        ...page,
        kernelOptions: { kernelName: kernel.name, ...kernel },
        ...options,
      });
    };
    thebe.liveCodeAdapted = true;
    addStylesheet();
    serveRequireJs();
  };

  document.addEventListener(
    "load",
    (event) => {
      const script = event.target;
      if (!(script instanceof HTMLScriptElement) || typeof THEBE_JS_URL === "undefined") return;
      if (script.src === thebeUrl() && window.thebe) {
        adapt(window.thebe);
      }
    },
    true,
  );
})();
