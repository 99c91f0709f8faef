// Screenshots of the admin pages in headless Chromium at 1366×768, with an admin session cookie:
//   chromium --headless --no-sandbox --remote-debugging-port=9335 about:blank &
//   node --experimental-websocket kiosk/tools/admin-shots.js 9335 BASE_URL 'hk_admin=…' STEP…
// Each STEP is `nav:PATH` (open BASE_URL+PATH and wait), `eval:JS` (run it on the page, e.g. fill and submit a form;
// waits for a navigation it starts), `snap:OUT.png` (save what the page shows), `sleep:MS` or `text:WORDS` (fail
// unless the page shows WORDS).
const [port, base, cookie, ...steps] = process.argv.slice(2);
const fs = require('fs');
(async () => {
  const target = await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: 'PUT' })).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  let id = 0;
  const pending = new Map();
  ws.onmessage = (m) => { const d = JSON.parse(m.data); if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); } };
  await new Promise((r) => (ws.onopen = r));
  const call = (method, params = {}) => new Promise((r) => { const n = ++id; pending.set(n, r); ws.send(JSON.stringify({ id: n, method, params })); });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const [name, value] = cookie.split(/=(.*)/s);
  const url = new URL(base);
  await call('Network.enable');
  await call('Network.setCookie', { name, value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Strict' });
  await call('Emulation.setDeviceMetricsOverride', { width: 1366, height: 768, deviceScaleFactor: 1, mobile: false });
  const text = async () => (await call('Runtime.evaluate', { expression: 'document.body.innerText' })).result.result.value;
  for (const step of steps) {
    const colon = step.indexOf(':');
    const kind = colon < 0 ? step : step.slice(0, colon);
    const a = colon < 0 ? '' : step.slice(colon + 1);
    if (kind === 'nav') {
      await call('Page.navigate', { url: base + a });
      await sleep(1200);
    } else if (kind === 'eval') {
      console.log(JSON.stringify((await call('Runtime.evaluate', { expression: a })).result.result.value));
      await sleep(1200);
    } else if (kind === 'snap') {
      const shot = await call('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(a, Buffer.from(shot.result.data, 'base64'));
      console.log('saved ' + a);
    } else if (kind === 'sleep') {
      await sleep(Number(a));
    } else if (kind === 'text') {
      const now = await text();
      if (!now.includes(a)) { console.error('missing "' + a + '" in:\n' + now); await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`); process.exit(1); }
      console.log('shows ' + a);
    }
  }
  ws.close();
  await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`);
  process.exit(0);
})();
