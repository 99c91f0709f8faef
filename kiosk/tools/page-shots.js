// Screenshots of the hall server's pages in headless Chromium, at any viewport, with forms filled in between:
//   chromium --headless --no-sandbox --remote-debugging-port=9335 about:blank &
//   node --experimental-websocket kiosk/tools/page-shots.js 9335 BASE_URL 390x844 [NAME=VALUE|-] STEP…
// The cookie (NAME=VALUE, or - for none) is set for the whole site. Each STEP is `go:PATH` (open BASE_URL+PATH),
// `shot:OUT.png` (the whole page as it is now, full height), `eval:JS` (run JS on the page, e.g. fill a form and submit it;
// waits for a navigation it starts), `sleep:MS`, or `text:WORDS` (fail unless the page shows WORDS).
const [port, base, size, cookie, ...steps] = process.argv.slice(2);
const fs = require('fs');
(async () => {
  const [width, height] = size.split('x').map(Number);
  const target = await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: 'PUT' })).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  let id = 0;
  const pending = new Map();
  const loads = [];
  ws.onmessage = (m) => {
    const d = JSON.parse(m.data);
    if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); }
    if (d.method === 'Page.loadEventFired') { while (loads.length) loads.shift()(); }
  };
  await new Promise((r) => (ws.onopen = r));
  const call = (method, params = {}) => new Promise((r) => { const n = ++id; pending.set(n, r); ws.send(JSON.stringify({ id: n, method, params })); });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const loaded = (ms) => Promise.race([new Promise((r) => loads.push(r)), sleep(ms)]);
  await call('Page.enable');
  await call('Network.enable');
  if (cookie && cookie !== '-') {
    const [name, value] = cookie.split(/=(.*)/s);
    await call('Network.setCookie', { name, value, domain: new URL(base).hostname, path: '/', httpOnly: true, sameSite: 'Strict' });
  }
  const mobile = width < 700;
  await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: mobile ? 2 : 1, mobile });
  const evaluate = async (js) => (await call('Runtime.evaluate', { expression: js, awaitPromise: true })).result.result.value;
  for (const step of steps) {
    const colon = step.indexOf(':');
    const kind = step.slice(0, colon);
    const arg = step.slice(colon + 1);
    if (kind === 'go') {
      const done = loaded(10000);
      await call('Page.navigate', { url: base + arg });
      await done;
      await sleep(300);
    } else if (kind === 'shot') {
      const h = await evaluate('Math.ceil(document.documentElement.scrollHeight)');
      const shot = await call('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
        clip: { x: 0, y: 0, width, height: Math.max(height, h), scale: 1 } });
      fs.writeFileSync(arg, Buffer.from(shot.result.data, 'base64'));
      console.log('saved ' + arg + ' (' + width + 'x' + Math.max(height, h) + ')');
    } else if (kind === 'eval') {
      const done = loaded(3000);
      console.log(JSON.stringify(await evaluate(arg)));
      await done;
      await sleep(300);
    } else if (kind === 'sleep') {
      await sleep(Number(arg));
    } else if (kind === 'text') {
      const now = await evaluate('document.body.innerText');
      if (!now.includes(arg)) { console.error('missing text: ' + arg + '\n--- page ---\n' + now.slice(0, 2000)); process.exit(1); }
      console.log('seen: ' + arg);
    } else {
      console.error('unknown step ' + step);
      process.exit(2);
    }
  }
  await fetch(`http://127.0.0.1:${port}/json/close/${target.id}`);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
