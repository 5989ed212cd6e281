/* global window, document */
// Runs in the run page before its script, in place of VS Code: provides acquireVsCodeApi, records
// what the page posts, and answers its `ready` with the run from window.__fakeRunHostInit the way
// RunPagePanel does. Plain JavaScript, injected as it is.
(() => {
  const init = window.__fakeRunHostInit;
  const host = { posted: [], state: undefined, problems: [] };
  window.__host = host;
  document.addEventListener("securitypolicyviolation", (event) => host.problems.push(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => {
      host.posted.push(message);
      if (message.type === "ready") setTimeout(() => window.postMessage({ type: "run", page: init.page }, "*"), 0);
    },
    getState: () => host.state,
    setState: (state) => {
      host.state = state;
    },
  });
})();
