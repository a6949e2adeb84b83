/*
 * Argus dashboard: plain JavaScript over the query service's JSON API, no framework, nothing fetched from elsewhere.
 *
 * Routes (in the URL's hash, so the server only ever serves index.html):
 *   #/                                    the batch list (optional ?status=&project=&experiment_type=)
 *   #/batch/<batch id>                    one batch: fields, resume history, downloads, jobs (optional ?status=)
 *   #/batch/<batch id>/job/<job id>       the same, with that job's failures, decisions, history and curves opened
 *
 * A batch page polls every LIVE_MS with If-None-Match: an unchanged batch costs a 304 and nothing is redrawn.
 * Pictures (pictures.js): the grid heatmap from the jobs, the attempt timeline from the batch's launch and job
 * events (read incrementally: the log only grows), and a job's metric curves from its progress events.
 * Ids are URL-encoded as one path segment each (job ids contain '/').
 *
 * Every text from the API goes into the page through textContent or attribute values, never as HTML.
 */
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  var LIVE_MS = 1000;
  var EVENTS_PAGE = 1000;
  /** Pages of events one picture reads at most per refresh (the API bounds each page). */
  var MAX_EVENT_PAGES = 200;
  /** What the jobs table and the heatmap read of each job (the API's fields=), and with the timeline's. */
  var JOB_LIST_FIELDS = 'job_id,status,params,attempt,started_at,finished_at,step,progress_metrics,metrics,last_error';
  var ALL_JOBS_FIELDS = JOB_LIST_FIELDS + ',attempts';
  var TIMELINE_REDRAW_MS = 10000;
  var JOBS_MAX_AGE_MS = 30000;
  var MAX_JOB_ROWS = 1000;
  var MAX_HISTORY_ROWS = 100;
  var LIST_PAGE = 50;
  var LIST_MAX = 500;
  var TOKEN_KEY = 'argus.api.token';

  /**
   * This script loads asynchronously, beside uPlot and pictures.js (index.html), so that its reads start while they
   * load: drawing waits for the page's load, reading does not.
   */
  var picturesLoaded = new Promise(function (resolve) {
    if (document.readyState === 'complete') {
      resolve();
    } else {
      window.addEventListener('load', function () { resolve(); });
    }
  });

  var app = document.getElementById('app');
  var errorBanner = document.getElementById('error');
  var refreshState = document.getElementById('refresh-state');
  var refreshToggle = document.getElementById('refresh-toggle');

  var state = {
    gen: 0,
    timer: null,
    paused: false,
    listLimit: LIST_PAGE,
    token: readToken(),
    historyOpen: false,
    view: null,
    heatChoice: {},
    etags: {}
  };

  // ---------------------------------------------------------------------------------------------- DOM helpers

  /** el('td', {class: 'x', 'data-id': id}, 'text', childNode, [more]): attributes and text, never HTML. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'onclick') {
          node.addEventListener('click', value);
        } else {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }

  function fill(node) {
    node.replaceChildren();
    for (var i = 1; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------------- formatting

  function dash(value) {
    return value === null || value === undefined || value === '' ? '—' : value;
  }

  function fmtNumber(x) {
    if (typeof x !== 'number' || !isFinite(x)) {
      return String(x);
    }
    if (Number.isInteger(x)) {
      return String(x);
    }
    return String(Number(x.toPrecision(4)));
  }

  function fmtPercent(fraction) {
    return String(Math.round(fraction * 1000) / 10) + '%';
  }

  function fmtTime(iso) {
    if (!iso) {
      return '—';
    }
    // 2026-11-23T08:00:00Z or ...08:00:00.123Z -> 2026-11-23 08:00:00
    return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
  }

  function fmtAgo(iso, now) {
    var t = Date.parse(iso);
    if (isNaN(t)) {
      return '';
    }
    var s = Math.round((now - t) / 1000);
    var future = s < 0;
    s = Math.abs(s);
    var text;
    if (s < 60) {
      text = s + ' s';
    } else if (s < 3600) {
      text = Math.floor(s / 60) + ' min';
    } else if (s < 86400) {
      text = Math.floor(s / 3600) + ' h';
    } else {
      text = Math.floor(s / 86400) + ' d';
    }
    return future ? 'in ' + text : text + ' ago';
  }

  /** A time cell: the UTC time, and how long ago (kept current by updateAgo on every tick). */
  function timeNode(iso, withAgo) {
    if (!iso) {
      return el('span', { class: 'muted' }, '—');
    }
    return el('span', { class: 'time' },
      el('time', { datetime: iso, title: iso }, fmtTime(iso)),
      withAgo ? el('span', { class: 'ago', 'data-ago': iso }, fmtAgo(iso, Date.now())) : null);
  }

  function updateAgo() {
    var now = Date.now();
    document.querySelectorAll('[data-ago]').forEach(function (node) {
      node.textContent = fmtAgo(node.getAttribute('data-ago'), now);
    });
  }

  function clockNow() {
    return new Date().toISOString().slice(11, 19);
  }

  // ---------------------------------------------------------------------------------------------- routes and links

  function batchHref(batchId) {
    return '#/batch/' + encodeURIComponent(batchId);
  }

  function jobHref(batchId, jobId) {
    return batchHref(batchId) + '/job/' + encodeURIComponent(jobId);
  }

  function apiBatch(batchId, rest) {
    return '/api/batches/' + encodeURIComponent(batchId) + (rest || '');
  }

  function safeDecode(segment) {
    try {
      return decodeURIComponent(segment);
    } catch (e) {
      return segment;
    }
  }

  function parseRoute() {
    var hash = location.hash.replace(/^#/, '');
    var query = '';
    var q = hash.indexOf('?');
    if (q >= 0) {
      query = hash.slice(q + 1);
      hash = hash.slice(0, q);
    }
    var parts = hash.split('/').filter(function (p) { return p !== ''; }).map(safeDecode);
    var params = new URLSearchParams(query);
    if (parts[0] === 'batch' && parts[1]) {
      return {
        view: 'batch', batchId: parts[1], jobId: parts[2] === 'job' && parts[3] ? parts[3] : null,
        params: params
      };
    }
    // Also accept index.html?batch=<id> links.
    var search = new URLSearchParams(location.search);
    if (search.get('batch')) {
      return { view: 'batch', batchId: search.get('batch'), jobId: search.get('job'), params: params };
    }
    return { view: 'list', params: params };
  }

  function navigate(hash) {
    if (location.hash === hash) {
      tick();
    } else {
      location.hash = hash;
    }
  }

  /** Rows act as links, unless the click was on a real link or selected text. */
  function rowLink(href) {
    return function (event) {
      if (event.target.closest('a, button, input, select') || String(window.getSelection())) {
        return;
      }
      navigate(href);
    };
  }

  // ---------------------------------------------------------------------------------------------- API

  function ApiError(status, error, detail, retryAfter, path) {
    this.status = status;
    this.error = error || (status ? 'http_' + status : 'network');
    this.detail = detail || '';
    this.retryAfter = retryAfter;
    this.path = path;
  }

  function readToken() {
    try {
      return window.localStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function saveToken(token) {
    state.token = token;
    try {
      if (token) {
        window.localStorage.setItem(TOKEN_KEY, token);
      } else {
        window.localStorage.removeItem(TOKEN_KEY);
      }
    } catch (e) {
      // storage disabled: the token lives until the page is reloaded
    }
  }

  function authHeaders() {
    var headers = { Accept: 'application/json' };
    if (state.token) {
      headers.Authorization = 'Bearer ' + state.token;
    }
    return headers;
  }

  /**
   * GET path; resolves to {body, text} for a 2xx JSON answer, rejects with an ApiError otherwise. With
   * `conditional`, the ETag of the last answer goes out as If-None-Match, and a 304 resolves to that last answer.
   */
  function getJson(path, conditional) {
    var headers = authHeaders();
    var known = conditional ? state.etags[path] : null;
    if (known) {
      headers['If-None-Match'] = known.etag;
    }
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (response) {
      if (response.status === 304 && known) {
        return { body: known.answer.body, text: known.answer.text, notModified: true };
      }
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (e) {
          body = null;
        }
        if (!response.ok) {
          throw new ApiError(response.status, body && body.error, body ? body.detail : text.slice(0, 300),
            response.headers.get('Retry-After'), path);
        }
        if (body === null) {
          throw new ApiError(response.status, 'bad_response', 'the answer is not JSON', null, path);
        }
        var answer = { body: body, text: text };
        if (conditional && response.headers.get('ETag')) {
          state.etags = {};
          state.etags[path] = { etag: response.headers.get('ETag'), answer: answer };
        }
        return answer;
      });
    }, function (e) {
      throw new ApiError(0, 'network', e && e.message ? e.message : String(e), null, path);
    });
  }

  /** Downloads through fetch when a token must be sent (a plain link cannot send it). */
  function download(event) {
    if (!state.token) {
      return;
    }
    event.preventDefault();
    var link = event.currentTarget;
    fetch(link.getAttribute('href'), { headers: authHeaders() }).then(function (response) {
      if (!response.ok) {
        throw new ApiError(response.status, 'download', 'download failed', null, link.getAttribute('href'));
      }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = el('a', { href: url, download: link.getAttribute('download') || '' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (e) {
      showError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e), null, ''));
    });
  }

  // ---------------------------------------------------------------------------------------------- refresh loop

  /** Thrown when a newer tick started while this one waited: its results are dropped. */
  var STALE = { stale: true };

  function current(gen) {
    if (gen !== state.gen) {
      throw STALE;
    }
  }

  function tick() {
    clearTimeout(state.timer);
    var gen = ++state.gen;
    var route = parseRoute();
    var load = route.view === 'batch' ? loadBatch(route, gen) : loadList(route, gen);
    return load.then(function () {
      current(gen);
      clearError();
      updateAgo();
      refreshState.textContent = (state.paused ? 'paused, ' : '') + 'updated ' + clockNow() + ' UTC';
      app.classList.remove('stale');
    }).catch(function (e) {
      if (e === STALE || gen !== state.gen) {
        return;
      }
      if (!(e instanceof ApiError)) {
        console.error(e);
        e = new ApiError(0, 'dashboard', 'the dashboard failed: ' + (e && e.message ? e.message : e), null, '');
      }
      showError(e);
    }).then(function () {
      if (gen === state.gen) {
        schedule();
      }
    });
  }

  function schedule() {
    clearTimeout(state.timer);
    if (!state.paused) {
      var live = parseRoute().view === 'batch' && errorBanner.hidden;
      state.timer = setTimeout(tick, live ? LIVE_MS : REFRESH_MS);
    }
  }

  refreshToggle.addEventListener('click', function () {
    state.paused = !state.paused;
    refreshToggle.textContent = state.paused ? 'Resume' : 'Pause';
    refreshToggle.setAttribute('aria-pressed', state.paused ? 'true' : 'false');
    if (state.paused) {
      clearTimeout(state.timer);
      refreshState.textContent = 'paused';
    } else {
      tick();
    }
  });

  window.addEventListener('hashchange', function () {
    tick();
  });

  // ---------------------------------------------------------------------------------------------- errors

  function clearError() {
    if (!errorBanner.hidden) {
      errorBanner.hidden = true;
      errorBanner.removeAttribute('data-status');
      errorBanner.removeAttribute('data-error');
      errorBanner.removeAttribute('data-key');
      errorBanner.replaceChildren();
    }
  }

  function showError(e) {
    app.classList.add('stale');
    refreshState.textContent = 'failed ' + clockNow() + ' UTC';
    // The same error again: keep the banner as it is (and whatever is being typed into its token field).
    var key = [e.status, e.error, e.detail, e.path, state.token ? 'token' : '', state.paused].join('\n');
    if (!errorBanner.hidden && errorBanner.getAttribute('data-key') === key) {
      return;
    }
    var retry = state.paused ? 'Refresh is paused.' : 'Retrying every ' + REFRESH_MS / 1000 + ' s.';
    var title;
    var extra = null;
    if (e.status === 0) {
      title = 'Cannot reach the Argus API at ' + location.origin + ' (' + e.detail + ').';
    } else if (e.status === 503) {
      title = 'Argus is not ready (503 ' + e.error + '): ' + sentence(e.detail)
        + (e.retryAfter ? ' The server asks to retry after ' + e.retryAfter + ' s.' : '');
    } else if (e.status === 401) {
      title = (state.token ? 'The saved API token was refused (401): ' : 'The API needs a token (401): ') + e.detail;
      extra = tokenForm();
    } else {
      title = 'The API answered ' + e.status + ' ' + e.error + (e.detail ? ': ' + e.detail : '');
    }
    errorBanner.setAttribute('data-status', String(e.status));
    errorBanner.setAttribute('data-error', e.error);
    errorBanner.setAttribute('data-key', key);
    fill(errorBanner,
      el('strong', { class: 'error-title' }, title),
      e.path ? el('span', { class: 'error-path' }, ' GET ' + e.path + '. ') : ' ',
      el('span', { class: 'error-retry' }, retry),
      extra);
    errorBanner.hidden = false;
    if (app.getAttribute('data-view') === 'loading') {
      fill(app, el('p', { class: 'muted', id: 'waiting' }, 'Waiting for the API…'));
    }
  }

  function sentence(text) {
    return /[.!?]$/.test(text) ? text : text + '.';
  }

  function tokenForm() {
    var input = el('input', {
      type: 'password', id: 'token-input', placeholder: 'ARGUS_API_TOKEN', autocomplete: 'off', size: 28
    });
    var form = el('form', { class: 'token-form' }, input, ' ',
      el('button', { class: 'button', type: 'submit' }, 'Use token'),
      state.token ? el('button', {
        class: 'button', type: 'button', onclick: function () {
          saveToken('');
          tick();
        }
      }, 'Forget token') : null);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      saveToken(input.value.trim());
      tick();
    });
    return form;
  }

  // ---------------------------------------------------------------------------------------------- shared pieces

  /** Keeps a view's skeleton (and the inputs in it) across refreshes; rebuilt only when the key changes. */
  function ensureView(key, build) {
    if (!state.view || state.view.key !== key) {
      state.view = { key: key };
      build(state.view);
    }
    return state.view;
  }

  function statusPill(status) {
    return el('span', { class: 'status status-' + status, 'data-status': status }, status);
  }

  function batchBadges(batch) {
    var badges = [];
    if (batch.stalled) {
      badges.push(el('span', {
        class: 'badge badge-stalled',
        title: 'running, but nothing (no event, no heartbeat) seen for longer than the stall timeout'
      }, 'stalled'));
    }
    if (batch.stopping) {
      badges.push(el('span', {
        class: 'badge badge-stopping',
        title: 'stop requested' + (batch.stop_requested_by ? ' by ' + batch.stop_requested_by : '')
          + (batch.stop_reason ? ': ' + batch.stop_reason : '')
      }, 'stopping'));
    }
    return badges;
  }

  /** The progress bar: done, failed and running as segments of n_total, with the counts under it. */
  function progressNode(batch, large) {
    var c = batch.job_counts || { pending: 0, running: 0, done: 0, failed: 0 };
    var seen = c.done + c.failed + c.running;
    var planned = batch.n_total;
    var scale = Math.max(planned || 0, seen, 1);
    var text;
    if (planned === null || planned === undefined) {
      text = c.done + ' done (n_total unknown)';
    } else if (typeof batch.progress === 'number') {
      text = c.done + '/' + planned + ' (' + fmtPercent(batch.progress) + ')';
    } else {
      text = c.done + '/' + planned;
    }
    function segment(kind, count) {
      return count > 0 ? el('span', {
        class: 'seg seg-' + kind, style: 'width:' + (100 * count / scale) + '%', title: count + ' ' + kind
      }) : null;
    }
    function count(kind) {
      var n = c[kind] || 0;
      return el('span', { class: 'count count-' + kind + (n === 0 ? ' zero' : ''), 'data-count': n },
        n + ' ' + kind);
    }
    return el('div', {
      class: 'progress' + (large ? ' progress-large' : ''),
      'data-done': c.done, 'data-total': dash(planned), 'data-failed': c.failed,
      'data-progress': typeof batch.progress === 'number' ? batch.progress : null
    },
    el('div', { class: 'progress-line' },
      el('div', {
        class: 'progress-bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': planned || seen,
        'aria-valuenow': c.done
      }, segment('done', c.done), segment('failed', c.failed), segment('running', c.running)),
      el('span', { class: 'progress-text' }, text)),
    el('div', { class: 'counts' }, count('pending'), count('running'), count('done'), count('failed')));
  }

  function chips(map, className) {
    var keys = Object.keys(map || {}).sort();
    if (keys.length === 0) {
      return el('span', { class: 'muted' }, '—');
    }
    return keys.map(function (k) {
      return el('span', { class: 'chip' + (className ? ' ' + className : ''), 'data-key': k },
        el('span', { class: 'chip-key' }, k), el('span', { class: 'chip-value' }, fmtValue(map[k])));
    });
  }

  function fmtValue(v) {
    return typeof v === 'number' ? fmtNumber(v) : String(v);
  }

  function table(className, headings, rows, emptyText) {
    if (rows.length === 0) {
      return el('p', { class: 'muted empty ' + className + '-empty' }, emptyText);
    }
    return el('div', { class: 'table-wrap' }, el('table', { class: className },
      el('thead', null, el('tr', null, headings.map(function (h) { return el('th', null, h); }))),
      el('tbody', null, rows)));
  }

  // ---------------------------------------------------------------------------------------------- batch list

  var LIST_FILTERS = ['status', 'project', 'experiment_type'];

  function loadList(route, gen) {
    var query = new URLSearchParams();
    LIST_FILTERS.forEach(function (name) {
      if (route.params.get(name)) {
        query.set(name, route.params.get(name));
      }
    });
    query.set('limit', String(state.listLimit));
    return getJson('/api/batches?' + query.toString()).then(function (answer) {
      current(gen);
      var view = ensureView('list', buildListSkeleton);
      syncFilters(view, route.params);
      var key = query.toString() + '\n' + answer.text;
      if (view.lastKey !== key) {
        view.lastKey = key;
        renderBatchList(view, answer.body, route.params);
      }
    });
  }

  function buildListSkeleton(view) {
    app.setAttribute('data-view', 'list');
    document.title = 'Argus: batches';
    var status = el('select', { id: 'filter-status', name: 'status' },
      ['', 'running', 'done', 'failed', 'stopped', 'unknown'].map(function (s) {
        return el('option', { value: s }, s || 'any status');
      }));
    var project = el('input', { id: 'filter-project', name: 'project', placeholder: 'project', size: 16 });
    var experiment = el('input', {
      id: 'filter-experiment', name: 'experiment_type', placeholder: 'experiment type', size: 16
    });
    var form = el('form', { class: 'filters', id: 'filters' },
      status, project, experiment, el('button', { class: 'button', type: 'submit' }, 'Filter'),
      el('a', { class: 'clear-filters', href: '#/' }, 'clear'));
    function apply(event) {
      if (event) {
        event.preventDefault();
      }
      var params = new URLSearchParams();
      [status, project, experiment].forEach(function (input) {
        if (input.value.trim()) {
          params.set(input.name, input.value.trim());
        }
      });
      state.listLimit = LIST_PAGE;
      navigate('#/' + (params.toString() ? '?' + params.toString() : ''));
    }
    form.addEventListener('submit', apply);
    status.addEventListener('change', apply);
    view.inputs = { status: status, project: project, experiment_type: experiment };
    view.summary = el('span', { class: 'list-summary muted', id: 'list-summary' });
    view.body = el('div', { id: 'batch-list' });
    view.more = el('div', { class: 'more' });
    fill(app,
      el('div', { class: 'page-head' }, el('h1', null, 'Batches'), view.summary, el('span', { class: 'spacer' }), form),
      view.body, view.more);
  }

  function syncFilters(view, params) {
    LIST_FILTERS.forEach(function (name) {
      var input = view.inputs[name];
      if (document.activeElement !== input) {
        input.value = params.get(name) || '';
      }
    });
  }

  function renderBatchList(view, page, params) {
    var batches = page.batches || [];
    var filtered = LIST_FILTERS.some(function (n) { return params.get(n); });
    view.summary.textContent = batches.length + (page.next_cursor ? '+' : '') + ' batch'
      + (batches.length === 1 ? '' : 'es') + (filtered ? ' matching' : '');
    var rows = batches.map(function (b) {
      var href = batchHref(b.batch_id);
      return el('tr', {
        class: 'batch-row', 'data-batch-id': b.batch_id, 'data-status': b.status,
        'data-stalled': b.stalled ? 'true' : 'false', 'data-stopping': b.stopping ? 'true' : 'false',
        onclick: rowLink(href)
      },
      el('td', { class: 'col-id' }, el('a', { class: 'batch-link', href: href }, b.batch_id)),
      el('td', { class: 'col-what' }, el('span', { class: 'project' }, dash(b.source_project)),
        el('span', { class: 'experiment' }, dash(b.experiment_type))),
      el('td', { class: 'col-status' }, statusPill(b.status), batchBadges(b)),
      el('td', { class: 'col-progress' }, progressNode(b, false)),
      el('td', { class: 'col-resumes num', 'data-resume-count': b.resume_count }, String(b.resume_count)),
      el('td', { class: 'col-start' }, timeNode(b.start_time, false)),
      el('td', { class: 'col-last' }, timeNode(b.last_event_ts, true)));
    });
    fill(view.body, table('batches',
      ['Batch', 'Project / experiment', 'Status', 'Progress', 'Resumes', 'Started', 'Last event'], rows,
      filtered ? 'No batch matches these filters.'
        : 'No batches yet. Launchers publish batch_start and job events to POST /api/events.'));
    fill(view.more, page.next_cursor && state.listLimit < LIST_MAX ? el('button', {
      class: 'button', type: 'button', id: 'show-more', onclick: function () {
        state.listLimit = Math.min(LIST_MAX, state.listLimit + LIST_PAGE);
        tick();
      }
    }, 'Show more') : page.next_cursor ? el('p', { class: 'muted' },
      'Showing the newest ' + LIST_MAX + '; use the filters (or the API\'s cursor) for older batches.') : null);
  }

  // ---------------------------------------------------------------------------------------------- batch page

  function loadBatch(route, gen) {
    var batchId = route.batchId;
    return getJson(apiBatch(batchId), true).then(function (answer) {
      current(gen);
      var view = ensureView('batch\n' + batchId, function (v) { buildBatchSkeleton(v, batchId); });
      if (view.batchText !== answer.text) {
        view.batchText = answer.text;
        renderBatch(view, answer.body);
      }
      return Promise.all([loadJobs(view, answer.body, route, gen), loadTimeline(view, answer.body, gen)]);
    }, function (e) {
      if (e instanceof ApiError && e.status === 404) {
        current(gen);
        state.view = { key: 'missing\n' + batchId };
        app.setAttribute('data-view', 'not-found');
        fill(app, el('p', { class: 'crumbs' }, el('a', { href: '#/' }, '← All batches')),
          el('div', { class: 'notice', id: 'not-found' }, 'No batch ', el('code', null, batchId),
            ' is known (404: ' + e.detail + ').'));
        return;
      }
      throw e;
    });
  }

  function buildBatchSkeleton(view, batchId) {
    app.setAttribute('data-view', 'batch');
    document.title = 'Argus: ' + batchId;
    view.head = el('div', { class: 'page-head batch-head' });
    view.summary = el('section', { class: 'card summary', id: 'batch-summary' });
    view.fields = el('section', { class: 'card', id: 'batch-fields' });
    view.resumes = el('section', { class: 'card', id: 'resume-history' });
    view.downloads = el('section', { class: 'card', id: 'downloads' });
    view.heatmap = el('div', { id: 'heatmap', class: 'picture' });
    view.timeline = el('div', { id: 'timeline', class: 'picture' });
    view.timelineState = { drawn: null };
    view.jobsHead = el('div', { class: 'section-head' });
    view.jobs = el('div', { id: 'jobs' });
    fill(app,
      el('p', { class: 'crumbs' }, el('a', { href: '#/', id: 'back' }, '← All batches')),
      el('article', { id: 'batch-page', 'data-batch-id': batchId },
        view.head,
        view.summary,
        el('div', { class: 'cards' }, view.fields, view.resumes, view.downloads),
        el('section', { class: 'card pictures', id: 'pictures' },
          el('h2', null, 'Results grid'), view.heatmap,
          el('h2', null, 'Attempts over time ', el('span', { class: 'muted hint' },
            'one row per job, one bar per attempt; drag to zoom, double-click to reset')), view.timeline),
        el('section', { class: 'jobs-section' }, view.jobsHead, view.jobs)));
  }

  function field(label, value, attrs) {
    return [el('dt', null, label), el('dd', attrs || null, value)];
  }

  function renderBatch(view, b) {
    fill(view.head,
      el('h1', { class: 'batch-title' }, b.batch_id),
      statusPill(b.status),
      batchBadges(b));
    fill(view.summary,
      el('h2', null, 'Progress'),
      progressNode(b, true),
      b.stopping ? el('p', { class: 'stop-note', id: 'stop-note' }, 'Stop requested',
        b.stop_requested_by ? ' by ' + b.stop_requested_by : '', b.stop_reason ? ': ' + b.stop_reason : '',
        '. Every later restart decision for its jobs is STOP.') : null,
      b.stalled ? el('p', { class: 'stall-note' },
        'Stalled: running, but nothing seen since ', timeNode(b.last_seen || b.last_event_ts, true), '.') : null);
    fill(view.fields, el('h2', null, 'Batch'), el('dl', { class: 'fields' },
      field('Project', dash(b.source_project), { 'data-field': 'source_project' }),
      field('Experiment type', dash(b.experiment_type), { 'data-field': 'experiment_type' }),
      field('Command', b.command ? el('code', null, b.command) : '—', { 'data-field': 'command' }),
      field('Git SHA', b.git_sha ? el('code', null, b.git_sha) : '—', { 'data-field': 'git_sha' }),
      field('Planned jobs', dash(b.n_total), { 'data-field': 'n_total' }),
      field('Max restarts', dash(b.max_restarts), { 'data-field': 'max_restarts' }),
      field('Labels', chips(b.labels), { 'data-field': 'labels' }),
      field('Started', timeNode(b.start_time, true), { 'data-field': 'start_time' }),
      field('Finished', timeNode(b.finished_at, true), { 'data-field': 'finished_at' }),
      field('Last event', timeNode(b.last_event_ts, true), { 'data-field': 'last_event_ts' }),
      field('Last heartbeat', timeNode(b.last_seen, true), { 'data-field': 'last_seen' })));
    fill(view.resumes, el('h2', null, 'Resume history'), el('dl', { class: 'fields' },
      field('Resumes', String(b.resume_count), { 'data-field': 'resume_count' }),
      field('Last resumed', timeNode(b.last_resumed_at, true), { 'data-field': 'last_resumed_at' }),
      field('Ignored relaunches', String(b.ignored_relaunches), { 'data-field': 'ignored_relaunches' }),
      field('Last ignored', timeNode(b.last_ignored_relaunch_at, true),
        { 'data-field': 'last_ignored_relaunch_at' })),
    el('p', { class: 'hint' }, 'A batch_start for a running, failed or stopped batch resumes it; '
      + 'one for a done batch is only counted as an ignored relaunch.'));
    fill(view.downloads, el('h2', null, 'Results'), el('ul', { class: 'downloads' },
      el('li', null, el('a', {
        href: apiBatch(b.batch_id, '/results.jsonl'), id: 'download-results', download: b.batch_id + '-results.jsonl',
        onclick: download
      }, 'results.jsonl'), el('span', { class: 'muted' }, ' finished jobs, one JSON per line')),
      el('li', null, el('a', {
        href: apiBatch(b.batch_id, '/leaderboard.csv'), id: 'download-leaderboard',
        download: b.batch_id + '-leaderboard.csv', onclick: download
      }, 'leaderboard.csv'), el('span', { class: 'muted' }, ' params and metrics')),
      el('li', null, el('a', { href: apiBatch(b.batch_id, '/events'), id: 'link-events', onclick: download },
        'events'), el('span', { class: 'muted' }, ' the event history (JSON)'))));
  }

  /**
   * Jobs are fetched again only when the batch moved (an event arrived), the filter or the open job changed, or
   * the last fetch is older than JOBS_MAX_AGE_MS: a batch can hold many thousands of jobs.
   */
  function loadJobs(view, batch, route, gen) {
    var status = route.params.get('status') || '';
    var key = [batch.last_event_ts, JSON.stringify(batch.job_counts), status, route.jobId || ''].join('\n');
    if (view.jobsKey === key && Date.now() - view.jobsAt < JOBS_MAX_AGE_MS) {
      return Promise.resolve();
    }
    var jobs = status ? getJson(apiBatch(batch.batch_id, '/jobs?fields=' + JOB_LIST_FIELDS
      + '&status=' + encodeURIComponent(status))) : allJobs(view, batch);
    var job = route.jobId
      ? getJson(apiBatch(batch.batch_id, '/jobs/' + encodeURIComponent(route.jobId))).catch(function (e) {
        if (e instanceof ApiError && e.status === 404) {
          return { missing: e };
        }
        throw e;
      })
      : Promise.resolve(null);
    var progress = route.jobId ? progressHistory(batch.batch_id, route.jobId) : Promise.resolve(null);
    return Promise.all([jobs, job, progress, picturesLoaded]).then(function (answers) {
      current(gen);
      view.jobsKey = key;
      view.jobsAt = Date.now();
      // The pictures first: they are above the table, and building and laying out a table of many rows takes a
      // while. The table waits one task, so the timeline, drawn from the same read, goes before it too.
      if (!status) {
        renderHeatmap(view, batch, answers[0].body);
      }
      return nextTask().then(function () {
        current(gen);
        var started = performance.now();
        renderJobs(view, batch, answers[0].body, route, answers[1]);
        var curves = document.getElementById('curves');
        if (curves && answers[2]) {
          window.ArgusPictures.curves(curves, answers[2]);
        }
        rendered('jobs', started);
      });
    });
  }

  /**
   * Every job of the batch with what the table, the heatmap and the timeline draw: one read per change of the
   * batch (or per JOBS_MAX_AGE_MS), shared by the pictures that need it in the same refresh.
   */
  function allJobs(view, batch) {
    var key = batch.last_event_ts + '\n' + JSON.stringify(batch.job_counts);
    var read = view.allJobs;
    if (!read || read.key !== key || Date.now() - read.at > JOBS_MAX_AGE_MS) {
      read = view.allJobs = { key: key, at: Date.now(), answer: getJson(apiBatch(batch.batch_id, '/jobs?fields='
        + ALL_JOBS_FIELDS)) };
      read.answer.catch(function () { view.allJobs = null; });
    }
    return read.answer;
  }

  function nextTask() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function renderHeatmap(view, batch, jobs) {
    var choice = state.heatChoice[batch.batch_id] = state.heatChoice[batch.batch_id] || {};
    var started = performance.now();
    window.ArgusPictures.heatmap(view.heatmap, jobs, choice, function (jobId) {
      navigate(jobHref(batch.batch_id, jobId));
    });
    rendered('heatmap', started);
  }

  /**
   * When each picture was first drawn, in ms since the page started loading, and how long drawing it took (without
   * reading its data): the browser test reads them.
   */
  function rendered(picture, started) {
    window.argusRendered = window.argusRendered || {};
    if (!(picture in window.argusRendered)) {
      window.argusRendered[picture] = performance.now();
      window.argusRendered[picture + 'DrawMs'] = performance.now() - started;
    }
  }

  /** Every page of a filtered event read from `cursor` on (bounded by MAX_EVENT_PAGES); resolves to the events. */
  function eventPages(batchId, query, cursor, collected, pages) {
    return getJson(apiBatch(batchId, '/events?limit=' + EVENTS_PAGE + '&' + query + '&cursor=' + cursor))
      .then(function (answer) {
        var page = answer.body;
        page.events.forEach(function (e) { collected.push(e); });
        if (page.next_cursor !== null && pages + 1 < MAX_EVENT_PAGES) {
          return eventPages(batchId, query, page.next_cursor, collected, pages + 1);
        }
        return collected;
      });
  }

  function progressHistory(batchId, jobId) {
    return eventPages(batchId, 'type=job_progress&job_id=' + encodeURIComponent(jobId), 0, [], 0);
  }

  /**
   * The timeline is drawn from every job's attempts and the batch's launches; it is read and drawn again when the
   * batch moved, and a running batch's open bars are redrawn as the clock moves.
   */
  function loadTimeline(view, batch, gen) {
    var tl = view.timelineState;
    var key = batch.last_event_ts + '\n' + batch.status + '\n' + JSON.stringify(batch.job_counts);
    if (tl.drawn === key) {
      if (batch.status === 'running' && Date.now() - tl.drawnAt > TIMELINE_REDRAW_MS) {
        drawTimeline(view, batch, key);
      }
      return Promise.resolve();
    }
    var launches = getJson(apiBatch(batch.batch_id, '/launches'));
    return Promise.all([allJobs(view, batch), launches, picturesLoaded]).then(function (answers) {
      current(gen);
      tl.jobs = answers[0].body;
      tl.launches = answers[1].body.launches;
      drawTimeline(view, batch, key);
    });
  }

  function drawTimeline(view, batch, key) {
    var tl = view.timelineState;
    var started = performance.now();
    tl.drawn = key;
    tl.drawnAt = Date.now();
    if (tl.plot) {
      tl.plot.destroy();
    }
    tl.plot = window.ArgusPictures.timeline(view.timeline,
      window.ArgusPictures.attempts(tl.jobs, tl.launches, batch, Date.now()));
    rendered('timeline', started);
  }

  function keyMetrics(job) {
    var done = job.metrics && Object.keys(job.metrics).length > 0;
    var metrics = done ? job.metrics : job.progress_metrics || {};
    var names = Object.keys(metrics).sort().slice(0, 3);
    var parts = names.map(function (n) {
      return el('span', { class: 'metric', 'data-metric': n }, n + ' ', el('b', null, fmtNumber(metrics[n])));
    });
    if (!done && job.step !== null && job.step !== undefined) {
      parts.unshift(el('span', { class: 'metric step' }, 'step ', el('b', null, String(job.step))));
    }
    return parts.length ? parts : el('span', { class: 'muted' }, '—');
  }

  function renderJobs(view, batch, jobs, route, detail) {
    var status = route.params.get('status') || '';
    var base = batchHref(batch.batch_id);
    var filters = el('span', { class: 'job-filters' }, ['', 'running', 'done', 'failed'].map(function (s) {
      var href = (route.jobId ? jobHref(batch.batch_id, route.jobId) : base) + (s ? '?status=' + s : '');
      return el('a', { class: 'filter-chip' + (s === status ? ' active' : ''), href: href, 'data-filter': s || 'all' },
        s || 'all');
    }));
    fill(view.jobsHead, el('h2', null, 'Jobs ', el('span', { class: 'muted', id: 'jobs-count' },
      '(' + jobs.length + (status ? ' ' + status : '') + ')')), filters);

    var shown = jobs.slice(0, MAX_JOB_ROWS);
    var open = route.jobId;
    var openShown = false;
    var rows = [];
    shown.forEach(function (job) {
      var isOpen = job.job_id === open;
      var href = isOpen ? base + (status ? '?status=' + status : '')
        : jobHref(batch.batch_id, job.job_id) + (status ? '?status=' + status : '');
      rows.push(el('tr', {
        class: 'job-row' + (isOpen ? ' open' : ''), 'data-job-id': job.job_id, 'data-status': job.status,
        'data-attempt': job.attempt, onclick: rowLink(href)
      },
      el('td', { class: 'col-job' }, el('a', { class: 'job-link', href: href, title: isOpen ? 'close' : 'details' },
        el('span', { class: 'caret' }, isOpen ? '▾' : '▸'), job.job_id)),
      el('td', { class: 'col-status' }, statusPill(job.status)),
      el('td', { class: 'col-attempt num' }, String(job.attempt)),
      el('td', { class: 'col-metrics' }, keyMetrics(job)),
      el('td', { class: 'col-error' }, job.last_error ? el('span', { class: 'error-text', title: job.last_error.message },
        el('b', null, job.last_error.error_type), ': ', job.last_error.message) : el('span', { class: 'muted' }, '—')),
      el('td', { class: 'col-start' }, timeNode(job.started_at, false)),
      el('td', { class: 'col-finish' }, timeNode(job.finished_at, false))));
      if (isOpen) {
        openShown = true;
        rows.push(el('tr', { class: 'job-detail-row' }, el('td', { colspan: 7 }, jobDetail(batch, open, detail))));
      }
    });
    var children = [];
    if (open && !openShown) {
      children.push(el('div', { class: 'card' }, jobDetail(batch, open, detail)));
    }
    children.push(table('jobs', ['Job', 'Status', 'Attempt', 'Key metrics', 'Last error', 'Started', 'Finished'],
      rows, status ? 'No ' + status + ' jobs.' : 'No jobs seen yet.'));
    if (jobs.length > shown.length) {
      children.push(el('p', { class: 'muted' }, 'Showing the first ' + shown.length + ' of ' + jobs.length
        + ' jobs; filter by status, or download results.jsonl for all of them.'));
    }
    fill(view.jobs, children);
  }

  function jobDetail(batch, jobId, answer) {
    if (!answer) {
      return el('p', { class: 'muted' }, 'Loading ' + jobId + '…');
    }
    if (answer.missing) {
      return el('div', { class: 'notice', id: 'job-detail', 'data-job-id': jobId },
        'No job ', el('code', null, jobId), ' in this batch (404: ' + answer.missing.detail + ').');
    }
    var job = answer.body;
    var failures = (job.failures || []).map(function (f) {
      return el('tr', { class: 'failure-row', 'data-attempt': f.attempt },
        el('td', { class: 'num' }, String(f.attempt)),
        el('td', { class: 'num' }, String(f.report_count)),
        el('td', null, (f.ranks || []).join(', ') || '—'),
        el('td', null, el('b', null, f.error_type)),
        el('td', { class: 'message' }, f.message),
        el('td', null, timeNode(f.first_reported_at, false)));
    });
    var decisions = (job.decisions || []).map(function (d) {
      return el('tr', { class: 'decision-row', 'data-attempt': d.attempt, 'data-verdict': d.verdict },
        el('td', { class: 'num' }, String(d.attempt)),
        el('td', null, el('span', { class: 'verdict verdict-' + String(d.verdict).toLowerCase() }, d.verdict)),
        el('td', null, dash(d.source)),
        el('td', { class: 'message' }, dash(d.reason)),
        el('td', null, d.late ? el('span', { class: 'badge badge-late' }, 'late') : ''),
        el('td', null, timeNode(d.at, false)));
    });
    var history = (job.history || []).slice(-MAX_HISTORY_ROWS).map(function (h) {
      return el('tr', { class: 'history-row' },
        el('td', null, timeNode(h.ts, false)),
        el('td', null, h.type),
        el('td', { class: 'num' }, dash(h.attempt)),
        el('td', { class: 'message' }, dash(h.note)));
    });
    var metricsTitle = job.metrics && Object.keys(job.metrics).length ? 'Metrics' : 'Progress metrics';
    var metrics = job.metrics && Object.keys(job.metrics).length ? job.metrics : job.progress_metrics;
    return el('div', { class: 'job-detail', id: 'job-detail', 'data-job-id': job.job_id },
      el('div', { class: 'detail-grid' },
        el('dl', { class: 'fields' },
          field('Job', el('code', null, job.job_id)),
          field('Status', statusPill(job.status)),
          field('Attempt', String(job.attempt)),
          field('Params', chips(job.params)),
          field(metricsTitle, chips(metrics, 'chip-metric')),
          job.step !== null && job.step !== undefined ? field('Step', String(job.step)) : null,
          field('Started', timeNode(job.started_at, true)),
          field('Finished', timeNode(job.finished_at, true)),
          job.output_uri ? field('Output', el('code', null, job.output_uri)) : null,
          job.result ? field('Result', el('pre', { class: 'result' }, job.result)) : null),
        el('div', null,
          el('h3', null, 'Failures'),
          table('failures', ['Attempt', 'Reports', 'Ranks', 'Error', 'Message', 'First reported'], failures,
            'No failures.'),
          el('h3', null, 'Decisions'),
          table('decisions', ['Attempt', 'Verdict', 'Source', 'Reason', '', 'At'], decisions,
            'No decisions recorded.'))),
      el('h3', null, 'Progress curves ', el('span', { class: 'muted hint' }, 'each progress metric against step, '
        + 'one line per attempt')),
      el('div', { id: 'curves', class: 'curves' }, el('p', { class: 'muted' }, 'Loading progress…')),
      historyNode(job, history));
  }

  /** The job's history, folded away unless the user opened it (kept open across refreshes). */
  function historyNode(job, rows) {
    var count = (job.history || []).length;
    var details = el('details', { class: 'history', open: state.historyOpen },
      el('summary', null, 'History (' + count + ' event' + (count === 1 ? '' : 's')
        + (count > MAX_HISTORY_ROWS ? ', the last ' + MAX_HISTORY_ROWS + ' shown' : '') + ')'),
      table('history', ['Time', 'Event', 'Attempt', 'Note'], rows, 'No history.'));
    details.addEventListener('toggle', function () {
      state.historyOpen = details.open;
    });
    return details;
  }

  // ---------------------------------------------------------------------------------------------- start

  tick();
}());
