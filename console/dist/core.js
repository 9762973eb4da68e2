// The console's parts every page uses: the GraphQL client, the element builder, labels, times, and the
// panel and form helpers. The console is a GraphQL client like any other: JSON POSTs to /graphql with the
// session cookie. It never builds HTML from data: every name and message goes in as text (h below), so a
// pupil's name cannot inject.
'use strict';

const gql = (query, variables) => post({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) });

// post sends one GraphQL request (JSON, or a multipart upload) and returns its data or throws its first
// error, with the field the server names.
async function post(init) {
  const res = await fetch('/graphql', { method: 'POST', credentials: 'same-origin', ...init });
  // A proxy's error page or a dropped connection is not GraphQL: say so rather than fail to parse it.
  const body = await res.json().catch(() => { throw new Error(`服务器错误 The server answered ${res.status}`); });
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    throw Object.assign(new Error(e.message), { field: e.extensions?.field, code: e.extensions?.code });
  }
  return body.data;
}

const $ = (id) => document.getElementById(id);
function say(text, isError) { $('msg').textContent = text; $('msg').className = isError ? 'err' : ''; }

// h builds an element: h('button', { onclick, class: 'zero' }, 'text', child…).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
  return el;
}

const SESSION = { morning: '晨检 Morning', noon: '午检 Noon', evening: '晚检 Evening', full_day: '全日观察 Full day' };
const STATE = {
  not_due: '未到 Not due', pending: '待报 Pending', overdue: '逾期未报 Overdue',
  submitted: '已报 Submitted', late: '迟报 Late', exempted: '免报 Exempted',
};
const STATUS = [ // what a pupil's line says; '' is present and well, which needs no line
  ['', '在校 Present'], ['sick_leave', '病假 Sick leave'], ['personal_leave', '事假 Personal leave'],
  ['unexcused', '旷课 Unexcused'], ['early_leave', '早退 Early leave'], ['symptomatic', '在校有症状 Present, symptoms'],
];
const SYMPTOMS = [
  ['fever', '发热 Fever'], ['cough', '咳嗽 Cough'], ['sore_throat', '咽痛 Sore throat'], ['headache', '头痛 Headache'],
  ['fatigue', '乏力 Fatigue'], ['vomiting', '呕吐 Vomiting'], ['diarrhoea', '腹泻 Diarrhoea'],
  ['abdominal_pain', '腹痛 Abdominal pain'], ['rash', '皮疹 Rash'], ['conjunctivitis', '红眼 Conjunctivitis'],
  ['parotid_swelling', '腮腺肿大 Parotid swelling'], ['runny_nose', '流涕 Runny nose'], ['short_breath', '呼吸不畅 Short of breath'],
  ['phlegm', '咳痰 Phlegm'], ['dizziness', '头晕 Dizziness'], ['jaundice', '黄疸 Jaundice'], ['other', '其他 Other'],
];
const DISPOSITION = [
  ['stays_in_class', '留班观察 Stays in class'], ['observation_room', '观察室 Observation room'],
  ['sent_home', '回家 Sent home'], ['hospital', '就医 Hospital'],
];
const ROLE = {
  platform_admin: '平台管理员 Platform admin', district_admin: '教育局管理员 District admin', principal: '校长 Principal',
  leading_group: '领导小组 Leading group', epidemic_reporter: '疫情报告人 Epidemic reporter', grade_leader: '年级组长 Grade leader',
  class_teacher: '班主任 Class teacher', subject_teacher: '任课教师 Subject teacher', health_teacher: '保健老师 Health teacher',
  duty_leader: '值班领导 Duty leader', logistics: '后勤 Logistics',
};
// Times are the school's: a deadline of 09:00 means 09:00 where the school is, whatever the browser's zone.
const clock = (t) => new Date(t).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: me.tenant?.timezone });
// addDays: the date n days from a YYYY-MM-DD date (calendar days, in no zone).
const addDays = (date, n) => new Date(Date.parse(date) + n * 864e5).toISOString().slice(0, 10);
const pct = (f) => (f === null || f === undefined ? '—' : `${Math.round(f * 100)}%`);

let me = null;
let refresher = 0; // the timer that keeps the boards and the inbox current

// Boards refresh themselves this often (a test may set window.campusRefreshSeconds before the page loads).
const refreshSeconds = () => window.campusRefreshSeconds || 60;
const SECTIONS = ['inbox', 'classes', 'boards', 'reports', 'care', 'people', 'mine'];

// Times are the school's, date and time.
const dateTime = (t) => new Date(t).toLocaleString('zh-CN', { timeZone: me.tenant?.timezone, hour12: false });

// schoolTime reads a datetime-local value ("2026-11-23T08:30") as the school's wall clock, whatever the
// browser's zone, and returns the instant (ISO 8601). The zone's offset at that moment comes from Intl,
// asked twice so a time next to a daylight-saving change lands on the right side of it.
function schoolTime(local) {
  const wall = Date.parse(`${local}Z`); // the wall clock's digits, as if in UTC
  const offset = (t) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone: me.tenant?.timezone || 'UTC', hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    }).formatToParts(t).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  const first = wall - offset(wall);
  return new Date(wall - offset(first)).toISOString();
}

// drawNewest makes a load that draws its answer (draw) or its error (fail) only if no later load has started
// meanwhile: the answer of one that a later load has overtaken (a change, the minute's refresh, the same day
// asked twice) would draw an older state over the newer one, so it is dropped when it comes, and whoever
// awaits the overtaken load (act, to say "Saved") waits for the newest to be drawn instead.
function drawNewest(load, draw, fail) {
  let newest = null;
  return () => {
    const drawn = load().then((data) => newest === drawn && draw(data))
      .catch((err) => newest === drawn && fail(err))
      .then(() => (newest === drawn ? undefined : newest));
    newest = drawn;
    return drawn;
  };
}

// panel loads a list into a section, again after every change; a caller who may not read the list (the
// server refuses, or privacy leaves nothing) sees the section empty, not an error.
// head, if given, stays between the title and the list, untouched by reloads (a form keeps its values and
// its focus while the list changes under it). Only the newest load draws (drawNewest).
function panel(title, cls, load, head) {
  const list = h('div', { class: 'list' });
  const section = h('section', { class: `panel ${cls}` }, h('h2', {}, title), head, list);
  const reload = drawNewest(load, (rows) => list.replaceChildren(...(rows.length ? rows.map((r) => r(reload)) : [h('p', { class: 'muted' }, '无 None')])),
    (err) => list.replaceChildren(h('p', { class: err.code === 'FORBIDDEN' ? 'muted' : 'err' }, err.message)));
  reload();
  section.refresh = reload;
  return section;
}

// required is what an input holds, trimmed; empty, it is said on its field before anything is sent.
function required(input) {
  if (!input.value.trim()) throw Object.assign(new Error('请填写 Fill this in'), { field: input.name });
  return input.value.trim();
}

// act runs a mutation from a button, shows its error (on the field the server names) or reloads.
function act(form, reload, mutate) {
  return async (e) => {
    e?.preventDefault();
    say(''); // the last attempt's message goes: what shows next is this one's
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    try {
      await mutate();
      // "Saved" once the page shows what was saved (a form the reload redraws is the one to use next), unless
      // the reload said something of its own.
      await reload();
      if (!$('msg').textContent) say('已保存 Saved.');
    } catch (err) {
      // A field may be a path (chaseLadder[1].notify): quoted, and found by name or by a group's data-name.
      const f = err.field && CSS.escape(err.field);
      const input = f && form.querySelector(`[name="${f}"], [data-name="${f}"]`);
      if (input) { input.classList.add('invalid'); input.focus?.(); }
      say(err.message, true);
    }
  };
}

// grid: a table with a header row, scrolling sideways on a narrow screen.
const grid = (cls, head, rows) => h('div', { class: `wide ${cls}` },
  h('table', {}, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', {}, x)))), h('tbody', {}, ...rows)));

// everyRow reads a whole connection a page of 100 at a time (a page the query's complexity limit allows):
// field with its arguments (orderBy, where) and the fields of a row.
async function everyRow(field, args, fields) {
  const rows = [];
  for (let after = null; ;) {
    const { [field]: page } = await gql(`query($after: Cursor) { ${field}(first: 100, after: $after, ${args}) {
      edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } }`, { after });
    rows.push(...page.edges.map(({ node }) => node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}
