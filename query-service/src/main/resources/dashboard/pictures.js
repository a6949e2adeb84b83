/*
 * Argus dashboard pictures: the grid heatmap (or a sorted bar chart), the attempt timeline and a job's metric curves.
 * Pure drawing: app.js reads the API and hands the data over. uPlot (window.uPlot) is served by the jar itself from
 * its WebJar; the heatmap is plain SVG. Every text from the API goes in through textContent or attributes.
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var STATUS_COLOURS = { pending: '#eceff3', running: '#3b82f6', done: '#2e9d5b', failed: '#d64545', lost: '#9aa3ad' };
  /** Done cells are shaded from worst (light) to best (dark) by the chosen metric. */
  var WORST = [214, 240, 222];
  var BEST = [18, 110, 60];
  var MAX_TEXT_CELLS = 600;
  /** Larger grids are drawn on a canvas: thousands of SVG nodes take the browser seconds to lay out. */
  var MAX_SVG_CELLS = 2500;
  var MAX_BARS = 200;
  var TIMELINE_ROW_PX = 22;
  var TIMELINE_MAX_PX = 560;
  var SERIES_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

  function svg(tag, attrs, text) {
    return withAttributes(document.createElementNS(SVG, tag), attrs, text);
  }

  function html(tag, attrs, text) {
    return withAttributes(document.createElement(tag), attrs, text);
  }

  function withAttributes(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) {
        node.setAttribute(name, String(attrs[name]));
      }
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fmt(x) {
    return typeof x === 'number' && isFinite(x) && !Number.isInteger(x) ? String(Number(x.toPrecision(4))) : String(x);
  }

  function byNaturalOrder(a, b) {
    var na = Number(a);
    var nb = Number(b);
    if (a !== '' && b !== '' && !isNaN(na) && !isNaN(nb)) {
      return na - nb;
    }
    return String(a).localeCompare(String(b));
  }

  function mix(t) {
    var c = WORST.map(function (w, i) { return Math.round(w + (BEST[i] - w) * t); });
    return 'rgb(' + c.join(',') + ')';
  }

  // ------------------------------------------------------------------------------------------ heatmap

  /** The params keys by how many distinct values they take, most first; and the metric names of done jobs. */
  function describe(jobs) {
    var values = {};
    var metrics = [];
    jobs.forEach(function (job) {
      Object.keys(job.params || {}).forEach(function (key) {
        (values[key] = values[key] || new Set()).add(job.params[key]);
      });
      Object.keys(job.metrics || {}).forEach(function (name) {
        if (metrics.indexOf(name) < 0) {
          metrics.push(name);
        }
      });
    });
    var keys = Object.keys(values).sort(function (a, b) {
      return values[b].size - values[a].size || a.localeCompare(b);
    });
    return { keys: keys, metrics: metrics.sort() };
  }

  /** The grid of two keys, or null when the jobs do not span one (a job lacks a key, or two share a cell). */
  function grid(jobs, xKey, yKey) {
    if (!xKey || !yKey || xKey === yKey) {
      return null;
    }
    var xs = new Set();
    var ys = new Set();
    var cells = new Map();
    for (var i = 0; i < jobs.length; i++) {
      var p = jobs[i].params || {};
      if (!(xKey in p) || !(yKey in p)) {
        return null;
      }
      var key = p[xKey] + '\u0000' + p[yKey];
      if (cells.has(key)) {
        return null;
      }
      cells.set(key, jobs[i]);
      xs.add(p[xKey]);
      ys.add(p[yKey]);
    }
    if (xs.size < 2 || ys.size < 2) {
      return null;
    }
    return { xs: Array.from(xs).sort(byNaturalOrder), ys: Array.from(ys).sort(byNaturalOrder), cells: cells };
  }

  function select(name, label, options, value, onChange) {
    var node = html('select', { name: name, 'data-control': name });
    options.forEach(function (o) {
      var option = html('option', { value: o.value }, o.label);
      option.selected = o.value === value;
      node.appendChild(option);
    });
    node.addEventListener('change', function () { onChange(node.value); });
    var wrap = html('label', { class: 'picture-control' }, label + ' ');
    wrap.appendChild(node);
    return wrap;
  }

  /**
   * Draws the heatmap (or the bar chart) of `jobs` into `container`. `choice` holds the user's keys, metric and
   * direction (kept by the caller across refreshes); `open(jobId)` opens a job.
   */
  function heatmap(container, jobs, choice, open) {
    var shape = describe(jobs);
    var xKey = choice.x && shape.keys.indexOf(choice.x) >= 0 ? choice.x : shape.keys[0];
    var yKey = choice.y && shape.keys.indexOf(choice.y) >= 0 ? choice.y : shape.keys[1];
    var metric = choice.metric && shape.metrics.indexOf(choice.metric) >= 0 ? choice.metric : shape.metrics[0];
    var higher = choice.direction === 'higher';
    var redraw = function (field) {
      return function (value) {
        choice[field] = value;
        heatmap(container, jobs, choice, open);
      };
    };
    var keyOptions = shape.keys.map(function (k) { return { value: k, label: k }; });
    var controls = html('div', { class: 'picture-controls' });
    if (shape.keys.length >= 2) {
      controls.appendChild(select('x', 'columns', keyOptions, xKey, redraw('x')));
      controls.appendChild(select('y', 'rows', keyOptions, yKey, redraw('y')));
    }
    controls.appendChild(select('metric', 'metric', shape.metrics.map(function (m) { return { value: m, label: m }; }),
      metric, redraw('metric')));
    controls.appendChild(select('direction', '', [{ value: 'lower', label: 'lower is better' },
      { value: 'higher', label: 'higher is better' }], higher ? 'higher' : 'lower', redraw('direction')));

    var values = jobs.filter(function (j) { return j.status === 'done' && j.metrics && metric in j.metrics; })
      .map(function (j) { return j.metrics[metric]; });
    var lo = Math.min.apply(null, values.length ? values : [0]);
    var hi = Math.max.apply(null, values.length ? values : [1]);
    var goodness = function (v) {
      var t = hi === lo ? 1 : (v - lo) / (hi - lo);
      return higher ? t : 1 - t;
    };
    var g = grid(jobs, xKey, yKey);
    var picture = !g ? barsSvg(jobs, metric, goodness, higher, open)
      : g.xs.length * g.ys.length > MAX_SVG_CELLS ? gridCanvas(g, xKey, yKey, metric, goodness, open)
        : gridSvg(g, xKey, yKey, metric, goodness, open);
    container.replaceChildren(controls, picture, legend(metric, higher));
    container.setAttribute('data-kind', g ? 'grid' : 'bars');
    container.setAttribute('data-x', g ? xKey : '');
    container.setAttribute('data-y', g ? yKey : '');
    container.setAttribute('data-metric', metric || '');
    container.setAttribute('data-cells', g ? String(g.xs.length * g.ys.length) : '0');
  }

  /** The cell's job (or undefined), its status, its metric value (done only) and the text for hovering over it. */
  function cellOf(g, x, y, xKey, yKey, metric) {
    var job = g.cells.get(x + '\u0000' + y);
    var status = job ? job.status : 'pending';
    var value = job && status === 'done' && job.metrics ? job.metrics[metric] : undefined;
    var description = (job ? job.job_id + ': ' + status : xKey + '=' + x + ', ' + yKey + '=' + y
      + ': pending (not seen yet)') + (value !== undefined ? ', ' + metric + ' ' + fmt(value) : '')
      + (job && job.last_error ? ', ' + job.last_error.error_type : '');
    return { job: job, status: status, value: value, description: description };
  }

  function gridCanvas(g, xKey, yKey, metric, goodness, open) {
    var cols = g.xs.length;
    var rows = g.ys.length;
    var cw = Math.max(2, Math.min(24, Math.floor(1100 / cols)));
    var ch = Math.max(2, Math.min(24, Math.floor(600 / rows)));
    var ratio = window.devicePixelRatio || 1;
    var canvas = html('canvas', { class: 'heatmap heatmap-canvas', role: 'img', 'aria-label': yKey + ' by ' + xKey });
    canvas.width = cols * cw * ratio;
    canvas.height = rows * ch * ratio;
    canvas.style.width = cols * cw + 'px';
    canvas.style.height = rows * ch + 'px';
    var ctx = canvas.getContext('2d');
    ctx.scale(ratio, ratio);
    g.ys.forEach(function (y, j) {
      g.xs.forEach(function (x, i) {
        var cell = cellOf(g, x, y, xKey, yKey, metric);
        ctx.fillStyle = cell.value !== undefined ? mix(goodness(cell.value)) : STATUS_COLOURS[cell.status];
        ctx.fillRect(i * cw, j * ch, Math.max(1, cw - 1), Math.max(1, ch - 1));
      });
    });
    var at = function (event) {
      var r = canvas.getBoundingClientRect();
      var i = Math.floor((event.clientX - r.left) / cw);
      var j = Math.floor((event.clientY - r.top) / ch);
      return i >= 0 && i < cols && j >= 0 && j < rows ? cellOf(g, g.xs[i], g.ys[j], xKey, yKey, metric) : null;
    };
    canvas.addEventListener('mousemove', function (event) {
      var cell = at(event);
      canvas.title = cell ? cell.description : '';
      canvas.style.cursor = cell && cell.job ? 'pointer' : 'default';
    });
    canvas.addEventListener('click', function (event) {
      var cell = at(event);
      if (cell && cell.job) {
        open(cell.job.job_id);
      }
    });
    var wrap = html('div', { class: 'heatmap-wrap' });
    wrap.appendChild(html('div', { class: 'axis-name' }, yKey + ' \u2193 (' + rows + ') / ' + xKey + ' \u2192 ('
      + cols + '), hover for a cell'));
    wrap.appendChild(canvas);
    return wrap;
  }

  function gridSvg(g, xKey, yKey, metric, goodness, open) {
    var cols = g.xs.length;
    var rows = g.ys.length;
    var labelW = Math.min(140, 12 + 7 * Math.max.apply(null, g.ys.map(function (y) { return String(y).length; })));
    var labelH = 36;
    var cw = Math.max(4, Math.min(96, Math.floor(1100 / cols)));
    var ch = Math.max(4, Math.min(40, Math.floor(cw * 0.6)));
    var withText = cols * rows <= MAX_TEXT_CELLS && cw >= 40;
    var width = labelW + cols * cw;
    var height = labelH + rows * ch;
    var root = svg('svg', { class: 'heatmap', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-label': yKey + ' by ' + xKey });
    root.appendChild(svg('text', { x: 2, y: 12, class: 'axis-name' }, 'rows: ' + yKey + ', columns: ' + xKey));
    if (cw >= 24) {
      g.xs.forEach(function (x, i) {
        root.appendChild(svg('text', { x: labelW + i * cw + cw / 2, y: 31, class: 'axis-label', 'text-anchor': 'middle' },
          x));
      });
    }
    if (ch >= 10) {
      g.ys.forEach(function (y, j) {
        root.appendChild(svg('text', { x: labelW - 6, y: labelH + j * ch + ch / 2 + 4, class: 'axis-label',
          'text-anchor': 'end' }, y));
      });
    }
    var fragment = document.createDocumentFragment();
    g.ys.forEach(function (y, j) {
      g.xs.forEach(function (x, i) {
        var c = cellOf(g, x, y, xKey, yKey, metric);
        var job = c.job;
        var status = c.status;
        var value = c.value;
        var fill = value !== undefined ? mix(goodness(value)) : STATUS_COLOURS[status];
        var cell = svg('g', { class: 'heat-cell', 'data-status': status, 'data-job': job ? job.job_id : null,
          'data-x': x, 'data-y': y, 'data-value': value !== undefined ? value : null });
        cell.appendChild(svg('rect', { x: labelW + i * cw + 1, y: labelH + j * ch + 1, width: cw - 2, height: ch - 2,
          rx: 3, fill: fill, class: 'status-' + status }));
        cell.appendChild(svg('title', null, c.description));
        if (withText) {
          var text = value !== undefined ? fmt(value) : status;
          cell.appendChild(svg('text', { x: labelW + i * cw + cw / 2, y: labelH + j * ch + ch / 2 + 4,
            'text-anchor': 'middle', class: 'cell-text' + (value !== undefined && goodness(value) > 0.5 ? ' on-dark' : '')
              + (status === 'running' || status === 'failed' ? ' on-dark' : '') }, text));
        }
        fragment.appendChild(cell);
      });
    });
    root.appendChild(fragment);
    // One listener for every cell.
    root.addEventListener('click', function (event) {
      var cell = event.target.closest('.heat-cell');
      if (cell && cell.getAttribute('data-job')) {
        open(cell.getAttribute('data-job'));
      }
    });
    return root;
  }

  /** Not a grid: the done jobs' metric as bars, best first (the best MAX_BARS of them). */
  function barsSvg(jobs, metric, goodness, higher, open) {
    var done = jobs.filter(function (j) { return j.status === 'done' && j.metrics && metric in j.metrics; });
    done.sort(function (a, b) {
      return higher ? b.metrics[metric] - a.metrics[metric] : a.metrics[metric] - b.metrics[metric];
    });
    var shown = done.slice(0, MAX_BARS);
    var labelW = 180;
    var barH = 20;
    var width = 900;
    var height = Math.max(30, shown.length * barH + 8);
    var max = Math.max.apply(null, shown.map(function (j) { return Math.abs(j.metrics[metric]); }).concat([1e-12]));
    var root = svg('svg', { class: 'bars', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-label': metric + ' by job' });
    if (!shown.length) {
      root.appendChild(svg('text', { x: 4, y: 20, class: 'axis-label' }, 'No done job reports ' + (metric || 'a metric')
        + ' yet.'));
    }
    shown.forEach(function (job, i) {
      var value = job.metrics[metric];
      var bar = svg('g', { class: 'bar', 'data-job': job.job_id, 'data-value': value });
      bar.appendChild(svg('text', { x: labelW - 6, y: i * barH + 15, 'text-anchor': 'end', class: 'axis-label' },
        job.job_id));
      bar.appendChild(svg('rect', { x: labelW, y: i * barH + 3, height: barH - 6, rx: 2, fill: mix(goodness(value)),
        width: Math.max(1, (width - labelW - 80) * Math.abs(value) / max) }));
      bar.appendChild(svg('text', { x: labelW + 4 + (width - labelW - 80) * Math.abs(value) / max, y: i * barH + 15,
        class: 'axis-label' }, fmt(value)));
      bar.appendChild(svg('title', null, job.job_id + ': ' + metric + ' ' + fmt(value)));
      bar.addEventListener('click', function () { open(job.job_id); });
      root.appendChild(bar);
    });
    var wrap = html('div', { class: 'bars-wrap' });
    wrap.appendChild(root);
    if (done.length > shown.length) {
      wrap.appendChild(html('p', { class: 'muted' }, 'The best ' + shown.length + ' of ' + done.length + ' done jobs.'));
    }
    return wrap;
  }

  function legend(metric, higher) {
    var node = html('div', { class: 'picture-legend' });
    ['pending', 'running', 'failed'].forEach(function (s) {
      var item = html('span', { class: 'legend-item' });
      item.appendChild(html('i', { class: 'swatch', style: 'background:' + STATUS_COLOURS[s] }));
      item.appendChild(document.createTextNode(s));
      node.appendChild(item);
    });
    var done = html('span', { class: 'legend-item' });
    done.appendChild(html('i', { class: 'swatch swatch-ramp' }));
    done.appendChild(document.createTextNode('done, darker is better' + (metric ? ' (' + metric + ', '
      + (higher ? 'higher' : 'lower') + ' is better)' : '')));
    node.appendChild(done);
    return node;
  }

  // ------------------------------------------------------------------------------------------ timeline

  /**
   * The timeline's model from the jobs' attempts (GET /jobs?fields=job_id,attempts) and the batch's launches (GET
   * /launches): one bar per attempt whose start was applied, from that start to its first job_done or job_failed.
   * An attempt still open when the batch resumed was lost with its launcher: it ends where the batch went quiet.
   * Rows are ordered by their first start, so the picture reads left to right as the batch ran.
   */
  function attempts(jobs, launches, batch, now) {
    var kinds = { started: 'start', resumed: 'resume', ignored: 'ignored' };
    var marks = launches.map(function (l) {
      var ts = Date.parse(l.ts);
      var quietSince = l.quiet_since ? Date.parse(l.quiet_since) : ts;
      return { kind: kinds[l.outcome] || l.outcome, ts: ts, quietSince: quietSince };
    });
    var resumes = marks.filter(function (l) { return l.kind === 'resume'; });
    var running = batch.status === 'running';
    var last = Date.parse(batch.last_event_ts || '') || now;
    var rows = [];
    jobs.forEach(function (job) {
      var bars = [];
      (job.attempts || []).forEach(function (a) {
        if (!a.started_at) {
          return;
        }
        var start = Date.parse(a.started_at);
        var bar = { job: job.job_id, attempt: a.attempt, start: start, end: null, outcome: a.outcome || 'running',
          errorType: a.error_type || null };
        if (a.ended_at) {
          bar.end = Math.max(start, Date.parse(a.ended_at));
        } else {
          var resume = resumes.find(function (l) { return l.ts >= start; });
          if (resume) {
            bar.end = Math.max(start, resume.quietSince);
            bar.outcome = 'lost';
          } else {
            bar.end = Math.max(start, running ? now : last);
            bar.outcome = running ? 'running' : 'lost';
          }
        }
        bars.push(bar);
      });
      if (bars.length) {
        rows.push([job.job_id, bars]);
      }
    });
    rows.sort(function (a, b) { return a[1][0].start - b[1][0].start || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    return { rows: rows, launches: marks };
  }

  /** Draws the attempt timeline with uPlot: time across, one row per job (many jobs share a pixel row when large). */
  function timeline(container, model, onHoverText) {
    var rows = model.rows;
    var n = Math.max(1, rows.length);
    var bars = 0;
    var t0 = Infinity;
    var t1 = -Infinity;
    rows.forEach(function (r) {
      r[1].forEach(function (a) {
        bars++;
        t0 = Math.min(t0, a.start);
        t1 = Math.max(t1, a.end);
      });
    });
    model.launches.forEach(function (l) {
      t0 = Math.min(t0, l.quietSince || l.ts, l.ts);
      t1 = Math.max(t1, l.ts);
    });
    if (!isFinite(t0)) {
      container.replaceChildren(html('p', { class: 'muted' }, 'No attempts yet.'));
      setCounts(container, model, 0);
      return null;
    }
    if (t1 - t0 < 1000) {
      t1 = t0 + 1000;
    }
    var pad = (t1 - t0) * 0.02;
    var labelled = rows.length <= 40;
    var height = Math.min(TIMELINE_MAX_PX, Math.max(120, n * TIMELINE_ROW_PX)) + 40;
    var width = Math.max(400, Math.min(1200, (container.clientWidth || 1100) - 10));
    var tip = html('div', { class: 'timeline-tip', hidden: '' });
    var opts = {
      width: width,
      height: height,
      legend: { show: false },
      // The dashboard shows UTC everywhere.
      tzDate: function (ts) { return window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      cursor: { y: false, drag: { x: true, y: false } },
      scales: {
        x: { time: true, range: [(t0 - pad) / 1000, (t1 + pad) / 1000] },
        y: { auto: false, range: [-0.5, n - 0.5] }
      },
      axes: [
        { grid: { show: true, stroke: '#eef0f3' } },
        {
          size: labelled ? 150 : 50,
          grid: { show: false },
          splits: function () {
            return labelled ? rows.map(function (r, i) { return n - 1 - i; }) : [0, n - 1];
          },
          values: function (u, splits) {
            return splits.map(function (s) {
              var i = n - 1 - s;
              return labelled ? (rows[i] ? rows[i][0] : '') : 'job ' + (i + 1);
            });
          }
        }
      ],
      series: [{}, { show: false }],
      hooks: {
        draw: [function (u) { drawTimeline(u, model, n); }],
        setCursor: [function (u) {
          var text = hoverText(u, model, n);
          tip.hidden = !text;
          if (text) {
            tip.textContent = text;
            tip.style.left = Math.min(u.cursor.left + 12, u.over.clientWidth - 260) + 'px';
            tip.style.top = (u.cursor.top + 12) + 'px';
          }
          if (onHoverText) {
            onHoverText(text);
          }
        }]
      }
    };
    container.replaceChildren();
    var plot = new window.uPlot(opts, [[(t0 - pad) / 1000, (t1 + pad) / 1000], [null, null]], container);
    plot.over.appendChild(tip);
    // For whoever drives the page (the browser test): the chart and the rows it draws.
    container.uplot = plot;
    container.timelineModel = model;
    setCounts(container, model, bars);
    return plot;
  }

  function setCounts(container, model, bars) {
    container.setAttribute('data-rows', String(model.rows.length));
    container.setAttribute('data-bars', String(bars));
    container.setAttribute('data-resumes', String(model.launches.filter(function (l) { return l.kind === 'resume'; })
      .length));
    container.setAttribute('data-ignored', String(model.launches.filter(function (l) { return l.kind === 'ignored'; })
      .length));
    container.setAttribute('data-outcomes', JSON.stringify(model.rows.reduce(function (counts, r) {
      r[1].forEach(function (a) { counts[a.outcome] = (counts[a.outcome] || 0) + 1; });
      return counts;
    }, {})));
  }

  function drawTimeline(u, model, n) {
    var ctx = u.ctx;
    var rowPx = u.bbox.height / n;
    var barPx = Math.max(1, Math.min(rowPx * 0.7, 18 * devicePixelRatio));
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    // The quiet gap before each resume: nothing ran between the crash and the relaunch.
    model.launches.forEach(function (l) {
      if (l.kind === 'resume' && l.quietSince < l.ts) {
        var x0 = u.valToPos(l.quietSince / 1000, 'x', true);
        var x1 = u.valToPos(l.ts / 1000, 'x', true);
        ctx.fillStyle = 'rgba(217, 119, 6, 0.10)';
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
        ctx.fillStyle = '#b45309';
        ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
        ctx.fillText('nothing ran', x0 + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      }
    });
    model.rows.forEach(function (r, i) {
      var y = u.valToPos(n - 1 - i, 'y', true);
      r[1].forEach(function (a) {
        var x0 = u.valToPos(a.start / 1000, 'x', true);
        var x1 = u.valToPos(a.end / 1000, 'x', true);
        ctx.fillStyle = STATUS_COLOURS[a.outcome];
        ctx.fillRect(x0, y - barPx / 2, Math.max(devicePixelRatio, x1 - x0), barPx);
      });
    });
    model.launches.forEach(function (l) {
      if (l.kind === 'start') {
        return;
      }
      var x = Math.round(u.valToPos(l.ts / 1000, 'x', true));
      ctx.strokeStyle = l.kind === 'resume' ? '#d97706' : '#6b7280';
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash(l.kind === 'resume' ? [] : [4 * devicePixelRatio, 3 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
      ctx.fillText(l.kind === 'resume' ? 'resume' : 'ignored relaunch', x + 4 * devicePixelRatio,
        u.bbox.top + u.bbox.height - 6 * devicePixelRatio);
    });
    ctx.restore();
  }

  function hoverText(u, model, n) {
    if (u.cursor.left === null || u.cursor.left < 0 || !model.rows.length) {
      return '';
    }
    var i = n - 1 - Math.round(u.posToVal(u.cursor.top, 'y'));
    var t = u.posToVal(u.cursor.left, 'x') * 1000;
    var row = model.rows[i];
    if (!row) {
      return '';
    }
    var slack = (u.scales.x.max - u.scales.x.min) * 1000 / u.bbox.width * 3 * devicePixelRatio;
    var a = row[1].find(function (x) { return t >= x.start - slack && t <= x.end + slack; });
    if (!a) {
      return row[0];
    }
    return row[0] + ' \u00b7 attempt ' + a.attempt + ' \u00b7 ' + a.outcome + (a.errorType ? ' \u00b7 ' + a.errorType : '')
      + ' \u00b7 ' + new Date(a.start).toISOString().slice(11, 19) + '\u2013' + new Date(a.end).toISOString().slice(11, 19);
  }

  // ------------------------------------------------------------------------------------------ metric curves

  /** One chart per progress metric: the metric against step, one series per attempt. */
  function curves(container, progressEvents) {
    var byMetric = {};
    progressEvents.forEach(function (e) {
      Object.keys(e.metrics || {}).forEach(function (name) {
        var byAttempt = byMetric[name] = byMetric[name] || {};
        (byAttempt[e.attempt] = byAttempt[e.attempt] || []).push([e.step, e.metrics[name]]);
      });
    });
    var names = Object.keys(byMetric).sort();
    container.replaceChildren();
    container.setAttribute('data-charts', String(names.length));
    if (!names.length) {
      container.appendChild(html('p', { class: 'muted' }, 'No progress reported.'));
      return;
    }
    names.forEach(function (name) {
      var byAttempt = byMetric[name];
      var attemptsOf = Object.keys(byAttempt).map(Number).sort(function (a, b) { return a - b; });
      var steps = Array.from(new Set([].concat.apply([], attemptsOf.map(function (a) {
        return byAttempt[a].map(function (p) { return p[0]; });
      })))).sort(function (a, b) { return a - b; });
      var data = [steps].concat(attemptsOf.map(function (a) {
        var at = new Map(byAttempt[a].map(function (p) { return [p[0], p[1]]; }));
        return steps.map(function (s) { return at.has(s) ? at.get(s) : null; });
      }));
      var chart = html('div', { class: 'curve', 'data-metric': name, 'data-series': String(attemptsOf.length),
        'data-attempts': attemptsOf.join(',') });
      chart.appendChild(html('h4', null, name));
      container.appendChild(chart);
      new window.uPlot({
        width: 520,
        height: 220,
        scales: { x: { time: false } },
        axes: [{ label: 'step' }, {}],
        series: [{ label: 'step' }].concat(attemptsOf.map(function (a, i) {
          return {
            label: 'attempt ' + a, stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], width: 2, spanGaps: true,
            points: { show: true, size: 6 }
          };
        }))
      }, data, chart);
    });
  }

  window.ArgusPictures = { heatmap: heatmap, attempts: attempts, timeline: timeline, curves: curves };
}());
