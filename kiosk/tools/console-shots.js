// Screenshots of the clerk's console (and keys pressed on it) in headless Chromium:
//   chromium --headless --no-sandbox --remote-debugging-port=9334 about:blank &
//   node --experimental-websocket kiosk/tools/console-shots.js 9334 BASE_URL 'hk_staff=…' STEP…
// Each STEP is `shot:PATH:OUT.png` (open BASE_URL+PATH at 1366×768, wait, save a screenshot),
// `key:F1` (press a key on the open page and wait for what it does), `sleep:MS`, `title`, `eval:JS`, or `text:WORDS` (fail unless
// the page shows WORDS).
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
  await call('Network.setCookie', { name, value, domain: url.hostname, path: '/staff', httpOnly: true, sameSite: 'Strict' });
  await call('Emulation.setDeviceMetricsOverride', { width: 1366, height: 768, deviceScaleFactor: 1, mobile: false });
  const text = async () => (await call('Runtime.evaluate', { expression: 'document.body.innerText' })).result.result.value;
  for (const step of steps) {
    const colon = step.indexOf(':');
    const kind = colon < 0 ? step : step.slice(0, colon);
    let a = colon < 0 ? '' : step.slice(colon + 1);
    let b = '';
    if (kind === 'shot') { b = a.slice(a.lastIndexOf(':') + 1); a = a.slice(0, a.lastIndexOf(':')); }
    if (kind === 'shot') {
      await call('Page.navigate', { url: base + a });
      await sleep(1500);
      const shot = await call('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(b, Buffer.from(shot.result.data, 'base64'));
      console.log('saved ' + b);
    } else if (kind === 'key') {
      const code = a;
      const vk = a.startsWith('F') ? 111 + Number(a.slice(1)) : a === 'Enter' ? 13 : a === 'Escape' ? 27 : a === 'ArrowDown' ? 40 : 0;
      await call('Input.dispatchKeyEvent', { type: 'keyDown', key: a, code, windowsVirtualKeyCode: vk, ...(a === 'Enter' ? { text: '\r' } : {}) });
      await call('Input.dispatchKeyEvent', { type: 'keyUp', key: a, code, windowsVirtualKeyCode: vk });
      await sleep(1500);
      console.log('pressed ' + a);
    } else if (kind === 'sleep') {
      await sleep(Number(a));
    } else if (kind === 'eval') {
      console.log(JSON.stringify((await call('Runtime.evaluate', { expression: a })).result.result.value));
    } else if (kind === 'title') {
      console.log((await call('Runtime.evaluate', { expression: 'document.title + " " + location.href' })).result.result.value);
    } else if (kind === 'text') {
      const now = await text();
      if (!now.includes(a)) { console.error('missing "' + a + '" in:\n' + now); await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`); process.exit(1); }
      console.log('shows ' + a);
    }
  }
  ws.close();
  // Close the tab: each open console holds a live link, and a browser keeps at most six connections to one server.
  await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`);
  process.exit(0);
})();
