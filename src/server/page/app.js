// Quarry's first page: search with suggestions, the hint word and "guess" chips before typing, results
// with prices and brands, refinement chips and related searches after, the trace on demand.
// Plain browser JavaScript (no build step). Clicks are sent back as events, so using the page trains the
// engine; every search says where its query came from (`source`), so the log can tell them apart.

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
  search({ source: 'suggestion' });
}

// ---- before typing: the hint word in the empty box, "guess what you want to search" chips ----
let hint;
let hintRequestId;

async function showHint() {
  try {
    const response = await getJson('/hint', { user: user() });
    hint = response.hint;
    hintRequestId = response.requestId;
  } catch { hint = null; }
  input.placeholder = hint ? hint.text : defaultPlaceholder;
}
const defaultPlaceholder = input.placeholder;

/** Searching with an empty box takes the hint word (and tells the engine, which retires it for this user). */
function takeHint() {
  sendEvents([{ eventId: eventId(), type: 'suggestion_click', userId: user(), time: Date.now(), sessionId,
    requestId: hintRequestId, prefix: '', suggestion: hint.text, position: 1 }]);
  input.value = hint.text;
  search({ source: 'hint' });
}

async function showGuesses() {
  const section = $('#guess');
  try {
    const { queries } = await getJson('/guess', { user: user(), limit: 8 });
    section.replaceChildren(section.querySelector('.chips-title'), ...queries.map((q) => chip(q.text, () => {
      input.value = q.text;
      search({ source: 'guess' });
    })));
    section.hidden = queries.length === 0;
  } catch { section.hidden = true; }
}

function chip(label, onClick, kind) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'chip';
  if (kind) {
    const tag = document.createElement('span');
    tag.className = 'kind';
    tag.textContent = kind;
    button.append(tag);
  }
  button.append(label);
  button.addEventListener('click', onClick);
  return button;
}

input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 100));

// ---- results ----
$('#search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  list.hidden = true;
  if (input.value.trim() === '' && hint) takeHint(); else search();
});

/** Filters applied by refinement chips to the current query; a new query starts without them. */
let filters = {};

function filterParams(f) {
  const params = {};
  if (f.brands) params.brand = f.brands.join(',');
  if (f.category) params.category = f.category.join('>');
  if (f.priceMin !== undefined) params.priceMin = String(f.priceMin);
  if (f.priceMax !== undefined) params.priceMax = String(f.priceMax);
  return params;
}

async function search({ source = 'typed', keepFilters = false } = {}) {
  const query = input.value.trim();
  if (!keepFilters) filters = {};
  status.textContent = 'Searching…';
  $('#guess').hidden = true;
  try {
    const params = { q: query, source, user: user(), session: sessionId, limit: 20, explain: String(explainBox.checked), ...filterParams(filters) };
    const response = await getJson('/search', params);
    render(response, { onEmpty: `No results for “${query}”.` });
    renderRefinements(query, response.refinements || []);
    showRelated(query);
    const applied = Object.keys(filters).length > 0 ? ' (refined)' : '';
    status.textContent = query === ''
      ? `Popular items (${response.tookMs} ms)`
      : `${response.total} results for “${query}”${applied} (${response.tookMs} ms)`;
  } catch (error) {
    status.textContent = String(error.message || error);
  }
}

// ---- after searching: refinement chips, related searches ----
const KIND_LABELS = { brand: '品牌', category: '类目', price: '价格', attribute: '属性' };

function renderRefinements(query, refinements) {
  const section = $('#refinements');
  section.replaceChildren(...refinements.map((r) => chip(r.label, () => {
    if (r.filter) {
      filters = { ...filters, ...r.filter };
      search({ source: 'refinement', keepFilters: true });
    } else {
      input.value = r.query;
      search({ source: 'refinement' });
    }
  }, KIND_LABELS[r.kind] || r.kind)));
  section.hidden = query === '' || refinements.length === 0;
}

async function showRelated(query) {
  const section = $('#related');
  section.hidden = true;
  if (query === '') return;
  try {
    const { queries } = await getJson('/related', { q: query, limit: 8 });
    if (input.value.trim() !== query) return;
    section.replaceChildren(section.querySelector('.chips-title'), ...queries.map((q) => chip(q.text, () => {
      input.value = q.text;
      search({ source: 'related' });
    })));
    section.hidden = queries.length === 0;
  } catch { section.hidden = true; }
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

explainBox.addEventListener('change', () => (input.value.trim() ? search({ keepFilters: true }) : home()));
const initial = new URLSearchParams(location.search).get('q');
showHint();
if (initial) { input.value = initial; search(); } else { home(); showGuesses(); }
