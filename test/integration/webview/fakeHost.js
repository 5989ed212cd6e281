/* global window, document */
// Runs in the page before the panel's script, in place of VS Code: provides acquireVsCodeApi and
// answers the panel's messages the way the extension would, from window.__fakeHostInit (the runs,
// their curves and trials, the state getState returns). Plain JavaScript, injected as it is.
(() => {
  const init = window.__fakeHostInit;
  const host = { posted: [], state: init.state, problems: [] };
  window.__host = host;
  document.addEventListener("securitypolicyviolation", (event) => host.problems.push(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
  const reply = (message) => window.postMessage(message, "*");
  const respond = (message) => {
    const { runs, curves, trials } = init.store;
    if (message.type === "ready" && init.answerReady) reply({ type: "runs", selection: { runIds: runs.map((run) => run.run_id) }, runs, deleted: [], title: `${runs.length} runs` });
    if (message.type === "requestCurves") reply({ type: "curves", curves: message.runIds.map((runId) => ({ runId, points: curves[runId] ?? [] })) });
    if (message.type === "requestTrials") reply({ type: "trials", runId: message.runId, trials: trials[message.runId] ?? [] });
  };
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => {
      host.posted.push(message);
      setTimeout(() => respond(message), 0);
    },
    getState: () => host.state,
    setState: (state) => {
      host.state = state;
    },
  });
})();
