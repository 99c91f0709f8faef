// Watching a page live in headless Chromium (the phone page follows the call): 
//   chromium --headless --no-sandbox --remote-debugging-port=9333 about:blank &
//   node --experimental-websocket kiosk/tools/page-titles.js 9333 URL SECONDS
// Opens URL in headless Chromium (remote debugging on PORT) and prints the page title every 250 ms for SECONDS.
const [port, url, seconds] = process.argv.slice(2);
(async () => {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/new?${encodeURIComponent(url)}`, { method: 'PUT' })).json();
  const ws = new WebSocket(targets.webSocketDebuggerUrl);
  let id = 0;
  const send = (method, params = {}) => ws.send(JSON.stringify({ id: ++id, method, params }));
  const pending = new Map();
  ws.onmessage = (m) => { const d = JSON.parse(m.data); if (d.id && pending.has(d.id)) { pending.get(d.id)(d.result); pending.delete(d.id); } };
  await new Promise((r) => (ws.onopen = r));
  const call = (method, params) => new Promise((r) => { pending.set(id + 1, r); send(method, params); });
  const start = Date.now();
  let last = '';
  while (Date.now() - start < seconds * 1000) {
    const r = await call('Runtime.evaluate', { expression: 'document.title' });
    const title = r && r.result ? r.result.value : '?';
    if (title !== last) { console.log(((Date.now() - start) / 1000).toFixed(2) + 's ' + title); last = title; }
    await new Promise((r) => setTimeout(r, 250));
  }
  ws.close();
  process.exit(0);
})();
