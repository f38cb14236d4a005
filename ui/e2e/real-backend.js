// Runs in the page before the app: every invoke() goes, as JSON, to http://ipc.localhost/<command>
// (the address the desktop app's CSP allows for IPC), where the test routes it to the app's real
// command handlers (tests/ui-bridge) on a real encrypted school. Nothing here knows a rule.
// It also keeps what the UI asked, for the tests to check: window.__calls and window.__queries.
window.installRealBackend = function installRealBackend() {
  window.__calls = [];
  window.__queries = [];
  mockIPC(async (cmd, args) => {
    window.__calls.push([cmd, args]);
    if (cmd === 'register_page') window.__queries.push(args.query);
    const response = await fetch(`http://ipc.localhost/${cmd}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(args ?? {}),
    });
    const answer = await response.json();
    if (!answer.ok) throw answer.error;
    return answer.value;
  });
};
