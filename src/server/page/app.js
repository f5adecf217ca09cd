// Quarry's first page: search with suggestions, results with prices and brands, the trace on demand.
// Plain browser JavaScript (no build step). Clicks are sent back as events, so using the page trains the engine.

const $ = (selector) => document.querySelector(selector);
const input = $('#q');
const list = $('#suggestions');
const results = $('#results');
const status = $('#status');
const userBox = $('#user');
const explainBox = $('#explain');

userBox.value = localStorage.getItem('quarry.user') || `web-${Math.random().toString(36).slice(2, 8)}`;
localStorage.setItem('quarry.user', userBox.value);
userBox.addEventListener('change', () => localStorage.setItem('quarry.user', userBox.value.trim()));

const user = () => userBox.value.trim() || 'anonymous';
const sessionId = `web-${Date.now().toString(36)}`;
let eventCounter = 0;
const eventId = () => `${sessionId}-${++eventCounter}`;

async function getJson(path, params) {
  const url = `${path}?${new URLSearchParams(params)}`;
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : response.statusText);
  return body;
}

function sendEvents(events) {
  fetch('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) }).catch(() => {});
}

// ---- suggestions while typing ----
let suggestTimer;
let selected = -1;
let lastSuggest;

input.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(showSuggestions, 80);
});

input.addEventListener('keydown', (event) => {
  const items = [...list.children];
  if (list.hidden || items.length === 0) return;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    selected = (selected + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
    items.forEach((li, i) => li.setAttribute('aria-selected', String(i === selected)));
  } else if (event.key === 'Enter' && selected >= 0) {
    event.preventDefault();
    takeSuggestion(selected);
  } else if (event.key === 'Escape') {
    list.hidden = true;
  }
});

async function showSuggestions() {
  const prefix = input.value;
  if (prefix.trim() === '') { list.hidden = true; return; }
  try {
    lastSuggest = await getJson('/suggest', { q: prefix, user: user(), limit: 8 });
  } catch { list.hidden = true; return; }
  if (input.value !== prefix) return;
  list.replaceChildren(...lastSuggest.suggestions.map((s, i) => {
    const li = document.createElement('li');
    li.setAttribute('role', 'option');
    li.textContent = s.text;
    li.addEventListener('mousedown', (event) => { event.preventDefault(); takeSuggestion(i); });
    return li;
  }));
  selected = -1;
  list.hidden = lastSuggest.suggestions.length === 0;
}

function takeSuggestion(index) {
  const suggestion = lastSuggest.suggestions[index];
  sendEvents([{ eventId: eventId(), type: 'suggestion_click', userId: user(), time: Date.now(), sessionId,
    requestId: lastSuggest.requestId, prefix: lastSuggest.prefix, suggestion: suggestion.text, position: index + 1 }]);
  input.value = suggestion.text;
  list.hidden = true;
  search();
}

input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 100));

// ---- results ----
$('#search-form').addEventListener('submit', (event) => { event.preventDefault(); list.hidden = true; search(); });

async function search() {
  const query = input.value.trim();
  status.textContent = 'Searching…';
  try {
    const params = { q: query, user: user(), session: sessionId, limit: 20, explain: String(explainBox.checked) };
    const response = await getJson('/search', params);
    render(response, { onEmpty: `No results for “${query}”.` });
    status.textContent = query === ''
      ? `Popular items (${response.tookMs} ms)`
      : `${response.total} results for “${query}” (${response.tookMs} ms)`;
  } catch (error) {
    status.textContent = String(error.message || error);
  }
}

async function home() {
  try {
    const response = await getJson('/recommend', { user: user(), session: sessionId, limit: 20, explain: String(explainBox.checked) });
    render(response, { onEmpty: 'Nothing to recommend yet.' });
    status.textContent = `Recommended for ${user()} (${response.tookMs} ms)`;
  } catch (error) {
    status.textContent = String(error.message || error);
  }
}

function render(response, { onEmpty }) {
  results.replaceChildren(...response.items.map((item) => resultRow(item, response.requestId)));
  if (response.items.length === 0) results.textContent = onEmpty;
  renderTrace(response.trace);
  $('#similar').hidden = true;
}

function resultRow(item, requestId) {
  const li = document.createElement('li');
  li.className = 'result';
  li.dataset.itemId = item.id;
  const title = document.createElement('div');
  title.className = 'title';
  if (item.kind !== 'product') {
    const badge = document.createElement('span');
    badge.className = `badge ${item.kind}`;
    badge.textContent = item.kind === 'ad' ? '广告 Ad' : '内容 Content';
    title.append(badge);
  }
  title.append(item.title);
  title.addEventListener('click', () => openItem(item, requestId));
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = [item.brand, item.categoryPath.join(' › '), item.shop, item.region].filter(Boolean).join(' · ');
  const price = document.createElement('div');
  price.className = 'price';
  price.textContent = item.price === undefined ? '' : `¥${item.price.toFixed(2)}`;
  li.append(title, price, meta);
  if (item.explain) li.append(whyBlock(item.explain));
  return li;
}

function whyBlock(explain) {
  const details = document.createElement('details');
  details.className = 'why';
  const summary = document.createElement('summary');
  summary.textContent = `why here? score ${explain.score.toFixed(4)} from ${explain.sources.map((s) => `${s.channel} #${s.rank}`).join(', ')}`;
  const pre = document.createElement('pre');
  pre.textContent = explain.rank ? formatTree(explain.rank, 0) : JSON.stringify(explain, null, 2);
  details.append(summary, pre);
  return details;
}

function formatTree(node, depth) {
  const line = `${'  '.repeat(depth)}${Number(node.value).toFixed(4)}  ${node.label}`;
  return [line, ...(node.children || []).map((child) => formatTree(child, depth + 1))].join('\n');
}

function renderTrace(trace) {
  const section = $('#trace');
  section.hidden = !trace;
  if (!trace) return;
  section.querySelector('tbody').replaceChildren(...trace.stages.map((s) => {
    const tr = document.createElement('tr');
    for (const value of [s.stage, s.name, s.input, s.output, s.tookMs]) {
      const td = document.createElement('td');
      td.textContent = String(value);
      tr.append(td);
    }
    return tr;
  }));
}

async function openItem(item, requestId) {
  const position = item.position;
  sendEvents([{ eventId: eventId(), type: 'click', userId: user(), time: Date.now(), sessionId, requestId, itemId: item.id, position }]);
  const section = $('#similar');
  try {
    const similar = await getJson('/recommend', { item: item.id, user: user(), session: sessionId, limit: 8 });
    section.querySelector('h2').textContent = `Similar to ${item.title}`;
    section.querySelector('ol').replaceChildren(...similar.items.map((s) => resultRow(s, similar.requestId)));
    section.hidden = false;
    section.scrollIntoView({ behavior: 'smooth' });
  } catch (error) {
    status.textContent = String(error.message || error);
  }
}

explainBox.addEventListener('change', () => (input.value.trim() ? search() : home()));
const initial = new URLSearchParams(location.search).get('q');
if (initial) { input.value = initial; search(); } else { home(); }
