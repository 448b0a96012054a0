// The explorer's script: it sends the controls to the server and shows what
// comes back. Our own, no library, nothing fetched but this server's API.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);

  // Debounce: wait until the controls are still for a moment.
  function debounce(fn, ms) {
    let t = 0;
    return function () {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  async function post(url, body) {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    let data = null;
    try {
      data = await r.json();
    } catch (e) {
      throw new Error('the server answered ' + r.status + ' ' + r.statusText);
    }
    if (!r.ok) {
      throw new Error(data && data.error ? data.error : 'the server answered ' + r.status);
    }
    return data;
  }

  function showError(id, msg) {
    const el = $(id);
    el.textContent = msg;
    el.hidden = msg === '';
  }

  // The server's SVG and table are made by package report, with every text
  // escaped; the stories are plain text.
  function drawCharts(el, charts) {
    el.replaceChildren(...charts.map((c) => {
      const f = document.createElement('figure');
      f.id = 'chart-' + c.name;
      f.innerHTML = c.svg;
      if (c.caption) {
        const cap = document.createElement('figcaption');
        cap.textContent = c.caption;
        f.appendChild(cap);
      }
      return f;
    }));
  }

  // The simulation view.
  let trace = '';
  let traceName = '';
  let seq = 0;

  function num(id) {
    const v = Number($(id).value);
    return Number.isFinite(v) ? v : 0;
  }

  function simulateRequest() {
    const w = $('workload').value;
    return {
      workload: w === 'trace'
        ? { trace: trace, trace_name: traceName, seed: num('seed') }
        : { preset: w, seed: num('seed') },
      horizon: $('horizon').value,
      step: $('step').value,
      latency: $('latency').value,
      price: $('price').value,
      boot: $('boot').value,
      engine: $('engine').value,
      job_latency: $('job-latency').value,
      queue: $('queue').value,
      deadline: $('deadline').value,
      policy: {
        kind: $('policy').value,
        capacity: Math.round(num('capacity')),
        utilization: num('utilization'),
        at: $('at').value,
        target: num('target'),
        min: Math.round(num('min')),
        max: Math.round(num('max')),
      },
    };
  }

  async function simulate() {
    const my = ++seq;
    const view = $('view-simulate');
    if ($('workload').value === 'trace' && trace === '') {
      showError('error', 'Choose a trace CSV file to upload, or pick a preset.');
      return;
    }
    view.classList.add('busy');
    const t0 = performance.now();
    try {
      const d = await post('/api/simulate', simulateRequest());
      if (my !== seq) return;
      const ms = Math.round(performance.now() - t0);
      $('summary').textContent = d.summary + ' (' + d.steps.toLocaleString('en') + ' steps, ' + ms + ' ms)';
      $('table').innerHTML = d.table;
      $('stories').replaceChildren(...d.stories.map((s) => {
        const p = document.createElement('p');
        p.className = 'story';
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = s.color;
        const b = document.createElement('b');
        b.textContent = s.policy + '. ';
        p.append(sw, b, s.text);
        return p;
      }));
      drawCharts($('charts'), d.charts);
      showError('error', '');
      document.body.dataset.simulations = String(Number(document.body.dataset.simulations || 0) + 1);
    } catch (e) {
      if (my !== seq) return;
      showError('error', e.message);
    } finally {
      if (my === seq) view.classList.remove('busy');
    }
  }

  const later = debounce(simulate, 150);

  function showKnobs() {
    const k = $('policy').value;
    document.querySelectorAll('[data-kinds]').forEach((el) => {
      el.hidden = !el.dataset.kinds.split(' ').includes(k);
    });
    const e = $('engine').value;
    document.querySelectorAll('[data-engines]').forEach((el) => {
      el.hidden = !el.dataset.engines.split(' ').includes(e);
    });
  }

  // The comparison view.
  const files = { before: '', after: '', beforeName: '', afterName: '' };
  let cseq = 0;

  async function compare() {
    const my = ++cseq;
    const body = files.before !== '' || files.after !== ''
      ? { before_csv: files.before, after_csv: files.after, before_name: files.beforeName, after_name: files.afterName }
      : { before: $('before').value, after: $('after').value };
    try {
      const d = await post('/api/compare', body);
      if (my !== cseq) return;
      $('compare-summary').textContent = d.verdict.charAt(0).toUpperCase() + d.verdict.slice(1) + ': ' + d.summary.join('; ');
      $('compare-table').innerHTML = d.table;
      drawCharts($('compare-charts'), d.charts);
      showError('compare-error', '');
    } catch (e) {
      if (my !== cseq) return;
      showError('compare-error', e.message);
    }
  }

  const compareLater = debounce(compare, 150);

  function show(view) {
    const sim = view === 'simulate';
    $('view-simulate').hidden = !sim;
    $('view-compare').hidden = sim;
    $('tab-simulate').setAttribute('aria-selected', String(sim));
    $('tab-compare').setAttribute('aria-selected', String(!sim));
    if (!sim && $('compare-charts').childElementCount === 0) compare();
  }

  document.addEventListener('DOMContentLoaded', () => {
    showKnobs();
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    $('compare-controls').addEventListener('submit', (e) => e.preventDefault());
    $('controls').addEventListener('input', later);
    $('controls').addEventListener('change', (e) => {
      if (e.target.id === 'policy' || e.target.id === 'engine') showKnobs();
      if (e.target.id !== 'trace-file') later();
    });
    $('trace-file').addEventListener('change', async (e) => {
      const f = e.target.files[0];
      if (!f) return;
      trace = await f.text();
      traceName = f.name;
      $('workload').value = 'trace';
      simulate();
    });
    $('compare-controls').addEventListener('input', (e) => {
      if (e.target.type !== 'file') compareLater();
    });
    for (const side of ['before', 'after']) {
      $(side + '-file').addEventListener('change', async (e) => {
        const f = e.target.files[0];
        if (!f) return;
        files[side] = await f.text();
        files[side + 'Name'] = f.name;
        compare();
      });
    }
    $('clear-files').addEventListener('click', () => {
      files.before = files.after = files.beforeName = files.afterName = '';
      $('before-file').value = '';
      $('after-file').value = '';
      compare();
    });
    $('tab-simulate').addEventListener('click', () => show('simulate'));
    $('tab-compare').addEventListener('click', () => show('compare'));
    simulate();
  });
})();
