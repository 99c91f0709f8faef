/// The console's only script (ES5, allowed by its hash): F-keys press the buttons (F7–F9 go to their field; Enter on a
/// chosen option sends it), Enter confirms a confirmation and Esc cancels it, the
/// live link swaps in the live panel when the console changed (what the clerk is typing stays), the timers tick.
extension StaffConsolePage {
    static let script = """
    (function () {
      var main = document.getElementById('live-a');
      var queue = document.getElementById('live-w');
      var side = document.getElementById('live-b');
      if (!main) { return; }
      function press(key) {
        var form = document.querySelector('form[data-key="' + key + '"]');
        if (form) {
          var b = form.querySelector('button');
          if (b && !b.disabled) { b.click(); }
          return true;
        }
        var el = document.querySelector('[data-key="' + key + '"]');
        if (el) { el.click(); return true; }
        return false;
      }
      var focusKeys = { F7: 'k-transfer', F8: 'k-number', F9: 'k-break' };
      // A confirmation's button says "Enter": it has the focus (browsers may skip autofocus after a form post), and
      // Enter pressed with nothing focused presses it too.
      var confirmButton = document.querySelector('.confirm button[autofocus]');
      if (confirmButton && (!document.activeElement || document.activeElement === document.body)) { confirmButton.focus(); }
      document.addEventListener('keydown', function (e) {
        var k = e.key;
        if (k === 'Enter' && confirmButton && (!e.target || e.target === document.body || e.target === document.documentElement)) {
          e.preventDefault();
          confirmButton.click();
          return;
        }
        if (k === 'Escape') {
          var c = document.querySelector('[data-cancel]');
          if (c) { e.preventDefault(); window.location.replace('/staff'); }
          return;
        }
        if (k === 'Enter' && e.target && e.target.tagName === 'SELECT' && e.target.form && e.target.value) {
          // A chosen transfer target or break reason: Enter sends it, as in a text field.
          e.preventDefault();
          var send = e.target.form.querySelector('button[type="submit"]');
          if (send) { send.click(); }
          return;
        }
        if (!/^F([1-9]|10)$/.test(k)) { return; }
        e.preventDefault();
        if (focusKeys[k]) {
          var t = document.getElementById(focusKeys[k]);
          if (t && t.tagName === 'BUTTON') { t.click(); return; }
          if (t) { t.focus(); return; }
        }
        press(k);
      });
      function tick() {
        var list = document.querySelectorAll('.timer[data-since], .timer[data-until]');
        var now = Date.now();
        for (var i = 0; i < list.length; i++) {
          var el = list[i];
          if (!el.hkOffset) { el.hkOffset = now - Number(el.getAttribute('data-now')); }
          var at = now - el.hkOffset;
          // data-since counts up (call, service, break); data-until counts down to a hold's end.
          var s = el.hasAttribute('data-until') ? Math.max(0, Math.ceil((Number(el.getAttribute('data-until')) - at) / 1000))
            : Math.max(0, Math.floor((at - Number(el.getAttribute('data-since'))) / 1000));
          var sec = s % 60;
          el.textContent = Math.floor(s / 60) + ':' + (sec < 10 ? '0' : '') + sec;
        }
      }
      setInterval(tick, 1000);
      if (!window.EventSource || !window.fetch) { return; }
      var last = main.getAttribute('data-fp');
      var source = new EventSource(main.getAttribute('data-src'));
      source.addEventListener('console', function (e) {
        if (e.data === 'signed-out') { source.close(); window.location.replace('/staff'); return; }
        if (e.data === last) { return; }
        last = e.data;
        fetch(main.getAttribute('data-part'), { credentials: 'same-origin' }).then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.text();
        }).then(function (html) {
          var parts = html.split('\(liveSplit)');
          main.innerHTML = parts[0];
          if (queue && parts.length > 1) { queue.innerHTML = parts[1]; }
          if (side && parts.length > 2) { side.innerHTML = parts[2]; }
          tick();
        }).catch(function () { window.location.replace('/staff'); });
      });
    })();
    """
}
