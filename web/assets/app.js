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

  // post sends a body: an object as JSON, a string as a YAML document.
  async function post(url, body) {
    const yaml = typeof body === 'string';
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': yaml ? 'application/yaml' : 'application/json' },
      body: yaml ? body : JSON.stringify(body),
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

  // The simulation view. The page builds the same scenario document a
  // user writes (GET /api/schema lists every setting with its default and
  // doc line; the policy's controls are made from it) and posts it.
  let trace = '';
  let traceName = '';
  let seq = 0;
  let schema = null;

  function setting(path) {
    return schema.settings.find((s) => s.path === path);
  }

  async function getJSON(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error('the server answered ' + r.status);
    return r.json();
  }

  // put sets obj's dotted path to v.
  function put(obj, path, v) {
    const parts = path.split('.');
    let o = obj;
    for (const p of parts.slice(0, -1)) {
      if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
      o = o[p];
    }
    o[parts[parts.length - 1]] = v;
  }

  // The controls of a policy kind: one per setting of the kind that is a
  // single value, and one text box per list (written in YAML's flow form).
  function buildKnobs() {
    const kind = $('policy').value;
    const prefix = 'policies[].' + kind + '.';
    const box = $('policy-knobs');
    box.replaceChildren();
    const lists = new Set();
    for (const s of schema.settings) {
      if (!s.path.startsWith(prefix)) continue;
      const rest = s.path.slice(prefix.length);
      if (rest.startsWith('behavior.')) continue;
      const li = rest.indexOf('[]');
      const label = document.createElement('label');
      let input;
      if (li >= 0) {
        const name = rest.slice(0, li);
        if (lists.has(name)) continue;
        lists.add(name);
        input = document.createElement('input');
        input.size = 40;
        input.dataset.raw = '';
        input.placeholder = '[{days: weekdays, from: "09:00", to: "17:00", capacity: 10}]';
        input.id = name;
        input.dataset.key = name;
        label.append(name + ' ', input);
        box.appendChild(label);
        continue;
      }
      if (s.enum) {
        input = document.createElement('select');
        for (const e of s.enum) {
          const o = document.createElement('option');
          o.value = o.textContent = e;
          input.appendChild(o);
        }
      } else {
        input = document.createElement('input');
        input.size = 10;
      }
      input.id = rest.replaceAll('.', '-');
      input.dataset.key = rest;
      input.value = s.default || '';
      if (s.required && !s.default) input.value = '0.7';
      input.title = s.doc + (s.min || s.max ? ' (' + [s.min, s.max].filter(Boolean).join(' to ') + ')' : '');
      label.append(rest.replaceAll('_', ' ') + ' ', input);
      box.appendChild(label);
    }
    const k = schema.policy_kinds_doc ? schema.policy_kinds_doc[kind] : '';
    $('policy-doc').textContent = k || '';
  }

  // scenarioDoc is the scenario of the controls, and the YAML texts (raws)
  // to splice into it where a marker is.
  function scenarioDoc() {
    const doc = {};
    const w = $('workload').value;
    doc.name = w === 'trace' ? 'the trace ' + traceName : 'the ' + w + ' preset';
    document.querySelectorAll('#controls [data-path]').forEach((el) => {
      if (el.closest('[hidden]')) return;
      const v = el.value.trim();
      if (v === '' && 'optional' in el.dataset) return;
      put(doc, el.dataset.path, v);
    });
    doc.workload = w === 'trace'
      ? { trace: { file: traceName, data: trace, loop: true } }
      : { preset: w };
    const kind = $('policy').value;
    const knobs = {};
    const raws = [];
    document.querySelectorAll('#policy-knobs [data-key]').forEach((el) => {
      const v = el.value.trim();
      if (v === '') return;
      if ('raw' in el.dataset) {
        raws.push(v);
        put(knobs, el.dataset.key, '\u0000raw' + (raws.length - 1));
      } else {
        put(knobs, el.dataset.key, v);
      }
    });
    let name = kind;
    if (kind === 'fixed') {
      name = Number(knobs.capacity) > 0 ? 'fixed-' + Number(knobs.capacity) : 'fixed-for-' + (knobs.at || 'peak');
    }
    doc.policies = [{ name: name, [kind]: knobs }];
    // Side by side: the same workload under serverless and a fleet fixed
    // for the peak, when asked, on the same table and charts.
    if ($('also-serverless').checked && kind !== 'serverless') doc.policies.push({ name: 'serverless', serverless: {} });
    if ($('also-fixed').checked && name !== 'fixed-for-peak') doc.policies.push({ name: 'fixed-for-peak', fixed: { at: 'peak' } });
    return { doc: doc, raws: raws };
  }

  function docText(d) {
    let text = JSON.stringify(d.doc, null, 2);
    d.raws.forEach((r, i) => { text = text.replace('"\\u0000raw' + i + '"', r); });
    return text;
  }

  function scenarioText() {
    return "# the explorer's scenario: boxes simulate reads it as it is\n" + docText(scenarioDoc()) + '\n';
  }

  async function simulate(text) {
    const my = ++seq;
    const view = $('view-simulate');
    if (text === undefined) {
      if ($('workload').value === 'trace' && trace === '') {
        showError('error', 'Choose a trace file to upload (CSV, Prometheus or CloudWatch JSON, Grafana CSV, access log), or pick a preset.');
        return;
      }
      text = scenarioText();
      $('document').value = text;
    }
    view.classList.add('busy');
    const t0 = performance.now();
    try {
      const d = await post('/api/simulate?draw=1', text);
      if (my !== seq) return;
      const ms = Math.round(performance.now() - t0);
      $('verdict').textContent = d.verdict;
      $('summary').textContent = d.summary + ' (' + d.steps.toLocaleString('en') + ' steps, ' + ms + ' ms)';
      $('table').innerHTML = d.table;
      $('notes').replaceChildren(...(d.notes || []).map((n) => {
        const p = document.createElement('p');
        p.textContent = n;
        return p;
      }));
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
      $('results').classList.remove('stale');
      document.body.dataset.simulations = String(Number(document.body.dataset.simulations || 0) + 1);
    } catch (e) {
      if (my !== seq) return;
      showError('error', e.message);
      $('results').classList.add('stale');
    } finally {
      if (my === seq) view.classList.remove('busy');
    }
  }

  const later = debounce(() => simulate(), 150);

  function showKnobs() {
    const e = $('engine').value;
    document.querySelectorAll('[data-engines]').forEach((el) => {
      el.hidden = !el.dataset.engines.split(' ').includes(e);
    });
  }

  // setup fills the controls from the schema: each control's default and
  // doc line, the policy kinds.
  async function setup() {
    schema = await getJSON('/api/schema');
    document.querySelectorAll('#controls [data-path]').forEach((el) => {
      const s = setting(el.dataset.path);
      if (!s) return;
      el.title = s.doc;
      if (el.tagName === 'INPUT' && s.default !== undefined && !('optional' in el.dataset)) el.value = s.default;
    });
    for (const k of schema.policy_kinds) {
      const o = document.createElement('option');
      o.value = o.textContent = k;
      $('policy').appendChild(o);
    }
    $('policy').value = 'hpa';
    buildKnobs();
  }

  // The sweep view: the Simulate view's scenario with a sweep block of one
  // or two of its settings, posted to /api/sweep. The settings offered are
  // the schema's single values of the box, the jobs, the objective and each
  // of the scenario's policies (named by the policy's name, as boxes sweep
  // names them: policies[hpa].target).
  let sseq = 0;

  function sweepPaths(doc) {
    const out = [];
    for (const s of schema.settings) {
      const p = s.path;
      if (p.includes('[]') || s.enum || s.type === 'text') continue; // a file's name is no setting to sweep
      if (p.startsWith('box.') || p.startsWith('slo.') || p.startsWith('jobs.') || p === 'horizon' || p === 'step') out.push({ path: p, doc: s.doc, def: s.default });
    }
    for (const pol of doc.policies || []) {
      const kind = Object.keys(pol).find((k) => k !== 'name');
      const prefix = 'policies[].' + kind + '.';
      for (const s of schema.settings) {
        if (!s.path.startsWith(prefix) || s.enum || s.type === 'text') continue;
        const rest = s.path.slice(prefix.length);
        if (rest.includes('[]') || rest.startsWith('behavior.')) continue;
        out.push({ path: 'policies[' + pol.name + '].' + rest, doc: s.doc, def: s.default });
      }
    }
    return out;
  }

  // fillSweepPaths offers the settings of the current scenario, keeping
  // each choice that is still offered.
  function fillSweepPaths() {
    const paths = sweepPaths(scenarioDoc().doc);
    for (const n of [1, 2]) {
      const sel = $('sweep-path-' + n);
      const was = sel.value;
      const opts = [];
      if (n === 2) {
        const none = document.createElement('option');
        none.value = '';
        none.textContent = 'none';
        opts.push(none);
      }
      for (const p of paths) {
        const o = document.createElement('option');
        o.value = o.textContent = p.path;
        o.title = p.doc + (p.def ? ' (default ' + p.def + ')' : '');
        opts.push(o);
      }
      sel.replaceChildren(...opts);
      if (paths.some((p) => p.path === was)) sel.value = was;
      else if (n === 1) {
        const first = paths.find((p) => /^policies\[[^\]]+\]\.target$/.test(p.path)) || paths[0];
        if (first) sel.value = first.path;
      } else sel.value = '';
    }
  }

  // sweepValues reads a list ("1, 2, 4", "[1, 2, 4]") or keeps a range
  // ("0.4..0.9 step 0.05") as text for the server to expand.
  function sweepValues(text) {
    const t = text.trim();
    if (t.includes('..')) return t;
    const items = t.replace(/^\[|\]$/g, '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return items;
  }

  function sweepText() {
    const d = scenarioDoc();
    const block = {};
    for (const n of [1, 2]) {
      const path = $('sweep-path-' + n).value;
      if (!path) continue;
      const v = sweepValues($('sweep-values-' + n).value);
      if (v.length === 0) throw new Error('Give the values of ' + path + ': a list like 1, 2, 4 or a range like 0.4..0.9 step 0.05.');
      if (path in block) throw new Error(path + ' is chosen twice.');
      block[path] = v;
    }
    if (Object.keys(block).length === 0) throw new Error('Choose a setting to sweep.');
    d.doc.sweep = block;
    return "# the explorer's sweep: boxes sweep reads it as it is\n" + docText(d) + '\n';
  }

  async function runSweep() {
    const my = ++sseq;
    const view = $('view-sweep');
    let text;
    try {
      text = sweepText();
    } catch (e) {
      showError('sweep-error', e.message);
      return;
    }
    $('sweep-document').value = text;
    view.classList.add('busy');
    const t0 = performance.now();
    try {
      const d = await post('/api/sweep?draw=1', text);
      if (my !== sseq) return;
      const ms = Math.round(performance.now() - t0);
      $('sweep-verdict').textContent = d.verdict + ' (' + d.configurations.toLocaleString('en') + ' configurations, ' + ms + ' ms)';
      $('sweep-table').innerHTML = d.table;
      drawCharts($('sweep-charts'), d.charts);
      showError('sweep-error', '');
      $('sweep-results').classList.remove('stale');
      document.body.dataset.sweeps = String(Number(document.body.dataset.sweeps || 0) + 1);
    } catch (e) {
      if (my !== sseq) return;
      showError('sweep-error', e.message);
      $('sweep-results').classList.add('stale');
    } finally {
      if (my === sseq) view.classList.remove('busy');
    }
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
      $('compare-results').classList.remove('stale');
    } catch (e) {
      if (my !== cseq) return;
      showError('compare-error', e.message);
      $('compare-results').classList.add('stale');
    }
  }

  const compareLater = debounce(compare, 150);

  function show(view) {
    for (const v of ['simulate', 'sweep', 'compare']) {
      $('view-' + v).hidden = v !== view;
      $('tab-' + v).setAttribute('aria-selected', String(v === view));
    }
    if (view === 'sweep') fillSweepPaths();
    if (view === 'compare' && $('compare-charts').childElementCount === 0) compare();
  }

  document.addEventListener('DOMContentLoaded', async () => {
    try {
      await setup();
    } catch (e) {
      showError('error', 'The page could not read the settings: ' + e.message);
      return;
    }
    showKnobs();
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    $('compare-controls').addEventListener('submit', (e) => e.preventDefault());
    $('controls').addEventListener('input', (e) => {
      if (e.target.id !== 'document') later();
    });
    $('run-document').addEventListener('click', () => simulate($('document').value));
    $('controls').addEventListener('change', (e) => {
      if (e.target.id === 'policy') buildKnobs();
      if (e.target.id === 'engine') showKnobs();
      if (e.target.id !== 'trace-file' && e.target.id !== 'document') later();
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
    $('tab-sweep').addEventListener('click', () => show('sweep'));
    $('sweep-controls').addEventListener('submit', (e) => e.preventDefault());
    $('sweep-run').addEventListener('click', runSweep);
    $('sweep-controls').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target.tagName === 'INPUT') runSweep();
    });
    simulate();
  });
})();
