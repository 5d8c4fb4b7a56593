// Gongbu workspace: the creator's Mini App. Plain JavaScript, no build step; it talks only to the
// REST API of PRODUCT.md §9 on the same origin. Inside Telegram it uses the WebApp SDK (theme,
// BackButton, MainButton, haptics); when the SDK cannot load it signs in from the tgWebAppData
// launch parameter; in a desktop browser it shows the Telegram Login Widget.
'use strict';

const SDK_URL = 'https://telegram.org/js/telegram-web-app.js';
const SDK_TIMEOUT_MS = 2500;
const TOKEN_KEY = 'gongbu.token';
const STEP_TYPES = ['text', 'photo', 'video', 'document', 'audio', 'quiz', 'assignment'];
const MEDIA_TYPES = ['photo', 'video', 'document', 'audio'];
const ACCEPT_KINDS = ['text', 'photo', 'document', 'voice', 'video'];
const SEGMENTS = ['all', 'not_started', 'in_progress', 'stuck', 'completed', 'paid', 'not_paid'];
const PRICE_MODELS = ['free', 'paid', 'freemium', 'subscription'];

const state = { token: null, user: null, tg: null, stack: [], mainAction: null };

// ---------------------------------------------------------------- DOM helpers

/** Makes an element: h('button', {class: 'x', onclick: f, 'data-test': 'y'}, 'text', child…). */
function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'value') element.value = value;
    else if (key === 'checked') element.checked = !!value;
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function svg(tag, attrs, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) element.setAttribute(key, value);
  for (const child of children.flat()) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

const screen = () => document.getElementById('screen');
const $ = (selector, root) => (root || document).querySelector(selector);
const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

/** A labelled input whose errors (§9 `field`) show right under it. */
function field(label, name, input) {
  input.setAttribute('data-field', name);
  if (!input.id) input.id = 'f-' + name.replace(/[^a-zA-Z0-9]/g, '-') + '-' + Math.random().toString(36).slice(2, 7);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input,
    h('div', { class: 'field-error', 'data-error-for': name, 'data-test': 'field-error', hidden: true }));
}

let noticeTimer = null;
function notify(text, bad) {
  const notice = $('[data-test=notice]');
  notice.textContent = text;
  notice.className = 'notice' + (bad ? ' bad' : '');
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.hidden = true; }, 3500);
  haptic(bad ? 'error' : 'success');
}

function haptic(kind) {
  try { state.tg && state.tg.HapticFeedback && state.tg.HapticFeedback.notificationOccurred(kind); } catch (_) { /* old client */ }
}

function formatStars(amount, currency) {
  if (amount === undefined || amount === null) return '';
  return (!currency || currency === 'XTR') ? `${amount} ⭐` : `${amount} ${currency}`;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || 'http_' + status;
    this.field = error.field || null;
  }
}

/** One call of the REST API: JSON in and out, `Authorization: Bearer`, §9 errors as ApiError. */
async function api(method, path, body, options) {
  const headers = {};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  const response = await fetch(path, { method, headers, body: payload });
  if (options && options.raw) {
    if (!response.ok) throw new ApiError(response.status, null);
    return response;
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  if (response.status === 401 && state.token && !(options && options.signIn)) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    setTimeout(() => signIn(), 0);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Shows an API error next to its field in `root` (or in the form's error line, or as a notice). */
function showError(error, root) {
  root = root || screen();
  clearErrors(root);
  if (!(error instanceof ApiError)) { notify(String(error.message || error), true); return; }
  let target = null;
  if (error.field) {
    const candidates = [error.field, error.field.replace(/^steps\[\d+\]\./, ''), error.field.replace(/\[\d+\]$/, ''),
      error.field.split('.').pop()];
    for (const name of candidates) {
      target = root.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (target) break;
    }
  }
  if (!target) target = root.querySelector('[data-test=form-error]');
  if (target) {
    target.textContent = error.message;
    target.hidden = false;
    const input = target.parentElement && target.parentElement.querySelector('[data-field]');
    if (input) input.classList.add('invalid');
    haptic('error');
  } else {
    notify(error.message, true);
  }
}

function clearErrors(root) {
  for (const element of $$('[data-error-for], [data-test=form-error]', root)) { element.hidden = true; element.textContent = ''; }
  for (const element of $$('.invalid', root)) element.classList.remove('invalid');
}

function formError() { return h('div', { class: 'error', 'data-test': 'form-error', hidden: true }); }

// ---------------------------------------------------------------- Telegram

function loadScript(src, timeout) {
  return new Promise(resolve => {
    const script = document.createElement('script');
    const timer = setTimeout(() => resolve(false), timeout);
    script.src = src;
    script.async = true;
    script.onload = () => { clearTimeout(timer); resolve(true); };
    script.onerror = () => { clearTimeout(timer); resolve(false); };
    document.head.append(script);
  });
}

/** The launch parameters Telegram clients put in the URL fragment (`#tgWebAppData=…&…`). */
function launchParams() {
  const hash = location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  return { initData: params.get('tgWebAppData') || '', theme: params.get('tgWebAppThemeParams') };
}

function applyTheme(theme) {
  if (!theme) return;
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === 'string') document.documentElement.style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
  }
}

async function setUpTelegram() {
  const params = launchParams();
  // Outside Telegram (no launch parameters) the SDK has nothing to do; inside, it may be offline.
  if (params.initData && await loadScript(SDK_URL, SDK_TIMEOUT_MS) && window.Telegram && window.Telegram.WebApp) {
    const tg = window.Telegram.WebApp;
    state.tg = tg;
    document.body.classList.add('in-telegram');
    try {
      tg.ready();
      tg.expand();
      applyTheme(tg.themeParams);
      tg.onEvent('themeChanged', () => applyTheme(tg.themeParams));
      tg.BackButton.onClick(() => goBack());
      tg.MainButton.onClick(() => state.mainAction && state.mainAction());
    } catch (_) { /* an old client without some of these */ }
    return tg.initData || params.initData;
  }
  if (params.theme) { try { applyTheme(JSON.parse(params.theme)); } catch (_) { /* malformed */ } }
  return params.initData;
}

/** The MainButton (inside Telegram) and the page's own Save buttons run `action`. */
function setMainAction(label, action) {
  state.mainAction = action;
  const tg = state.tg;
  if (!tg || !tg.MainButton) return;
  if (action) { tg.MainButton.setText(label); tg.MainButton.show(); } else tg.MainButton.hide();
}

// ---------------------------------------------------------------- Sign-in

async function signIn() {
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) {
    state.token = stored;
    try { state.user = JSON.parse(sessionStorage.getItem(TOKEN_KEY + '.user') || 'null'); } catch (_) { state.user = null; }
    scheduleRefresh();
    signedIn();
    return;
  }
  const initData = state.initData;
  if (initData) {
    try {
      const answer = await api('POST', '/auth/telegram', { initData }, { signIn: true });
      acceptSession(answer);
      return;
    } catch (error) {
      renderSignInFailure(error);
      return;
    }
  }
  renderLoginWidget();
}

function acceptSession(answer) {
  storeSession(answer);
  signedIn();
}

function storeSession(answer) {
  state.token = answer.token;
  state.user = answer.user || state.user || null;
  sessionStorage.setItem(TOKEN_KEY, answer.token);
  sessionStorage.setItem(TOKEN_KEY + '.user', JSON.stringify(state.user));
  if (answer.expires_at) sessionStorage.setItem(TOKEN_KEY + '.expires', answer.expires_at);
  scheduleRefresh();
}

/** Renews the session (POST /auth/refresh) half an hour before it expires, while the page is open. */
let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const expires = Date.parse(sessionStorage.getItem(TOKEN_KEY + '.expires') || '');
  if (!expires) return;
  const delay = Math.max(10_000, expires - Date.now() - 30 * 60 * 1000);
  refreshTimer = setTimeout(async () => {
    try { storeSession(await api('POST', '/auth/refresh')); } catch (_) { /* a 401 signs in again */ }
  }, Math.min(delay, 2_000_000_000));
}

function signedIn() {
  $('[data-test=who]').textContent = state.user ? `${state.user.first_name || ''}${state.user.role === 'admin' ? ' · admin' : ''}` : '';
  state.stack = [];
  show(coursesScreen());
}

function renderSignInFailure(error) {
  const message = error.status === 403 ? 'Your account may not create courses here yet: ask an admin to approve you.'
    : `Sign-in failed: ${error.message}`;
  screen().replaceChildren(h('div', { class: 'card', 'data-test': 'signin-error' }, h('p', {}, message)));
}

async function renderLoginWidget() {
  $('[data-test=screen-title]').textContent = 'Sign in';
  const holder = h('div', { 'data-test': 'login-widget' });
  screen().replaceChildren(h('div', { class: 'card' },
    h('h2', {}, 'Sign in with Telegram'),
    h('p', { class: 'muted' }, 'Open this workspace from the manager bot in Telegram, or sign in here with your Telegram account.'),
    holder));
  let config = {};
  try { config = await api('GET', '/app/config.json'); } catch (_) { config = {}; }
  if (!config.botUsername) { holder.append(h('p', { class: 'error' }, 'The manager bot is not known yet; try again in a moment.')); return; }
  window.gongbuWidgetAuth = async user => {
    try {
      const body = {};
      for (const [key, value] of Object.entries(user)) body[key] = typeof value === 'number' ? value : String(value);
      acceptSession(await api('POST', '/auth/widget', body, { signIn: true }));
    } catch (error) { renderSignInFailure(error); }
  };
  const script = document.createElement('script');
  script.async = true;
  script.src = 'https://telegram.org/js/telegram-widget.js?22';
  script.setAttribute('data-telegram-login', config.botUsername);
  script.setAttribute('data-size', 'large');
  script.setAttribute('data-onauth', 'gongbuWidgetAuth(user)');
  script.setAttribute('data-request-access', 'write');
  script.onerror = () => holder.append(h('p', { class: 'error' }, 'The Telegram Login Widget could not load (offline?).'));
  holder.append(script);
}

// ---------------------------------------------------------------- Navigation

/** A screen is {title, node, main?: [label, action]}; show() pushes, goBack() pops. */
function show(view, replace) {
  if (replace) state.stack.pop();
  state.stack.push(view);
  render();
}

function goBack() {
  if (state.stack.length <= 1) return;
  state.stack.pop();
  const view = state.stack[state.stack.length - 1];
  if (view.refresh) view.refresh();
  render();
}

function render() {
  const view = state.stack[state.stack.length - 1];
  $('[data-test=screen-title]').textContent = view.title;
  screen().replaceChildren(view.node);
  const canGoBack = state.stack.length > 1;
  $('[data-test=back]').hidden = !canGoBack || !!state.tg;
  if (state.tg && state.tg.BackButton) { if (canGoBack) state.tg.BackButton.show(); else state.tg.BackButton.hide(); }
  setMainAction(view.main ? view.main[0] : null, view.main ? view.main[1] : null);
  window.scrollTo(0, 0);
}

// ---------------------------------------------------------------- Courses

function coursesScreen() {
  const list = h('ul', { class: 'list', 'data-test': 'course-list' });
  const search = h('input', { type: 'search', placeholder: 'Search courses', 'data-test': 'course-search' });
  const reviewsButton = h('button', { class: 'secondary', 'data-test': 'open-reviews', onclick: () => show(reviewsScreen()) }, 'Reviews');
  const newTitle = h('input', { type: 'text', placeholder: 'Title', 'data-test': 'new-course-title' });
  const newDescription = h('textarea', { placeholder: 'Description (optional)', 'data-test': 'new-course-description' });
  const form = h('div', { class: 'card', 'data-test': 'new-course-form', hidden: true },
    h('h2', {}, 'New course'),
    field('Title', 'title', newTitle),
    field('Description', 'description', newDescription),
    formError(),
    h('div', { class: 'row' }, h('button', { 'data-test': 'create-course', onclick: create }, 'Create')));

  async function create() {
    try {
      const body = { title: newTitle.value.trim() };
      if (newDescription.value.trim()) body.description = newDescription.value.trim();
      const course = await api('POST', '/courses', body);
      notify('Course created');
      form.hidden = true;
      newTitle.value = '';
      newDescription.value = '';
      show(courseScreen(course.id || course.slug));
    } catch (error) { showError(error, form); }
  }

  async function load() {
    try {
      const query = search.value.trim() ? '?search=' + encodeURIComponent(search.value.trim()) : '';
      const answer = await api('GET', '/courses' + query);
      const courses = (answer && answer.courses) || [];
      list.replaceChildren(...courses.map(course => h('li', {
        class: 'item', 'data-test': 'course-item', 'data-id': course.id || course.slug,
        onclick: () => show(courseScreen(course.id || course.slug)),
      },
      h('div', { class: 'grow' }, h('div', { class: 'title' }, course.title || course.id),
        h('div', { class: 'muted' }, [course.category, course.id || course.slug].filter(Boolean).join(' · '))),
      h('span', { class: 'badge' + (course.published ? ' on' : '') }, course.archived ? 'archived' : course.published ? 'published' : 'draft'))));
      if (!courses.length) list.append(h('li', { class: 'muted', 'data-test': 'no-courses' }, 'No courses yet.'));
      try {
        const reviews = await api('GET', '/reviews');
        const count = ((reviews && (reviews.reviews || reviews.submissions)) || []).length;
        reviewsButton.textContent = count ? `Reviews (${count})` : 'Reviews';
      } catch (_) { /* reviewers only */ }
    } catch (error) { showError(error, node); }
  }

  let searchTimer = null;
  search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(load, 250); });
  const node = h('div', {},
    h('div', { class: 'row' }, h('div', { class: 'grow' }, search), reviewsButton,
      h('button', { 'data-test': 'new-course', onclick: () => { form.hidden = !form.hidden; if (!form.hidden) newTitle.focus(); } }, '+ New course')),
    form, formError(), list);
  load();
  return { title: 'Courses', node, refresh: load };
}

// ---------------------------------------------------------------- Course editor

function courseScreen(id) {
  const tabs = ['settings', 'steps', 'stats', 'students', 'payments', 'broadcast'];
  const labels = { settings: 'Settings', steps: 'Steps', stats: 'Statistics', students: 'Students', payments: 'Payments', broadcast: 'Broadcast' };
  const body = h('div', { 'data-test': 'course-body' });
  const tabBar = h('div', { class: 'tabs', 'data-test': 'course-tabs' });
  const view = { title: 'Course', node: h('div', { 'data-test': 'course-screen', 'data-id': id }, tabBar, body) };
  let current = 'settings';
  let course = null;

  function select(tab) {
    current = tab;
    for (const button of $$('button', tabBar)) button.classList.toggle('active', button.dataset.tab === tab);
    const builders = { settings: settingsTab, steps: stepsTab, stats: statsTab, students: studentsTab, payments: paymentsTab, broadcast: broadcastTab };
    const built = builders[tab](id, course, updated => { course = updated; view.title = course.title || id; $('[data-test=screen-title]').textContent = view.title; });
    body.replaceChildren(built.node);
    view.main = built.main || null;
    setMainAction(view.main ? view.main[0] : null, view.main ? view.main[1] : null);
  }

  tabBar.append(...tabs.map(tab => h('button', { 'data-tab': tab, 'data-test': 'tab-' + tab, onclick: () => select(tab) }, labels[tab])));
  view.refresh = () => select(current);
  api('GET', '/courses/' + encodeURIComponent(id)).then(answer => {
    course = answer.course || answer;
    view.title = course.title || id;
    if (state.stack[state.stack.length - 1] === view) $('[data-test=screen-title]').textContent = view.title;
    select('settings');
  }).catch(error => { body.replaceChildren(h('p', { class: 'error', 'data-test': 'course-error' }, error.message)); });
  body.append(h('p', { class: 'muted' }, 'Loading…'));
  return view;
}

function settingsTab(id, course, changed) {
  const price = course.price || { model: 'free' };
  const inputs = {
    title: h('input', { type: 'text', value: course.title || '', 'data-test': 'course-title' }),
    description: h('textarea', { 'data-test': 'course-description' }, course.description || ''),
    language: h('input', { type: 'text', value: course.language || 'en', maxlength: 8, 'data-test': 'course-language' }),
    category: h('input', { type: 'text', value: course.category || '', 'data-test': 'course-category' }),
    difficulty: h('select', { 'data-test': 'course-difficulty' }, h('option', { value: '' }, '—'),
      [1, 2, 3, 4, 5].map(n => h('option', { value: n, selected: course.difficulty === n }, `${n} ${'★'.repeat(n)}`))),
    model: h('select', { 'data-test': 'price-model' }, PRICE_MODELS.map(m => h('option', { value: m, selected: (price.model || 'free') === m }, m))),
    amount: h('input', { type: 'number', min: 1, value: price.amount || '', 'data-test': 'price-amount' }),
    period: h('input', { type: 'number', value: price.period_days || 30, 'data-test': 'price-period' }),
    duration: h('input', { type: 'number', min: 1, value: course.duration_minutes || '', placeholder: 'minutes', 'data-test': 'course-duration' }),
  };
  inputs.description.value = course.description || '';
  const amountField = field('Price (Stars)', 'price.amount', inputs.amount);
  const periodField = field('Period (days)', 'price.period_days', inputs.period);
  const priceVisibility = () => {
    amountField.hidden = inputs.model.value === 'free';
    periodField.hidden = inputs.model.value !== 'subscription';
  };
  inputs.model.addEventListener('change', priceVisibility);
  priceVisibility();

  const status = h('span', { class: 'badge' + (course.published ? ' on' : ''), 'data-test': 'course-status' }, course.published ? 'published' : 'not published');
  const botLine = h('span', { class: 'muted', 'data-test': 'course-bot' }, course.botUsername ? '@' + course.botUsername : 'no bot connected');
  const readOnly = course.read_only ? h('p', { class: 'muted', 'data-test': 'read-only' },
    'This course comes from bots.yaml: change its course.yaml. Reviews, students, payments and broadcasts work here.') : null;
  const botToken = h('input', { type: 'password', placeholder: 'Token from @BotFather', autocomplete: 'off', 'data-test': 'bot-token' });
  const form = h('div', {});

  async function save() {
    const body = {
      title: inputs.title.value.trim(), description: inputs.description.value, language: inputs.language.value.trim(),
      category: inputs.category.value.trim() || null, difficulty: inputs.difficulty.value ? Number(inputs.difficulty.value) : null,
    };
    const model = inputs.model.value;
    if (inputs.duration.value !== '') body.duration_minutes = Number(inputs.duration.value);
    // course.yaml: no price is a free course.
    if (model === 'free') body.price = null;
    else {
      body.price = { model };
      if (inputs.amount.value !== '') body.price.amount = Number(inputs.amount.value);
      if (model === 'subscription') body.price.period_days = Number(inputs.period.value);
    }
    try {
      const answer = await api('PUT', '/courses/' + encodeURIComponent(id), body);
      clearErrors(form);
      changed(answer.course || answer);
      notify('Saved');
    } catch (error) { showError(error, form); }
  }

  async function publish(on) {
    try {
      const answer = await api('POST', `/courses/${encodeURIComponent(id)}/${on ? 'publish' : 'unpublish'}`);
      course.published = on;
      if (answer && answer.botUsername) course.botUsername = answer.botUsername;
      status.textContent = on ? 'published' : 'not published';
      status.className = 'badge' + (on ? ' on' : '');
      changed(course);
      notify(on ? `Published${answer && answer.botUsername ? ' in @' + answer.botUsername : ''}` : 'Unpublished');
    } catch (error) {
      if (error.code === 'conflict') showError(new ApiError(409, { error: { code: 'conflict', message: error.message + ' — connect a bot below first.' } }), form);
      else showError(error, form);
    }
  }

  async function connect() {
    try {
      const answer = await api('PUT', `/courses/${encodeURIComponent(id)}/bot`, { token: botToken.value.trim() });
      botToken.value = '';
      course.botUsername = answer.botUsername;
      botLine.textContent = '@' + answer.botUsername;
      notify('Bot connected: @' + answer.botUsername);
    } catch (error) { showError(error, form); }
  }

  async function archive() {
    if (!confirm('Archive this course? Its bot will answer like an unpublished course; students\u2019 data is kept.')) return;
    try {
      await api('DELETE', '/courses/' + encodeURIComponent(id));
      notify('Archived');
      goBack();
    } catch (error) { showError(error, form); }
  }

  form.append(
    h('div', { class: 'card' },
      h('div', { class: 'row' }, status, botLine, h('span', { class: 'grow' }),
        h('button', { 'data-test': 'publish', onclick: () => publish(true) }, 'Publish'),
        h('button', { class: 'secondary', 'data-test': 'unpublish', onclick: () => publish(false) }, 'Unpublish')),
      readOnly, formError()),
    h('div', { class: 'card' },
      h('h2', {}, 'Settings'),
      field('Title', 'title', inputs.title),
      field('Description', 'description', inputs.description),
      h('div', { class: 'row' },
        h('div', { class: 'grow' }, field('Language', 'language', inputs.language)),
        h('div', { class: 'grow' }, field('Category', 'category', inputs.category)),
        h('div', { class: 'grow' }, field('Difficulty', 'difficulty', inputs.difficulty)),
        h('div', { class: 'grow' }, field('Duration (minutes)', 'duration_minutes', inputs.duration))),
      h('div', { class: 'row' },
        h('div', { class: 'grow' }, field('Pricing', 'price.model', inputs.model)),
        h('div', { class: 'grow' }, amountField), h('div', { class: 'grow' }, periodField)),
      h('div', { class: 'row hidden-in-telegram' }, h('button', { 'data-test': 'save-course', onclick: save }, 'Save'))),
    h('div', { class: 'card' },
      h('h2', {}, 'Course bot'),
      field('Bot token', 'token', botToken),
      h('div', { class: 'row' },
        h('button', { class: 'secondary', 'data-test': 'connect-bot', onclick: connect }, 'Connect bot'),
        h('span', { class: 'grow' }),
        h('button', { class: 'danger small', 'data-test': 'archive-course', onclick: archive }, 'Archive course'))));
  return { node: form, main: ['Save', save] };
}

// ---------------------------------------------------------------- Steps

function stepLabel(step, index) {
  return `${index + 1}. ${step.title || step.type}`;
}

function stepsTab(id, course) {
  const list = h('ul', { class: 'list', 'data-test': 'step-list' });
  const typeSelect = h('select', { 'data-test': 'add-step-type' }, STEP_TYPES.map(type => h('option', { value: type }, type)));
  const node = h('div', {},
    h('div', { class: 'card' }, h('div', { class: 'row' },
      h('span', { class: 'grow muted' }, 'Drag ☰ to reorder.'), typeSelect,
      h('button', { 'data-test': 'add-step', onclick: () => show(stepScreen(id, { type: typeSelect.value }, null)) }, '+ Add step')),
    formError()),
    list);
  let steps = [];

  async function load() {
    try {
      const answer = await api('GET', `/courses/${encodeURIComponent(id)}/steps`);
      steps = (answer && answer.steps) || [];
      draw();
    } catch (error) { showError(error, node); }
  }

  function draw() {
    list.replaceChildren(...steps.map((step, index) => {
      const item = h('li', { class: 'item', draggable: 'true', 'data-test': 'step-item', 'data-step-id': step.id },
        h('span', { class: 'handle', 'data-test': 'step-handle', title: 'Drag to reorder' }, '☰'),
        h('div', { class: 'grow', onclick: () => show(stepScreen(id, step, index)) },
          h('div', { class: 'title', 'data-test': 'step-title' }, stepLabel(step, index)),
          h('div', { class: 'muted' }, step.type, step.paid ? ' · paid' : '', step.id ? ' · ' + step.id : '')),
        h('button', { class: 'small secondary', 'data-test': 'step-up', disabled: index === 0, onclick: e => { e.stopPropagation(); move(index, index - 1); } }, '↑'),
        h('button', { class: 'small secondary', 'data-test': 'step-down', disabled: index === steps.length - 1, onclick: e => { e.stopPropagation(); move(index, index + 1); } }, '↓'));
      makeDraggable(item, list, (from, to) => move(from, to));
      return item;
    }));
    if (!steps.length) list.append(h('li', { class: 'muted', 'data-test': 'no-steps' }, 'No steps yet: add the first one above.'));
  }

  async function move(from, to) {
    if (from === to || to < 0 || to >= steps.length) return;
    const previous = steps.slice();
    const [moved] = steps.splice(from, 1);
    steps.splice(to, 0, moved);
    draw();
    try {
      const answer = await api('PUT', `/courses/${encodeURIComponent(id)}/steps/order`, { ids: steps.map(step => step.id) });
      if (answer && answer.steps) { steps = answer.steps; draw(); }
      notify('Order saved');
    } catch (error) {
      steps = previous;
      draw();
      showError(error, node);
    }
  }

  load();
  return { node };
}

/**
 * Drag and drop in a list, by HTML5 drag events (desktop mouse) and by pointer events (touch,
 * and WebDriver's pointer actions, which fire no HTML5 drag events). `onMove(from, to)` gets indices.
 */
function makeDraggable(item, list, onMove) {
  const items = () => $$('[data-step-id]', list);
  const indexOf = element => items().indexOf(element);
  const clearMarks = () => items().forEach(e => e.classList.remove('drop-before', 'drop-after', 'dragging'));
  function targetAt(clientY) {
    const all = items();
    for (let index = 0; index < all.length; index++) {
      const box = all[index].getBoundingClientRect();
      if (clientY < box.top + box.height / 2) return { index, before: true, element: all[index] };
    }
    return { index: all.length - 1, before: false, element: all[all.length - 1] };
  }
  function destination(from, target) {
    let to = target.before ? target.index : target.index + 1;
    if (from < to) to -= 1;
    return to;
  }
  function mark(target) {
    items().forEach(e => e.classList.remove('drop-before', 'drop-after'));
    if (target.element) target.element.classList.add(target.before ? 'drop-before' : 'drop-after');
  }

  // HTML5 drag and drop.
  item.addEventListener('dragstart', event => {
    pointer = null;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(indexOf(item)));
    item.classList.add('dragging');
  });
  item.addEventListener('dragend', clearMarks);
  item.addEventListener('dragover', event => { event.preventDefault(); mark(targetAt(event.clientY)); });
  item.addEventListener('drop', event => {
    event.preventDefault();
    const from = Number(event.dataTransfer.getData('text/plain'));
    const to = destination(from, targetAt(event.clientY));
    clearMarks();
    onMove(from, to);
  });

  // Pointer events: press on the handle, move, release.
  let pointer = null;
  const handle = item.querySelector('.handle');
  handle.addEventListener('pointerdown', event => {
    if (event.button !== 0) return;
    event.preventDefault();
    pointer = { id: event.pointerId, from: indexOf(item), moved: false };
    try { handle.setPointerCapture(event.pointerId); } catch (_) { /* synthetic pointer */ }
    item.classList.add('dragging');
  });
  handle.addEventListener('pointermove', event => {
    if (!pointer) return;
    pointer.moved = true;
    mark(targetAt(event.clientY));
  });
  const finish = event => {
    if (!pointer) return;
    const { from, moved } = pointer;
    pointer = null;
    clearMarks();
    if (moved && event.type === 'pointerup') onMove(from, destination(from, targetAt(event.clientY)));
  };
  handle.addEventListener('pointerup', finish);
  handle.addEventListener('pointercancel', finish);
}

/** A step's editor: common fields plus the fields of its type; `index` null for a new step. */
function stepScreen(courseId, original, index) {
  const step = JSON.parse(JSON.stringify(original));
  const isNew = index === null;
  const node = h('div', { 'data-test': 'step-editor', 'data-type': step.type });
  const title = h('input', { type: 'text', value: step.title || '', 'data-test': 'step-title-input' });
  const required = h('input', { type: 'checkbox', checked: step.required !== false, 'data-test': 'step-required' });
  const paid = h('input', { type: 'checkbox', checked: !!step.paid, 'data-test': 'step-paid' });
  const price = h('input', { type: 'number', min: 1, value: step.price || '', 'data-test': 'step-price' });
  const typeBody = h('div', {});
  const collectors = [];

  const common = h('div', { class: 'card' },
    h('h2', {}, isNew ? `New ${step.type} step` : `Step ${index + 1} · ${step.type}`),
    field('Title', 'title', title),
    h('div', { class: 'row' },
      h('label', { class: 'inline' }, required, 'Required'),
      h('label', { class: 'inline' }, paid, 'Paid (freemium)'),
      h('div', { class: 'grow' }, field('Step price (Stars)', 'price', price))));
  if (step.type === 'text') typeBody.append(textEditor(step, collectors, title));
  else if (MEDIA_TYPES.includes(step.type)) typeBody.append(mediaEditor(courseId, step, collectors, title));
  else if (step.type === 'quiz') typeBody.append(quizEditor(step, collectors));
  else if (step.type === 'assignment') typeBody.append(assignmentEditor(step, collectors, title));

  async function save() {
    const body = { type: step.type };
    if (title.value.trim()) body.title = title.value.trim();
    if (!required.checked) body.required = false;
    if (paid.checked) body.paid = true;
    if (price.value !== '') body.price = Number(price.value);
    for (const collect of collectors) Object.assign(body, collect());
    try {
      const path = `/courses/${encodeURIComponent(courseId)}/steps`;
      const saved = isNew ? await api('POST', path, body) : await api('PUT', `${path}/${encodeURIComponent(step.id)}`, body);
      clearErrors(node);
      notify(isNew ? 'Step added' : 'Step saved');
      goBack();
      return saved;
    } catch (error) { showError(error, node); return null; }
  }

  async function remove() {
    if (!confirm('Delete this step? Students keep their progress on the other steps.')) return;
    try {
      await api('DELETE', `/courses/${encodeURIComponent(courseId)}/steps/${encodeURIComponent(step.id)}`);
      notify('Step deleted');
      goBack();
    } catch (error) { showError(error, node); }
  }

  node.append(common, typeBody, h('div', { class: 'card' }, formError(), h('div', { class: 'row' },
    h('button', { class: 'hidden-in-telegram', 'data-test': 'save-step', onclick: save }, isNew ? 'Add step' : 'Save step'),
    h('span', { class: 'grow' }),
    isNew ? null : h('button', { class: 'danger small', 'data-test': 'delete-step', onclick: remove }, 'Delete step'))));
  return { title: isNew ? 'New step' : (step.title || `Step ${index + 1}`), node, main: [isNew ? 'Add step' : 'Save step', save] };
}

/** A chat bubble that shows `source` (course Markdown) as Telegram will, rendered by the server. */
function livePreview(sourceInput, titleInput, extraTop) {
  const bubble = h('div', { class: 'bubble', 'data-test': 'step-preview' });
  const chat = h('div', { class: 'chat' }, bubble);
  let timer = null, sequence = 0;
  async function update() {
    const mine = ++sequence;
    try {
      const answer = await api('POST', '/app/preview', { text: sourceInput.value, title: titleInput ? titleInput.value : '' });
      if (mine !== sequence) return;
      bubble.innerHTML = answer.html;
      if (extraTop) { const top = extraTop(); if (top) bubble.prepend(top); }
    } catch (_) { bubble.textContent = sourceInput.value; }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 150); };
  sourceInput.addEventListener('input', schedule);
  if (titleInput) titleInput.addEventListener('input', schedule);
  update();
  return { node: chat, update };
}

function textEditor(step, collectors, titleInput) {
  const text = h('textarea', { 'data-test': 'step-text', rows: 8, placeholder: '**Bold**, _italic_, `code`, [links](https://…)' });
  text.value = step.text || '';
  const preview = livePreview(text, titleInput);
  collectors.push(() => ({ text: text.value }));
  return h('div', { class: 'card' }, field('Text (Markdown, rendered for Telegram)', 'text', text),
    h('label', {}, 'Preview'), preview.node);
}

function mediaEditor(courseId, step, collectors, titleInput) {
  const accept = { photo: 'image/*', video: 'video/*', audio: 'audio/*', document: '' }[step.type];
  const fileInput = h('input', { type: 'file', accept: accept || null, 'data-test': 'media-file' });
  const file = h('input', { type: 'text', value: step.file || '', readonly: true, placeholder: 'upload a file', 'data-test': 'step-file' });
  const fileId = h('input', { type: 'text', value: step.file_id || '', placeholder: 'or a Telegram file_id', 'data-test': 'step-file-id' });
  const url = h('input', { type: 'url', value: step.url || '', placeholder: 'or an https:// URL', 'data-test': 'step-url' });
  const caption = h('textarea', { 'data-test': 'step-caption', rows: 3 });
  caption.value = step.caption || '';
  const status = h('div', { class: 'muted', 'data-test': 'upload-status' });
  let localPreview = null;
  const preview = livePreview(caption, null, () => {
    if (localPreview && step.type === 'photo') return h('img', { src: localPreview, alt: '', 'data-test': 'media-preview' });
    const name = file.value || fileId.value || url.value;
    return name ? h('div', { class: 'muted' }, `[${step.type}: ${name}]`) : null;
  });
  const holder = h('div', { class: 'card' });
  fileInput.addEventListener('change', async () => {
    const chosen = fileInput.files[0];
    if (!chosen) return;
    if (localPreview) URL.revokeObjectURL(localPreview);
    localPreview = URL.createObjectURL(chosen);
    status.textContent = `Uploading ${chosen.name}…`;
    const form = new FormData();
    form.append('file', chosen, chosen.name);
    try {
      const answer = await api('POST', `/courses/${encodeURIComponent(courseId)}/media`, form);
      file.value = answer.file;
      fileId.value = '';
      url.value = '';
      status.textContent = `Uploaded as ${answer.file}`;
      status.setAttribute('data-uploaded', answer.file);
      clearErrors(holder);
      preview.update();
      haptic('success');
    } catch (error) {
      status.textContent = '';
      showError(error, holder);
    }
  });
  collectors.push(() => {
    const body = {};
    if (file.value) body.file = file.value;
    else if (fileId.value.trim()) body.file_id = fileId.value.trim();
    else if (url.value.trim()) body.url = url.value.trim();
    if (caption.value.trim()) body.caption = caption.value;
    return body;
  });
  holder.append(field(`Upload ${step.type}`, 'upload', fileInput), status,
    field('File', 'file', file), field('Telegram file_id', 'file_id', fileId), field('URL', 'url', url),
    field('Caption', 'caption', caption), h('label', {}, 'Preview'), preview.node);
  void titleInput;
  return holder;
}

function quizEditor(step, collectors) {
  const passScore = h('input', { type: 'number', min: 0, max: 100, value: step.pass_score !== undefined ? step.pass_score : '', placeholder: '100', 'data-test': 'quiz-pass-score' });
  const attempts = h('input', { type: 'number', min: 1, value: step.attempts || '', placeholder: 'unlimited', 'data-test': 'quiz-attempts' });
  const questions = h('div', { 'data-test': 'questions' });
  const card = h('div', { class: 'card' },
    h('div', { class: 'row' },
      h('div', { class: 'grow' }, field('Pass score (%)', 'pass_score', passScore)),
      h('div', { class: 'grow' }, field('Attempts', 'attempts', attempts))),
    h('div', { class: 'error', 'data-error-for': 'questions', hidden: true }),
    questions,
    h('button', { class: 'secondary', 'data-test': 'add-question', onclick: () => addQuestion({ question: '', options: ['', ''], correct: 0 }) }, '+ Add question'));

  function renumber() {
    $$('[data-test=question]', questions).forEach((element, index) => {
      element.querySelector('.question-number').textContent = `Question ${index + 1}`;
      for (const input of $$('[data-field]', element)) input.setAttribute('data-field', input.dataset.field.replace(/^questions\[\d+\]/, `questions[${index}]`));
      for (const error of $$('[data-error-for]', element)) error.setAttribute('data-error-for', error.dataset.errorFor.replace(/^questions\[\d+\]/, `questions[${index}]`));
    });
  }

  function addQuestion(question) {
    const number = $$('[data-test=question]', questions).length;
    const prefix = `questions[${number}]`;
    const isFree = Array.isArray(question.answers);
    const text = h('input', { type: 'text', value: question.question || '', 'data-test': 'question-text' });
    const kind = h('select', { 'data-test': 'question-kind' },
      h('option', { value: 'choice', selected: !isFree }, 'Options'), h('option', { value: 'free', selected: isFree }, 'Free-text answer'));
    const options = h('div', { 'data-test': 'options' });
    const correct = Array.isArray(question.correct) ? question.correct : (question.correct !== undefined ? [question.correct] : []);
    const answers = h('input', { type: 'text', value: isFree ? question.answers.join(', ') : '', placeholder: 'accepted answers, comma separated', 'data-test': 'question-answers' });
    const explanation = h('input', { type: 'text', value: question.explanation || '', 'data-test': 'question-explanation' });
    const addOption = (value, right) => options.append(h('div', { class: 'option', 'data-test': 'option' },
      h('input', { type: 'checkbox', checked: right, title: 'right answer', 'data-test': 'option-correct' }),
      h('input', { type: 'text', value, placeholder: 'option', 'data-test': 'option-text' }),
      h('button', { class: 'small secondary', 'data-test': 'remove-option', onclick: e => e.target.closest('.option').remove() }, '✕')));
    (question.options || []).forEach((option, index) => addOption(option, correct.includes(index)));
    const choiceBlock = h('div', {}, h('label', {}, 'Options (tick the right ones)'), options,
      h('div', { class: 'field-error', 'data-error-for': prefix + '.correct', hidden: true }),
      h('div', { class: 'field-error', 'data-error-for': prefix + '.options', hidden: true }),
      h('button', { class: 'small secondary', 'data-test': 'add-option', onclick: () => addOption('', false) }, '+ Option'));
    const freeBlock = field('Accepted answers', prefix + '.answers', answers);
    const toggle = () => { choiceBlock.hidden = kind.value !== 'choice'; freeBlock.hidden = kind.value === 'choice'; };
    kind.addEventListener('change', toggle);
    toggle();
    const element = h('div', { class: 'question', 'data-test': 'question' },
      h('div', { class: 'row' }, h('b', { class: 'question-number grow' }, `Question ${number + 1}`), kind,
        h('button', { class: 'small danger', 'data-test': 'remove-question', onclick: () => { element.remove(); renumber(); } }, 'Remove')),
      field('Question', prefix + '.question', text), choiceBlock, freeBlock,
      field('Explanation (shown after the answer)', prefix + '.explanation', explanation));
    element.collect = () => {
      const result = { question: text.value.trim() };
      if (kind.value === 'choice') {
        const rows = $$('.option', options);
        result.options = rows.map(row => row.querySelector('[data-test=option-text]').value.trim());
        const right = rows.map((row, index) => row.querySelector('[data-test=option-correct]').checked ? index : -1).filter(index => index >= 0);
        result.correct = right.length === 1 ? right[0] : right;
      } else {
        result.answers = answers.value.split(',').map(answer => answer.trim()).filter(Boolean);
      }
      if (explanation.value.trim()) result.explanation = explanation.value.trim();
      return result;
    };
    questions.append(element);
  }

  (step.questions && step.questions.length ? step.questions : [{ question: '', options: ['', ''], correct: 0 }]).forEach(addQuestion);
  collectors.push(() => {
    const body = { questions: $$('[data-test=question]', questions).map(element => element.collect()) };
    if (passScore.value !== '') body.pass_score = Number(passScore.value);
    if (attempts.value !== '') body.attempts = Number(attempts.value);
    return body;
  });
  return card;
}

function assignmentEditor(step, collectors, titleInput) {
  const text = h('textarea', { 'data-test': 'assignment-text', rows: 5, placeholder: 'What should the student send?' });
  text.value = step.text || '';
  const kinds = step.accept || ['text'];
  const boxes = ACCEPT_KINDS.map(kind => h('label', { class: 'inline' },
    h('input', { type: 'checkbox', value: kind, checked: kinds.includes(kind), 'data-test': 'accept-' + kind }), kind));
  // course.yaml's default is `auto` (a stored step without `review` is auto); a new step starts reviewed.
  const reviewValue = step.review || (step.id ? 'auto' : 'creator');
  const review = h('select', { 'data-test': 'assignment-review' },
    h('option', { value: 'creator', selected: reviewValue === 'creator' }, 'a reviewer approves or rejects'),
    h('option', { value: 'auto', selected: reviewValue === 'auto' }, 'accepted at once'));
  const preview = livePreview(text, titleInput);
  collectors.push(() => ({
    text: text.value,
    accept: boxes.map(label => label.querySelector('input')).filter(box => box.checked).map(box => box.value),
    review: review.value,
  }));
  return h('div', { class: 'card' }, field('Instructions', 'text', text),
    h('label', {}, 'Accepted answers'), h('div', { 'data-field': 'accept' }, boxes),
    h('div', { class: 'field-error', 'data-error-for': 'accept', hidden: true }),
    field('Review', 'review', review), h('label', {}, 'Preview'), preview.node);
}

// ---------------------------------------------------------------- Statistics

function number(value) { return value === undefined || value === null ? '—' : String(value); }

function statsTab(id) {
  const node = h('div', { 'data-test': 'stats' }, h('p', { class: 'muted' }, 'Loading…'));
  api('GET', `/courses/${encodeURIComponent(id)}/stats`).then(stats => {
    const revenue = stats.revenue;
    const revenueText = Array.isArray(revenue) ? revenue.map(line => formatStars(line.amount, line.currency)).join(' + ')
      : revenue && typeof revenue === 'object' ? formatStars(revenue.amount, revenue.currency) : formatStars(revenue);
    const tiles = [
      ['Students', stats.students], ['Active 7 d', stats.active_7d !== undefined ? stats.active_7d : stats.active7d],
      ['Completed', stats.completed], ['Revenue', revenueText || '0 ⭐'], ['Pending reviews', stats.pending_reviews],
    ];
    const children = [h('div', { class: 'stats' }, tiles.map(([label, value]) =>
      h('div', { class: 'stat', 'data-test': 'stat-' + label.toLowerCase().replace(/\s+/g, '-') }, h('b', {}, number(value)), label)))];
    const funnel = stats.funnel || [];
    children.push(h('div', { class: 'card' }, h('h2', {}, 'Completion funnel (students who finished each step)'), funnelChart(funnel, stats.students)));
    const quizzes = stats.quizzes || [];
    if (quizzes.length) {
      const titles = Object.fromEntries(funnel.map(entry => [entry.step_id, entry.title]));
      children.push(h('div', { class: 'card', 'data-test': 'quiz-results' }, h('h2', {}, 'Quiz results'), h('table', {},
        h('tr', {}, h('th', {}, 'Quiz'), h('th', {}, 'Question'), h('th', {}, 'Right / answered')),
        quizzes.flatMap(quiz => [h('tr', {}, h('td', {}, h('b', {}, titles[quiz.step_id] || quiz.step_id)), h('td', {}, `${number(quiz.students)} students`),
          h('td', {}, `${number(quiz.passed)} passed of ${number(quiz.passes)} passes`))].concat((quiz.questions || []).map(question => h('tr', {},
          h('td', {}), h('td', {}, typeof question.question === 'number' ? `Question ${question.question + 1}` : String(question.question)),
          h('td', {}, `${number(question.correct)} / ${number(question.attempts)}`))))))));
    }
    const sources = stats.sources || stats.per_source || [];
    if (sources.length) {
      children.push(h('div', { class: 'card', 'data-test': 'sources' }, h('h2', {}, 'Sources'), h('table', {},
        h('tr', {}, h('th', {}, 'Source'), h('th', {}, 'Students'), h('th', {}, 'Completed'), h('th', {}, 'Revenue')),
        sources.map(source => h('tr', {}, h('td', {}, source.source || source.name || '—'), h('td', {}, number(source.students)),
          h('td', {}, number(source.completed)), h('td', {}, formatStars(source.revenue)))))));
    }
    node.replaceChildren(...children);
  }).catch(error => node.replaceChildren(h('p', { class: 'error' }, error.message)));
  return { node };
}

/** The funnel as an inline SVG bar chart: one bar per step, length = students who reached it. */
function funnelChart(funnel, total) {
  if (!funnel.length) return h('p', { class: 'muted', 'data-test': 'funnel-empty' }, 'No steps yet.');
  const counts = funnel.map(entry => Number(entry.done !== undefined ? entry.done : entry.count || 0));
  const maximum = Math.max(1, Number(total || 0), ...counts);
  const rowHeight = 26, labelWidth = 200, barWidth = 420, width = labelWidth + barWidth + 60;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${funnel.length * rowHeight + 8}`, width: '100%', role: 'img', 'data-test': 'funnel-chart', 'aria-label': 'Completion funnel' });
  funnel.forEach((entry, index) => {
    const y = index * rowHeight + 4;
    const length = Math.round(barWidth * counts[index] / maximum);
    const label = `${index + 1}. ${entry.title || entry.step_id || ''}`;
    chart.append(
      svg('text', { x: 0, y: y + 16 }, label.length > 28 ? label.slice(0, 27) + '…' : label),
      svg('rect', { x: labelWidth, y, width: Math.max(length, 1), height: rowHeight - 8, rx: 3, fill: 'var(--button)', 'data-test': 'funnel-bar', 'data-count': counts[index] }),
      svg('text', { x: labelWidth + Math.max(length, 1) + 6, y: y + 16 }, String(counts[index])));
  });
  return chart;
}

// ---------------------------------------------------------------- Students

function studentsTab(id) {
  const search = h('input', { type: 'search', placeholder: 'Search by name or id', 'data-test': 'student-search' });
  const table = h('div', { 'data-test': 'students' });
  const detail = h('div', { 'data-test': 'student-detail' });
  async function load() {
    try {
      const query = search.value.trim() ? '?search=' + encodeURIComponent(search.value.trim()) : '';
      const answer = await api('GET', `/courses/${encodeURIComponent(id)}/students${query}`);
      const students = (answer && answer.students) || [];
      table.replaceChildren(students.length ? h('table', {},
        h('tr', {}, h('th', {}, 'Student'), h('th', {}, 'Progress'), h('th', {}, 'Score'), h('th', {}, '')),
        students.map(student => h('tr', { 'data-test': 'student-row', 'data-user-id': student.user_id || student.id },
          h('td', {}, student.name || student.first_name || String(student.user_id || student.id)),
          h('td', {}, student.steps_total ? `${student.steps_done}/${student.steps_total}` : number(student.steps_done)),
          h('td', {}, number(student.score)),
          h('td', {}, h('button', { class: 'small secondary', onclick: () => open(student.user_id || student.id) }, 'Open')))))
        : h('p', { class: 'muted' }, 'No students yet.'));
    } catch (error) { table.replaceChildren(h('p', { class: 'error' }, error.message)); }
  }
  async function open(userId) {
    try {
      const student = await api('GET', `/courses/${encodeURIComponent(id)}/students/${encodeURIComponent(userId)}`);
      const record = student.student || student;
      const steps = record.steps || [], submissions = record.submissions || [], payments = record.payments || [];
      const answers = record.quiz_answers || [];
      detail.replaceChildren(h('div', { class: 'card', 'data-test': 'student-card' },
        h('h2', {}, `${record.name || String(userId)} · ${record.steps_done}/${record.steps_total} steps${record.completed ? ' · completed' : ''}`),
        record.score !== null && record.score !== undefined ? h('p', {}, `Quiz score: ${record.score}%`) : null,
        h('div', { class: 'row' }, steps.map(step => h('span', { class: 'badge' + (step.done ? ' on' : '') }, step.id))),
        answers.length ? h('div', { 'data-test': 'student-answers' }, h('label', {}, 'Quiz answers'), h('table', {}, answers.map(item => h('tr', {},
          h('td', {}, item.step_id), h('td', {}, `pass ${item.pass} · question ${Number(item.question) + 1}`),
          h('td', {}, item.correct ? '✓ right' : '✗ wrong'))))) : null,
        submissions.length ? h('div', {}, h('label', {}, 'Submissions'), h('table', {}, submissions.map(item => h('tr', {},
          h('td', {}, item.step_id), h('td', {}, item.kind), h('td', {}, item.text || item.file_name || ''), h('td', {}, item.status),
          h('td', {}, item.comment || ''))))) : null,
        payments.length ? h('div', {}, h('label', {}, 'Payments'), h('table', {}, payments.map(item => h('tr', {},
          h('td', {}, item.item), h('td', {}, formatStars(item.amount, item.currency)), h('td', {}, item.refunded ? 'refunded' : ''))))) : null));
    } catch (error) { detail.replaceChildren(h('p', { class: 'error' }, error.message)); }
  }
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 250); });
  load();
  return { node: h('div', {}, h('div', { class: 'card' }, search, table), detail) };
}

// ---------------------------------------------------------------- Payments

function paymentsTab(id) {
  const node = h('div', { class: 'card', 'data-test': 'payments' }, h('p', { class: 'muted' }, 'Loading…'));
  async function load() {
    try {
      const answer = await api('GET', `/courses/${encodeURIComponent(id)}/payments`);
      const payments = (answer && answer.payments) || [];
      node.replaceChildren(h('h2', {}, 'Payments'), formError(), payments.length ? h('table', {},
        h('tr', {}, h('th', {}, 'Student'), h('th', {}, 'Item'), h('th', {}, 'Amount'), h('th', {}, '')),
        payments.map(payment => h('tr', { 'data-test': 'payment-row', 'data-charge-id': payment.telegram_payment_charge_id },
          h('td', {}, String(payment.user_id)), h('td', {}, payment.item || ''),
          h('td', {}, formatStars(payment.amount, payment.currency)),
          h('td', {}, payment.refunded ? h('span', { class: 'badge', 'data-test': 'refunded' }, 'refunded')
            : h('button', { class: 'small danger', 'data-test': 'refund', onclick: () => refund(payment) }, 'Refund')))))
        : h('p', { class: 'muted' }, 'No payments yet.'));
    } catch (error) { node.replaceChildren(h('p', { class: 'error' }, error.message)); }
  }
  async function refund(payment) {
    if (!confirm(`Refund ${formatStars(payment.amount, payment.currency)} to ${payment.user_id}? The access it bought is withdrawn.`)) return;
    try {
      await api('POST', `/payments/${encodeURIComponent(payment.telegram_payment_charge_id)}/refund`);
      notify('Refunded');
      load();
    } catch (error) { showError(error, node); }
  }
  load();
  return { node };
}

// ---------------------------------------------------------------- Broadcast

function broadcastTab(id) {
  const text = h('textarea', { rows: 6, 'data-test': 'broadcast-text', placeholder: 'Message to your students (Markdown)' });
  const segment = h('select', { 'data-test': 'broadcast-segment' }, SEGMENTS.map(name => h('option', { value: name }, name)), h('option', { value: 'source' }, 'source:…'));
  const source = h('input', { type: 'text', placeholder: 'source name', 'data-test': 'broadcast-source', hidden: true });
  const at = h('input', { type: 'datetime-local', 'data-test': 'broadcast-at' });
  const result = h('div', { 'data-test': 'broadcast-result' });
  segment.addEventListener('change', () => { source.hidden = segment.value !== 'source'; });
  const preview = livePreview(text, null);
  const form = h('div', { class: 'card' });
  async function send() {
    const body = { text: text.value };
    body.segment = segment.value === 'source' ? 'source:' + source.value.trim() : segment.value;
    if (at.value) body.at = new Date(at.value).toISOString();
    try {
      const answer = await api('POST', `/courses/${encodeURIComponent(id)}/broadcasts`, body);
      clearErrors(form);
      notify(body.at ? 'Broadcast scheduled' : 'Broadcast started');
      const bid = answer && (answer.id || answer.bid);
      result.replaceChildren(h('p', { 'data-test': 'broadcast-accepted' }, `Broadcast #${bid || ''} accepted${body.at ? ' for ' + at.value.replace('T', ' ') : ''}.`),
        h('p', { class: 'muted', 'data-test': 'broadcast-counts' }));
      if (bid) poll(bid, 0);
    } catch (error) { showError(error, form); }
  }
  async function poll(bid, round) {
    try {
      const counts = await api('GET', `/courses/${encodeURIComponent(id)}/broadcasts/${encodeURIComponent(bid)}`);
      const keys = ['status', 'total', 'sent', 'delivered', 'blocked', 'failed', 'pending'];
      const parts = keys.filter(key => counts && counts[key] !== undefined && counts[key] !== null).map(key => `${key}: ${counts[key]}`);
      const line = $('[data-test=broadcast-counts]', result);
      if (line) line.textContent = parts.join(' · ');
      const over = counts && ['done', 'finished', 'cancelled', 'stopped'].includes(counts.status);
      if (round < 40 && !over) setTimeout(() => poll(bid, round + 1), 1500);
    } catch (_) { /* counts come later */ }
  }
  form.append(h('h2', {}, 'Broadcast'), field('Text', 'text', text),
    h('div', { class: 'row' }, h('div', { class: 'grow' }, field('Segment', 'segment', segment)), source,
      h('div', { class: 'grow' }, field('Send at (empty: now)', 'at', at))),
    h('label', {}, 'Preview'), preview.node, formError(),
    h('div', { class: 'row hidden-in-telegram' }, h('button', { 'data-test': 'send-broadcast', onclick: send }, 'Send')), result);
  return { node: form, main: ['Send broadcast', send] };
}

// ---------------------------------------------------------------- Reviews

function reviewsScreen() {
  const list = h('div', { 'data-test': 'review-list' }, h('p', { class: 'muted' }, 'Loading…'));
  async function load() {
    try {
      const answer = await api('GET', '/reviews');
      const reviews = (answer && (answer.reviews || answer.submissions)) || [];
      list.replaceChildren(...reviews.map(reviewCard));
      if (!reviews.length) list.append(h('p', { class: 'muted', 'data-test': 'no-reviews' }, 'Nothing to review.'));
    } catch (error) { list.replaceChildren(h('p', { class: 'error' }, error.message)); }
  }
  function reviewCard(review) {
    const comment = h('textarea', { rows: 2, placeholder: 'Comment (required to reject)', 'data-test': 'review-comment' });
    const card = h('div', { class: 'card submission', 'data-test': 'review-item', 'data-review-id': review.id },
      h('h2', {}, `${review.course || ''} · ${review.step_id || ''}`),
      h('div', { class: 'muted' }, `${review.kind || 'text'} from ${review.user_name || review.user_id || ''}${review.created_at ? ' · ' + review.created_at.replace('T', ' ').replace('Z', ' UTC') : ''}`),
      submissionBody(review),
      field('Comment', 'comment', comment), formError(),
      h('div', { class: 'row' },
        h('button', { 'data-test': 'approve', onclick: () => verdict('approve') }, 'Approve'),
        h('button', { class: 'danger', 'data-test': 'reject', onclick: () => verdict('reject') }, 'Reject')));
    async function verdict(kind) {
      const body = { verdict: kind };
      if (comment.value.trim()) body.comment = comment.value.trim();
      try {
        await api('POST', `/reviews/${encodeURIComponent(review.id)}`, body);
        notify(kind === 'approve' ? 'Approved' : 'Rejected');
        card.remove();
        if (!$$('[data-test=review-item]', list).length) list.append(h('p', { class: 'muted', 'data-test': 'no-reviews' }, 'Nothing to review.'));
      } catch (error) { showError(error, card); }
    }
    return card;
  }
  load();
  return { title: 'Reviews', node: list, refresh: load };
}

/** What the student sent: text, and a photo (fetched with the session token) or a file link. */
function submissionBody(review) {
  const box = h('div', { 'data-test': 'submission' });
  const text = review.text || review.caption;
  if (text) box.append(h('div', { class: 'bubble', 'data-test': 'submission-text' }, text));
  const fileURL = review.has_file ? `/reviews/${encodeURIComponent(review.id)}/file` : null;
  const kind = review.kind;
  if (fileURL) {
    api('GET', fileURL, undefined, { raw: true }).then(response => response.blob()).then(blob => {
      const local = URL.createObjectURL(blob);
      if (kind === 'photo' || (blob.type || '').startsWith('image/')) box.append(h('img', { src: local, alt: 'submitted photo', 'data-test': 'submission-photo' }));
      else box.append(h('a', { href: local, download: review.file_name || 'submission', 'data-test': 'submission-file' }, `Download ${review.file_name || kind || 'file'}`));
    }).catch(() => box.append(h('p', { class: 'error' }, 'The submitted file could not be loaded.')));
  }
  return box;
}

// ---------------------------------------------------------------- Start

async function start() {
  $('[data-test=back]').addEventListener('click', () => goBack());
  state.initData = await setUpTelegram();
  await signIn();
}

window.gongbu = { state, api };
start();
