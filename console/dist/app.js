// The console is a GraphQL client like any other: JSON POSTs to /graphql with the session cookie. It never
// builds HTML from data: every name and message goes in as text (h below), so a pupil's name cannot inject.
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
  ['parotid_swelling', '腮腺肿大 Parotid swelling'], ['runny_nose', '流涕 Runny nose'], ['other', '其他 Other'],
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
const SECTIONS = ['inbox', 'classes', 'boards', 'reports', 'care', 'people'];

async function start() {
  try {
    ({ me } = await gql(`{ me { today role mustChangePassword user { displayName login } tenant { id name timezone }
      scopes { role nodeType nodeID name exempt: can(object: "exemption", action: "create")
      readReports: can(object: "daily_report", action: "read") attest: can(object: "daily_report", action: "update")
      deliveries: can(object: "delivery", action: "read") staff: can(object: "staff_check", action: "read")
      observe: can(object: "observation", action: "update") calendar: can(object: "calendar", action: "create")
      settings: can(object: "settings", action: "update") accounts: can(object: "user", action: "create")
      assign: can(object: "assignment", action: "create")
      roster: can(object: "student", action: "create") classes: can(object: "class", action: "create") } } }`));
  } catch (err) {
    clearInterval(refresher);
    for (const id of SECTIONS) $(id).replaceChildren(); // an ended session leaves nothing behind the sign-in
    $('login').hidden = false; $('app').hidden = true;
    if (err.code !== 'UNAUTHENTICATED') say(err.message, true);
    return;
  }
  $('login').hidden = true; $('app').hidden = false;
  $('who').textContent = [me.user?.displayName, ROLE[me.role] || me.role, me.tenant?.name, me.today].filter(Boolean).join(' · ');
  // An initial password opens nothing but its own change (the server refuses the rest until then).
  $('password').hidden = !me.mustChangePassword;
  if (me.mustChangePassword) {
    for (const id of SECTIONS) $(id).replaceChildren();
    say('请先修改初始密码 Please change your initial password.');
    return;
  }
  say('');
  const seen = new Set();
  const once = (key) => !seen.has(key) && seen.add(key);
  const classes = me.scopes.filter((s) => s.nodeType === 'class' && once(`c${s.nodeID}`));
  const groups = me.scopes.filter((s) => s.nodeType === 'staff_group' && once(`g${s.nodeID}`));
  $('classes').replaceChildren(...classes.map((s) => classCard(s.nodeID, s.name)), ...groups.map((s) => staffCard(s.nodeID, s.name)));
  // A district admin watches the district as one board (its schools are in the non-reporters' names);
  // school staff see a board per grade or school they hold a role at.
  // Exemption buttons show where a role of the caller may exempt: at the grade itself or the whole school.
  const boards = me.role === 'district_admin' ? [{ title: me.tenant.name, scope: { districtID: me.tenant.id } }] :
    me.scopes.filter((s) => (s.nodeType === 'grade' || s.nodeType === 'school') && once(`${s.nodeType}${s.nodeID}`))
      .map((s) => ({
        title: s.name, scope: s.nodeType === 'grade' ? { gradeID: s.nodeID } : { tenantID: s.nodeID },
        exempt: me.scopes.some((x) => x.exempt && (x.nodeType === 'school' || (x.nodeType === s.nodeType && x.nodeID === s.nodeID))),
        staff: s.nodeType === 'school' && me.scopes.some((x) => x.staff && x.nodeType === 'school'),
      }));
  $('boards').replaceChildren(...boards.map((b) => boardPanel(b.title, b.scope, b.exempt, b.staff)));
  const inbox = inboxPanel();
  $('inbox').replaceChildren(inbox);
  // Boards and the inbox stay current by themselves; the other panels hold forms and reload when used.
  clearInterval(refresher);
  refresher = setInterval(() => tick([inbox, ...$('boards').querySelectorAll('.board')]), refreshSeconds() * 1000);
  // The compiled daily reports: the district's own, or the school's for those who read them.
  const school = me.scopes.filter((s) => s.nodeType === 'school');
  $('reports').replaceChildren(...(me.role === 'district_admin' ? [reportsPanel('district', false)] :
    school.some((s) => s.readReports) ? [reportsPanel('school', school.some((s) => s.attest))] : []),
    ...(school.some((s) => s.calendar) ? [calendarPanel()] : []), ...(school.some((s) => s.settings) ? [settingsPanel()] : []));
  // Follow-ups and alerts name pupils: a district sees them only as counts on its board.
  $('care').replaceChildren(...(me.role === 'district_admin' || !me.tenant ? [] :
    [followUpPanel(), observationPanel(school.some((s) => s.observe)), alertPanel()]),
    ...(school.some((s) => s.deliveries) ? [deliveryPanel()] : []));
  $('people').replaceChildren(...(school.some((s) => s.assign) ? [peoplePanel(school.some((s) => s.accounts))] : []),
    ...(school.some((s) => s.classes) ? [classesPanel()] : []), ...(school.some((s) => s.roster) ? [rosterPanel()] : []));
}

// tick keeps an open page current: on a new day (the school's midnight) it starts over on that day, when the
// session has ended it asks for the sign-in again, and otherwise it reloads the panels that refresh.
async function tick(panels) {
  if (document.hidden) return;
  try {
    const { me: now } = await gql('{ me { today } }');
    if (now.today !== me.today) { await start(); return; }
  } catch (err) {
    if (err.code === 'UNAUTHENTICATED') { clearInterval(refresher); await start(); }
    return;
  }
  panels.forEach((p) => p.refresh());
}

// panel loads a list into a section, again after every change; a caller who may not read the list (the
// server refuses, or privacy leaves nothing) sees the section empty, not an error.
// head, if given, stays between the title and the list, untouched by reloads (a form keeps its values and
// its focus while the list changes under it).
function panel(title, cls, load, head) {
  const list = h('div', { class: 'list' });
  const section = h('section', { class: `panel ${cls}` }, h('h2', {}, title), head, list);
  const reload = () => load().then((rows) => list.replaceChildren(
    ...(rows.length ? rows.map((r) => r(reload)) : [h('p', { class: 'muted' }, '无 None')])))
    .catch((err) => list.replaceChildren(h('p', { class: err.code === 'FORBIDDEN' ? 'muted' : 'err' }, err.message)));
  reload();
  section.refresh = reload;
  return section;
}

// act runs a mutation from a button, shows its error (on the field the server names) or reloads.
function act(form, reload, mutate) {
  return async (e) => {
    e?.preventDefault();
    say(''); // the last attempt's message goes: what shows next is this one's
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    try {
      await mutate();
      say('已保存 Saved.');
      await reload();
    } catch (err) {
      const input = err.field && form.querySelector(`[name=${err.field}]`);
      if (input) { input.classList.add('invalid'); input.focus(); }
      say(err.message, true);
    }
  };
}

// inboxPanel: the caller's in-app notifications (reminders to report, alerts, digests), the newest first and
// the unread in bold, each marked read on the server when read, or all at once.
function inboxPanel() {
  return panel('通知 Notifications', 'inbox', async () => {
    const { notifications, unreadNotificationCount: unread } = await gql(`{ unreadNotificationCount
      notifications(first: 10) { edges { node { id subject body createdAt readAt } } } }`);
    const markRead = (ids, reload) => async () => {
      try {
        await gql('mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }', { ids });
        await reload();
      } catch (err) { say(err.message, true); }
    };
    const rows = notifications.edges.map(({ node: n }) => (reload) => h('div', { class: n.readAt ? 'note' : 'note unread', dataset: { id: n.id } },
      h('strong', {}, n.subject), h('span', { class: 'muted' }, ` ${dateTime(n.createdAt)} `),
      n.readAt ? null : h('button', { type: 'button', class: 'secondary read', onclick: markRead([n.id], reload) }, '已读 Read'),
      h('div', {}, n.body)));
    return unread ? [(reload) => h('p', {}, h('button', { type: 'button', class: 'secondary read-all', onclick: markRead(null, reload) },
      `全部已读 Mark all ${unread} read`)), ...rows] : rows;
  });
}

// deliveryPanel: messages that did not arrive (e-mail, SMS, IM robots), with the error, so a failure is seen
// in the console and not only in a server log; the principal fixes the address or the robot.
function deliveryPanel() {
  return panel('投递失败 Failed deliveries', 'deliveries', async () => {
    const { deliveries } = await gql(`{ deliveries(last: 20, where: { status: failed }, orderBy: { field: CREATED_AT }) {
      edges { node { id channel address subject attempts lastError createdAt } } } }`);
    return deliveries.edges.map(({ node: d }) => d).reverse().map((d) => () => h('div', { class: 'delivery', dataset: { id: d.id } },
      h('strong', {}, `${d.channel} → ${d.address || '—'}`), h('span', { class: 'muted' }, ` ${dateTime(d.createdAt)} · ${d.attempts} 次 attempts`),
      h('div', {}, d.subject), h('div', { class: 'err' }, d.lastError || '')));
  });
}

const OUTCOME = [
  ['unknown', '仍不明 Still unknown'], ['common_illness', '普通疾病 Common illness'], ['notifiable', '传染病 Notifiable disease'],
  ['non_infectious', '非传染性 Non-infectious'], ['recovered', '已康复 Recovered'],
];
const CLEARANCE = { not_required: '', required: '需复课审核 needs clearance', cleared: '已准予复课 cleared' };
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

// followUpPanel: the open illness-absence follow-ups (因病缺勤追踪): record what the family or the doctor
// said, and clear a pupil's return to class (复课) once the rules allow it.
function followUpPanel() {
  return panel('因病缺勤追踪 Illness-absence follow-ups', 'followups', async () => {
    const { followUps } = await gql(`{ followUps(last: 50, where: { status: open }) { edges { node {
      id date symptoms dueAt outcome diagnosis clearance earliestReturnAt student { name } class { name } } } } }`);
    return followUps.edges.map(({ node: f }) => (reload) => {
      const outcome = h('select', { name: 'outcome' }, ...OUTCOME.map(([v, l]) => h('option', { value: v, selected: v === f.outcome }, l)));
      const form = h('form', { class: 'followup', dataset: { id: f.id } },
        h('strong', {}, `${f.student.name} · ${f.class.name}`),
        h('span', { class: 'muted' }, ` ${f.date} · ${(f.symptoms || []).join(', ') || '—'} · 到期 due ${dateTime(f.dueAt)}` +
          (CLEARANCE[f.clearance] ? ` · ${CLEARANCE[f.clearance]}` : '') +
          (f.earliestReturnAt ? ` · 最早复课 earliest return ${dateTime(f.earliestReturnAt)}` : '')),
        h('div', {}, outcome, ' ', h('input', { name: 'diagnosis', placeholder: '诊断 Diagnosis', value: f.diagnosis || '', size: 16 }),
          ' ', h('label', { style: 'display:inline' }, '症状结束 Symptoms ended (school time) ', h('input', { name: 'symptomsEndedAt', type: 'datetime-local' })),
          ' ', h('input', { name: 'note', placeholder: '备注 Note', size: 16 }), ' ', h('button', { type: 'submit' }, '记录 Record')));
      const q = (n) => form.querySelector(`[name=${n}]`);
      form.addEventListener('submit', act(form, reload, () => {
        const input = { outcome: outcome.value };
        if (q('diagnosis').value.trim()) input.diagnosis = q('diagnosis').value.trim();
        if (q('note').value.trim()) input.note = q('note').value.trim();
        if (q('symptomsEndedAt').value) input.symptomsEndedAt = schoolTime(q('symptomsEndedAt').value);
        return gql('mutation($id: ID!, $i: FollowUpChangeInput!) { updateFollowUp(id: $id, input: $i) { id } }', { id: f.id, i: input });
      }));
      if (f.clearance === 'required') {
        const certificate = h('input', { type: 'checkbox', name: 'certificateSeen' });
        form.append(h('div', {}, h('label', { style: 'display:inline' }, certificate, ' 已查验复课证明 Certificate seen '),
          h('button', { type: 'button', class: 'clear', onclick: act(form, reload, () => gql(
            'mutation($id: ID!, $c: Boolean!) { clearReturn(id: $id, certificateSeen: $c) { id } }', { id: f.id, c: certificate.checked })) },
          '准予复课 Clear return')));
      }
      return form;
    });
  });
}

const LEAVES = [['back_to_class', '回班 Back to class'], ['collected_by_parent', '家长接回 Collected by a parent'],
  ['hospital', '就医 To hospital'], ['ambulance', '120 Ambulance']];

// observationPanel: the pupils in the observation room (留观) now, with why they came and the readings taken.
// Those who run the room (mayRun) record a reading, that the parents were told, and the release that ends
// the stay; the class's teachers see where their pupil is.
function observationPanel(mayRun) {
  return panel('观察室 Observation room', 'observation', async () => {
    const { observationStays } = await gql(`{ observationStays(first: 50, where: { status: open }, orderBy: { field: IN_AT }) {
      edges { node { id inAt temperature symptoms parentNotifiedAt readings { at temperature note by } student { name } class { name } } } } }`);
    return observationStays.edges.map(({ node: s }) => (reload) => {
      const form = h('form', { class: 'stay', dataset: { id: s.id } },
        h('strong', {}, `${s.student.name} · ${s.class.name}`),
        h('span', { class: 'muted' }, ` 入室 in ${dateTime(s.inAt)} · ${(s.symptoms || []).join(', ') || '—'}` +
          (s.temperature === null ? '' : ` · ${s.temperature} °C`) +
          (s.parentNotifiedAt ? ` · 已通知家长 parents told ${dateTime(s.parentNotifiedAt)}` : ' · 未通知家长 parents not told yet')),
        h('ul', { class: 'readings' }, ...(s.readings || []).map((r) => h('li', {},
          `${dateTime(r.at)} · ${r.temperature === null ? '' : `${r.temperature} °C · `}${r.note ? `${r.note} · ` : ''}${r.by}`))));
      if (!mayRun) return form;
      const temperature = h('input', { name: 'temperature', inputmode: 'decimal', size: 5, placeholder: '°C' });
      const note = h('input', { name: 'note', placeholder: '观察 What was seen', size: 20 });
      const leave = h('select', { name: 'outcome' }, ...LEAVES.map(([v, l]) => h('option', { value: v }, l)));
      const change = (input) => gql('mutation($id: ID!, $i: ObservationStayChangeInput!) { updateObservationStay(id: $id, input: $i) { id } }',
        { id: s.id, i: input });
      // The reading and note typed go with whichever button is pressed.
      const typed = () => {
        const input = {};
        if (temperature.value.trim()) {
          input.temperature = Number(temperature.value.trim());
          if (!Number.isFinite(input.temperature)) throw Object.assign(new Error('体温须为数字 the temperature must be a number'), { field: 'temperature' });
        }
        if (note.value.trim()) input.note = note.value.trim();
        return input;
      };
      form.addEventListener('submit', act(form, reload, () => change(typed())));
      form.append(h('div', {}, temperature, ' ', note, ' ', h('button', { type: 'submit' }, '记录 Record'), ' ',
        s.parentNotifiedAt ? null : h('button', { type: 'button', class: 'secondary told', onclick: act(form, reload, () => change({ ...typed(), parentNotified: true })) },
          '已通知家长 Parents told'), ' ',
        leave, ' ', h('button', { type: 'button', class: 'secondary leave', onclick: act(form, reload, () => change({ ...typed(), outcome: leave.value })) },
          '离开观察室 Release')));
      return form;
    });
  });
}

const RULE = {
  fever: '发热 Fever', cluster_day: '聚集 Cluster (one day)', cluster_window: '聚集 Cluster (3 school days)',
  ili_outbreak: '流感样病例暴发 ILI outbreak', notifiable: '疑似传染病 Suspected notifiable disease',
};
const ALERT_STATUS = { open: '待确认 Open', acknowledged: '已确认 Acknowledged' };

// alertPanel: the open alerts, moved on as the school handles them: acknowledged, then handled (with what
// was done) or a false alarm (with why); outbreaks and notifiable diseases record whom at the CDC was told.
function alertPanel() {
  return panel('预警 Alerts', 'alerts', async () => {
    const { alerts } = await gql(`{ alerts(last: 50, where: { statusIn: [open, acknowledged] }) { edges { node {
      id rule symptomGroup status openedAt reportBy cases dormRoom class { name } } } } }`);
    return alerts.edges.map(({ node: a }) => (reload) => {
      const disposition = h('input', { name: 'disposition', placeholder: '处置 / 原因 What was done, or why false', size: 28 });
      const cdc = a.reportBy ? h('input', { name: 'cdcContact', placeholder: '疾控联系人 CDC contact', size: 16 }) : null;
      const form = h('form', { class: 'alert', dataset: { id: a.id } },
        h('strong', {}, `${RULE[a.rule] || a.rule} · ${a.class?.name || a.dormRoom || ''}`),
        h('span', { class: 'muted' }, ` ${a.cases} 例 cases · ${dateTime(a.openedAt)} · ${ALERT_STATUS[a.status]}` +
          (a.reportBy ? ` · 须于 ${dateTime(a.reportBy)} 前上报 report by` : '')));
      const move = (status) => act(form, reload, () => {
        const input = { status };
        if (disposition.value.trim()) input.disposition = disposition.value.trim();
        if (cdc?.value.trim()) input.cdcContact = cdc.value.trim();
        return gql('mutation($id: ID!, $i: AlertChangeInput!) { updateAlert(id: $id, input: $i) { id } }', { id: a.id, i: input });
      });
      form.append(h('div', {}, a.status === 'open' ? h('button', { type: 'button', class: 'ack', onclick: move('acknowledged') }, '确认 Acknowledge') : null,
        ' ', disposition, ' ', cdc, ' ', h('button', { type: 'button', class: 'handled', onclick: move('handled') }, '处置完毕 Handled'),
        ' ', h('button', { type: 'button', class: 'secondary false', onclick: move('false_alarm') }, '误报 False alarm')));
      return form;
    });
  });
}

// A unit reports a check: a class (its pupils) or a staff group (its members in post, 教职工晨午检).
const CLASS = {
  key: 'classID', person: 'studentID', data: 'class', expected: 'expectedReport',
  zero: 'mutation($u: ID!, $d: String!, $s: ClassCheckSession!) { submitZeroReport(classID: $u, date: $d, session: $s) { id } }',
  submit: 'mutation($i: ClassCheckInput!) { submitClassCheck(input: $i) { id } }',
};
const STAFF = {
  key: 'staffGroupID', person: 'staffID', data: 'group', expected: 'expectedStaffReport',
  zero: 'mutation($u: ID!, $d: String!, $s: ClassCheckSession!) { submitStaffZeroReport(staffGroupID: $u, date: $d, session: $s) { id } }',
  submit: 'mutation($i: StaffCheckInput!) { submitStaffCheck(input: $i) { id } }',
};

// unitCard: a unit's sessions on a day (today, or a day before for a report forgotten), each with its state
// and what its reporter can do about it; who reads the unit's people and the sessions it holds that day.
function unitCard(unit, id, name, who) {
  const date = h('input', { type: 'date', name: 'date', value: me.today, max: me.today });
  const heading = () => h('h2', {}, `${name} `, date);
  const card = h('section', { class: 'panel', dataset: { [unit.data]: id } }, heading());
  const load = async () => {
    const day = date.value;
    const { people, sessions } = await who(day);
    const fields = sessions.map((s, i) => `s${i}: ${unit.expected}(${unit.key}: $u, date: $d, session: ${s}) { state overdue deadline
      check { version zeroReport submittedAt submittedBy onTime amendment absentIllness absentOther symptomatic
        entries { ${unit.person} kind absenceType symptoms temperature doctorSeen disposition note } } }`);
    const reports = sessions.length ? await gql(`query($u: ID!, $d: String!) { ${fields.join('\n')} }`, { u: id, d: day }) : {};
    if (date.value !== day) return; // another day was picked meanwhile: its own load shows it
    card.replaceChildren(heading(), ...sessions.map((s, i) => sessionRow(unit, id, day, s, reports[`s${i}`], people, load)));
  };
  const show = () => load().catch((err) => card.replaceChildren(heading(), h('p', { class: 'err' }, err.message)));
  date.addEventListener('change', () => date.value && show());
  show();
  return card;
}

// classCard: a class's pupils (by student number) and the sessions its board holds today.
const classCard = (classID, name) => unitCard(CLASS, classID, name, async (date) => {
  const { board, roster } = await gql(`query($c: ID!, $d: String!) {
    board(scope: { classID: $c }, date: $d) { sessions { session } }
    roster: node(id: $c) { ... on Class { students(first: 200, where: { status: attending }, orderBy: { field: STUDENT_NUMBER }) {
      edges { node { id name studentNumber } } } } } }`, { c: classID, d: date });
  return {
    people: roster.students.edges.map(({ node: p }) => ({ id: p.id, name: p.name, label: p.studentNumber })),
    sessions: board.sessions.map((s) => s.session),
  };
});

// staffCard: a staff group's members in post (its leader 包教职工 or the head of a department reports)
// and the institution's sessions.
const staffCard = (groupID, name) => unitCard(STAFF, groupID, name, async () => {
  const { checkRules, group } = await gql(`query($g: ID!) { checkRules { sessions }
    group: node(id: $g) { ... on StaffGroup { members { id name department status } } } }`, { g: groupID });
  return {
    people: group.members.filter((m) => m.status === 'in_post').sort((a, b) => a.name.localeCompare(b.name, 'zh'))
      .map((m) => ({ id: m.id, name: m.name, label: m.department || '' })),
    sessions: checkRules.sessions,
  };
});

// sessionRow: one session of a unit's check on date; report is its expected report (state, deadline,
// current check). Times of another day show with their date.
function sessionRow(unit, id, date, session, report, people, reload) {
  const state = report.state === 'pending' && report.overdue ? 'overdue' : report.state;
  const c = report.check;
  const at = date === me.today ? clock : dateTime;
  const summary = c ? `v${c.version} · ${at(c.submittedAt)} · ${c.submittedBy} · ` +
    (c.zeroReport ? '零报告 zero report' : `缺勤 absent ${c.absentIllness + c.absentOther} · 症状 symptomatic ${c.symptomatic}`) +
    (c.amendment ? ' · 更正 amended' : '') : `截止 deadline ${at(report.deadline)}`;
  const row = h('div', { class: 'session', dataset: { session } },
    h('strong', {}, SESSION[session] || session), h('span', { class: `state ${state}` }, STATE[state] || state),
    h('span', { class: 'muted' }, summary));
  const zero = async () => {
    try {
      await gql(unit.zero, { u: id, d: date, s: session });
      say(`${SESSION[session]}: 零报告已提交 Zero report submitted.`);
      await reload();
    } catch (err) { say(err.message, true); }
  };
  // One form per session: a second click goes back to the open one.
  const open = () => {
    const next = row.nextElementSibling;
    if (next?.matches('form.check')) next.querySelector('select')?.focus();
    else row.after(checkForm(unit, id, date, session, people, c, reload));
  };
  if (state === 'pending' || state === 'overdue') {
    row.append(h('button', { class: 'zero', onclick: zero }, '零报告 Zero report'),
      h('button', { class: 'secondary', onclick: open }, '上报异常 Report exceptions'));
  } else if (c) {
    row.append(h('button', { class: 'secondary', onclick: open }, '更正 Correct'));
  }
  return row;
}

// checkForm: one line per person (pupil or staff member); only those not simply present become entries. A
// correction starts from the current version's lines, so correcting one person never drops another. The
// server validates (and names the field at fault); the form has no rules of its own to drift from the server's.
function checkForm(unit, id, date, session, people, current, reload) {
  const lines = people.map((p) => {
    const status = h('select', { name: 'status', 'aria-label': p.name }, ...STATUS.map(([v, l]) => h('option', { value: v }, l)));
    const detail = h('td');
    const tr = h('tr', { dataset: { person: p.id } }, h('td', {}, p.label ? `${p.name} (${p.label})` : p.name), h('td', {}, status), detail);
    status.addEventListener('change', () => {
      const v = status.value, ill = v === 'sick_leave' || v === 'symptomatic';
      detail.replaceChildren(...(ill ? [
        h('div', { class: 'symptoms' }, ...SYMPTOMS.map(([s, l]) => h('label', {}, h('input', { type: 'checkbox', name: 'symptoms', value: s }), l))),
        h('label', {}, '体温 Temperature °C ', h('input', { name: 'temperature', inputmode: 'decimal', size: 5, placeholder: '34.0–43.0' })),
        v === 'sick_leave' ? h('label', {}, h('input', { type: 'checkbox', name: 'doctorSeen' }), ' 已就诊 Doctor seen') :
          h('label', {}, '处置 Disposition ', h('select', { name: 'disposition' }, ...DISPOSITION.map(([d, l]) => h('option', { value: d }, l)))),
      ] : []), ...(v ? [h('input', { name: 'note', placeholder: '备注 Note', size: 24 })] : []));
    });
    const was = current?.entries?.find((x) => x[unit.person] === p.id);
    if (was) {
      status.value = was.kind === 'symptomatic' ? 'symptomatic' : was.absenceType;
      status.dispatchEvent(new Event('change'));
      const q = (n) => tr.querySelector(`[name=${n}]`);
      for (const box of tr.querySelectorAll('[name=symptoms]')) box.checked = (was.symptoms || []).includes(box.value);
      if (q('temperature') && was.temperature !== null) q('temperature').value = String(was.temperature);
      if (q('doctorSeen')) q('doctorSeen').checked = was.doctorSeen;
      if (q('disposition') && was.disposition) q('disposition').value = was.disposition;
      if (q('note')) q('note').value = was.note || '';
    }
    return { p, tr, status };
  });
  const reason = current ? h('input', { name: 'amendReason', placeholder: '更正原因 Reason (required after the deadline)', size: 40 }) : null;
  const form = h('form', { class: 'check', dataset: { session } },
    h('fieldset', {}, h('legend', {}, `${SESSION[session]} · 异常上报 Exceptions`),
      h('table', {}, h('tbody', {}, ...lines.map((l) => l.tr))),
      reason, ' ', h('button', { type: 'submit' }, '提交 Submit'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, '取消 Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say('');
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    const chosen = lines.filter((l) => l.status.value !== '');
    try {
      const entries = chosen.map(({ p, tr, status }, i) => {
        const v = status.value, q = (n) => tr.querySelector(`[name=${n}]`);
        const entry = { [unit.person]: p.id, kind: v === 'symptomatic' ? 'symptomatic' : 'absent' };
        if (v !== 'symptomatic') entry.absenceType = v;
        const symptoms = [...tr.querySelectorAll('[name=symptoms]:checked')].map((x) => x.value);
        if (symptoms.length) entry.symptoms = symptoms;
        const temperature = q('temperature')?.value.trim();
        if (temperature) { // the range is the server's to judge; a word is not a temperature at all
          entry.temperature = Number(temperature);
          if (!Number.isFinite(entry.temperature)) {
            throw Object.assign(new Error('体温须为数字 the temperature must be a number'), { field: `entries[${i}].temperature` });
          }
        }
        if (q('doctorSeen')) entry.doctorSeen = q('doctorSeen').checked;
        if (q('disposition')) entry.disposition = q('disposition').value;
        if (q('note')?.value.trim()) entry.note = q('note').value.trim();
        return entry;
      });
      const absent = entries.filter((x) => x.kind === 'absent').length;
      const input = { [unit.key]: id, date, session, present: people.length - absent, entries };
      if (reason?.value) input.amendReason = reason.value;
      await gql(unit.submit, { i: input });
      say(`${SESSION[session]}: 已提交 Submitted.`);
      form.remove();
      await reload();
    } catch (err) {
      // A field such as entries[2].temperature points at the third chosen person's temperature.
      const m = /^entries\[(\d+)\]\.(\w+)/.exec(err.field || '');
      const line = m && chosen[Number(m[1])];
      const input = line && (line.tr.querySelector(`[name=${m[2]}]`) || line.status);
      if (input) { input.classList.add('invalid'); input.focus(); }
      if (err.field === 'amendReason' && reason) { reason.classList.add('invalid'); reason.focus(); }
      say(line ? `${line.p.name}: ${err.message}` : err.message, true);
    }
  });
  return form;
}

// boardPanel: the board of a grade, a school or the district for a day (today unless another is chosen),
// with the completeness of the seven days up to it. In a grade or school, a class that owes a report can be
// exempted from it on the spot (a trip, an exam…), with the reason; the board then counts it as exempted,
// not pending. A school's board shows its staff checks too, for those who read them all (withStaff). It
// reloads itself every minute (refresh), unless an exemption is being typed.
function boardPanel(title, scope, mayExempt, withStaff) {
  const panel = h('section', { class: 'panel board', dataset: { scope: Object.keys(scope)[0] } });
  const date = h('input', { type: 'date', name: 'date', value: me.today, max: me.today });
  const heading = () => h('h2', {}, `${title} · 看板 Board `, date);
  const load = (day = date.value) => gql(`query($s: BoardScopeInput!, $d: String!, $from: String!) { board(scope: $s, date: $d) { classes
      sessions { session expected submitted onTime late pending overdue exempted completeness zeroReports absentIllness symptomatic
        nonReporting { schoolName gradeName classID className teachers phones overdue } }
      alerts { open reportOverdue } followUps { open needsClearance } }
      trend(scope: $s, from: $from, to: $d) { date inSession completeness onTimeRate absences { sickLeave } symptomatic }
      ${scope.districtID ? `schools: trendBySchool(scope: $s, from: $d, to: $d) { tenant { id name }
        days { inSession expected submitted late pending overdue exempted completeness } }` : ''} }`,
  { s: scope, d: day, from: addDays(day, -6) })
    .then(async (data) => ({
      ...data, chased: scope.districtID ? [] : await chaseLogs(day, data.board),
      staff: withStaff ? (await gql(`query($t: ID!, $d: String!) { staffBoard(tenantID: $t, date: $d) { sessions { session expected
        submitted late pending overdue completeness absentIllness absentOther symptomatic nonReporting { name leaders overdue } } } }`,
      { t: scope.tenantID, d: day })).staffBoard : null,
    }))
    .then(({ board, trend, schools, chased, staff }) => {
      if (date.value !== day) return; // another day was picked meanwhile: its own load shows it
      const rows = board.sessions.map((s) => h('tr', { dataset: { session: s.session } },
        // Before the deadline nobody is overdue yet: 0 % at 08:00 for the noon check is not a failure.
        ...[SESSION[s.session], s.expected, s.submitted, s.onTime, s.late, s.pending, s.overdue, s.exempted,
          pct(s.completeness) + (s.pending > 0 && s.overdue === 0 ? ' · 截止前 before the deadline' : ''),
          s.zeroReports, s.absentIllness, s.symptomatic].map((v) => h('td', {}, String(v)))));
      const missing = board.sessions.filter((s) => s.nonReporting.length).map((s) => h('div', { class: 'missing', dataset: { session: s.session } },
        `${SESSION[s.session]} 未报 Not reported:`, h('ul', {}, ...s.nonReporting.map((n) => {
          // Each teacher with a phone on file can be called from the list (tel: opens the dialer on a phone).
          const teachers = n.teachers.flatMap((name, i) => [i ? '、' : ' (', name,
            ...(n.phones[i] ? [' ', h('a', { class: 'tel', href: `tel:${n.phones[i]}` }, `☎ ${n.phones[i]}`)] : [])]);
          const li = h('li', { dataset: { class: n.classID } }, [scope.districtID ? n.schoolName : '', n.gradeName, n.className].filter(Boolean).join(' '),
            teachers, teachers.length ? ')' : null, n.overdue ? ' ⚠ 逾期 overdue' : null,
            chaseLine(chased.filter((l) => l.classID === n.classID && l.session === s.session)));
          if (mayExempt) {
            li.append(' ', h('button', { type: 'button', class: 'secondary exempt',
              onclick: () => li.querySelector('form.exempt') || li.append(exemptForm(n.classID, s.session, day, () => load())) }, '免报 Exempt'));
          }
          return li;
        }))));
      panel.replaceChildren(heading(),
        grid('sessions', ['场次 Session', '应报 Expected', '已报 Submitted', '按时 On time', '迟报 Late', '待报 Pending', '逾期 Overdue',
          '免报 Exempted', '完成率 Completeness', '零报告 Zero', '因病缺勤 Ill', '症状 Symptomatic'], rows),
        ...missing, trendTable(trend), ...(schools ? [schoolTable(schools)] : []), ...(staff ? staffTable(staff) : []),
        h('p', { class: 'muted' }, `班级 Classes ${board.classes} · 预警 Open alerts ${board.alerts.open}` +
          ` (逾期上报 report overdue ${board.alerts.reportOverdue}) · 随访 Open follow-ups ${board.followUps.open}` +
          ` (待复课审核 needs clearance ${board.followUps.needsClearance})`));
    })
    .catch((err) => panel.replaceChildren(heading(), h('p', { class: 'err' }, err.message)));
  date.addEventListener('change', () => date.value && load());
  load();
  panel.refresh = () => panel.querySelector('form.exempt') || load();
  return panel;
}

// chaseLogs: the chase steps (催报) sent on the board's day to the classes it lists as not reported (the first
// 200: a page within the query's complexity limit); a caller who may not read them gets none, and the board
// shows without them.
async function chaseLogs(date, board) {
  const ids = [...new Set(board.sessions.flatMap((s) => s.nonReporting.map((n) => n.classID)))];
  if (!ids.length) return [];
  try {
    const { chaseLogs } = await gql(`query($d: String!, $ids: [ID!]) { chaseLogs(first: 200, where: { date: $d, classIDIn: $ids }) {
      edges { node { classID session firedAt recipients deliveries { status } } } } }`, { d: date, ids });
    return chaseLogs.edges.map(({ node }) => node);
  } catch (err) {
    if (err.code !== 'FORBIDDEN') say(err.message, true); // the board still shows; the failure is not hidden
    return [];
  }
}

// chaseLine: who was chased for a class's session and when, with a warning for a message that did not arrive.
const chaseLine = (logs) => (logs.length ? h('div', { class: 'chased muted' }, '催报 Chased: ' + logs.map((l) => `${clock(l.firedAt)} → ${l.recipients.join('、')}` +
  (l.deliveries.some((d) => d.status === 'failed') ? ' ⚠ 未送达 not delivered' : '')).join(' · ')) : null);

// grid: a table with a header row, scrolling sideways on a narrow screen.
const grid = (cls, head, rows) => h('div', { class: `wide ${cls}` },
  h('table', {}, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', {}, x)))), h('tbody', {}, ...rows)));

// trendTable: the seven days up to the board's, a column each; a day without school shows a dash.
function trendTable(days) {
  const row = (label, value) => h('tr', {}, h('th', {}, label), ...days.map((d) => h('td', {}, d.inSession ? String(value(d)) : '—')));
  return h('div', { class: 'wide trend' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, '近7天 Last 7 days'), ...days.map((d) => h('th', {}, d.date.slice(5))))),
    h('tbody', {}, row('完成率 Completeness', (d) => pct(d.completeness)), row('按时率 On time', (d) => pct(d.onTimeRate)),
      row('病假 Sick leave', (d) => d.absences.sickLeave), row('症状 Symptomatic', (d) => d.symptomatic))));
}

// staffTable: the staff groups' checks (教职工晨午检) per session, and the groups not reported with who
// answers for them.
function staffTable(staff) {
  const rows = staff.sessions.map((s) => h('tr', { dataset: { session: s.session } },
    ...[SESSION[s.session] || s.session, s.expected, s.submitted, s.late, s.pending, s.overdue,
      pct(s.completeness), s.absentIllness + s.absentOther, s.symptomatic].map((v) => h('td', {}, String(v)))));
  const missing = staff.sessions.filter((s) => s.nonReporting.length).map((s) => h('div', { class: 'missing staff', dataset: { session: s.session } },
    `${SESSION[s.session]} 教职工未报 Staff groups not reported:`, h('ul', {}, ...s.nonReporting.map((g) =>
      h('li', {}, g.name + (g.leaders.length ? ` (${g.leaders.join('、')})` : '') + (g.overdue ? ' ⚠ 逾期 overdue' : ''))))));
  return [grid('staff', ['教职工 Staff', '应报 Expected', '已报 Submitted', '迟报 Late', '待报 Pending', '逾期 Overdue', '完成率 Completeness',
    '缺勤 Absent', '症状 Symptomatic'], rows), ...missing];
}

// schoolTable: a district's schools on the board's day, the least complete first (schools with nothing due
// last), so the ones to call are at the top. A school's name opens its own board below (the drill-down to
// its grades and classes), once.
function schoolTable(schools) {
  const rank = (x) => (x.days[0].completeness ?? 2);
  const open = (tenant) => {
    const shown = $('boards').querySelector(`.board[data-tenant="${tenant.id}"]`);
    if (shown) { shown.scrollIntoView(); return; }
    const board = boardPanel(tenant.name, { tenantID: tenant.id }, false, false);
    board.dataset.tenant = tenant.id;
    $('boards').append(board);
  };
  const rows = [...schools].sort((a, b) => rank(a) - rank(b)).map(({ tenant, days: [d] }) => h('tr', { dataset: { tenant: tenant.id } },
    h('td', {}, h('button', { type: 'button', class: 'secondary drill', onclick: () => open(tenant) }, tenant.name)),
    ...[d.inSession ? d.expected : '非上报日 no school', d.submitted, d.late, d.pending, d.overdue, d.exempted,
      pct(d.completeness)].map((v) => h('td', {}, String(v)))));
  return grid('schools', ['学校 School', '应报 Expected', '已报 Submitted', '迟报 Late', '待报 Pending', '逾期 Overdue', '免报 Exempted',
    '完成率 Completeness'], rows);
}

// reportsPanel: the compiled daily reports (日报) of the school or the district, the newest first: what each
// says, whether the school has attested it, and the version as CSV or XLSX; above them, the live sheets of
// any date (or range, for a district) to download.
function reportsPanel(kind, mayAttest) {
  const input = (name, value) => h('input', { type: 'date', name, value, max: me.today });
  const bar = kind === 'district' ?
    downloads([input('from', addDays(me.today, -6)), input('to', me.today)], [['区县汇总 District summary', (f, t) => ['district-summary', `from=${f}&to=${t}`]]]) :
    downloads([input('date', me.today)], [['学校日报 School daily', (d) => ['school-daily', `date=${d}`]],
      ['缺勤与症状名单 Absent and symptomatic', (d) => ['persons', `date=${d}`]]]);
  return panel('日报 Daily reports', 'reports', async () => {
    const { dailyReports } = await gql(`query($k: DailyReportKind!) { dailyReports(last: 7, where: { kind: $k, current: true },
      orderBy: { field: DATE }) { edges { node { id date version amended compiledAt zeroReport attestedAt attestedBy attestedOnTime
        figures { sessions { session expected submitted completeness } openAlerts observation { opened stillIn referred }
          schools { institutions inSession compiled attested unattested { name } nonReporting { name } } }
        versions { id version } } } } }`, { k: kind });
    return dailyReports.edges.map(({ node }) => node).reverse().map((r) => (reload) => reportRow(r, mayAttest, reload));
  }, bar);
}

// downloads: for each file (a label, and the export's name and query for the inputs' values) a CSV and an
// XLSX link, kept up to date as the inputs change.
function downloads(inputs, files) {
  const FORMATS = ['csv', 'xlsx'];
  const groups = files.map(([label, path]) => {
    const links = FORMATS.map((f) => h('a', { class: `export ${f}`, download: '' }, f.toUpperCase()));
    const update = () => {
      const [file, query] = path(...inputs.map((i) => i.value));
      links.forEach((a, k) => { a.dataset.file = file; a.setAttribute('href', `/exports/${file}.${FORMATS[k]}?${query}`); });
    };
    inputs.forEach((i) => i.addEventListener('change', update));
    update();
    return [' · ', label, ' ', links[0], ' ', links[1]];
  });
  return h('p', { class: 'exports' }, '导出 Export ', ...inputs, ...groups);
}

// reportRow: one compiled report. A school report not yet attested offers the attestation to those who may
// give it; whether it is a zero report is the attester's to say (never preselected), and the server checks
// the answer against the report.
function reportRow(r, mayAttest, reload) {
  const f = r.figures;
  const file = (id) => ['csv', 'xlsx'].map((x) => [' ', h('a', { class: `export ${x}`, href: `/exports/daily-report/${id}.${x}`, download: '' },
    x.toUpperCase())]);
  const row = h('div', { class: 'report', dataset: { id: r.id, date: r.date } },
    h('strong', {}, `${r.date} · v${r.version}${r.amended ? ' · 更正 amended' : ''}`),
    h('span', { class: 'muted' }, ` 编制 compiled ${dateTime(r.compiledAt)} · ${r.zeroReport ? '零报告 zero report' : '有异常或缺报 cases or missing reports'}`),
    h('div', { class: 'figures' }, f.sessions.map((s) => `${SESSION[s.session] || s.session} ${s.submitted}/${s.expected} ${pct(s.completeness)}`).join(' · ') +
      ` · 预警 open alerts ${f.openAlerts}` + (f.observation?.opened ? ` · 留观 observation ${f.observation.opened}` +
        ` (在室 still in ${f.observation.stillIn}, 转诊 referred ${f.observation.referred})` : '')),
    f.schools ? h('div', { class: 'schools-summary' }, `学校 Institutions ${f.schools.institutions} · 已编制 compiled ${f.schools.compiled}` +
      ` · 已确认 attested ${f.schools.attested}` +
      (f.schools.unattested.length ? ` · 未确认 not attested: ${f.schools.unattested.map((u) => u.name).join('、')}` : '') +
      (f.schools.nonReporting.length ? ` · 未上报 no reports: ${f.schools.nonReporting.map((u) => u.name).join('、')}` : '')) : null,
    h('div', { class: 'attested' }, r.attestedAt ? `已确认 Attested by ${r.attestedBy}, ${dateTime(r.attestedAt)}${r.attestedOnTime ? '' : ' · 迟 late'}` :
      (f.schools ? '' : '待确认 Not attested')),
    h('div', { class: 'files' }, '下载 Download', file(r.id), r.versions.filter((v) => v.id !== r.id).map((v) => [' · ', `v${v.version}`, file(v.id)])));
  if (mayAttest && !r.attestedAt && !f.schools) row.append(attestForm(r, reload));
  return row;
}

function attestForm(r, reload) {
  const choice = (value, label) => h('label', { style: 'display:inline' }, h('input', { type: 'radio', name: 'zeroReport', value }), label);
  const note = h('input', { name: 'note', placeholder: '备注 Note', size: 20 });
  const form = h('form', { class: 'attest' }, choice('true', ' 零报告 Zero report '), choice('false', ' 有异常 With cases '), note, ' ',
    h('button', { type: 'submit' }, '确认上报 Attest'));
  form.addEventListener('submit', act(form, reload, () => {
    const picked = form.querySelector('[name=zeroReport]:checked');
    if (!picked) throw Object.assign(new Error('请选择是否零报告 Say whether it is a zero report'), { field: 'zeroReport' });
    return gql('mutation($id: ID!, $z: Boolean!, $n: String) { attestDailyReport(id: $id, zeroReport: $z, note: $n) { id } }',
      { id: r.id, z: picked.value === 'true', n: note.value.trim() || null });
  }));
  return form;
}

const DAY_KIND = { holiday: '放假 Holiday', school_day: '调休上课 Make-up school day' };
const WEEKDAY = ['日 Sun', '一 Mon', '二 Tue', '三 Wed', '四 Thu', '五 Fri', '六 Sat'];

// calendarPanel: the school calendar (校历) for those who keep it: the terms, and the days that differ from
// the week's rule (a holiday on a weekday, a make-up school day at a weekend) from a month ago on. The
// expected reports, boards and the chase follow it: nobody is chased on a holiday.
function calendarPanel() {
  const term = { name: h('input', { name: 'name', placeholder: '学期 Term', size: 16 }),
    startDate: h('input', { type: 'date', name: 'startDate' }), endDate: h('input', { type: 'date', name: 'endDate' }) };
  const day = { date: h('input', { type: 'date', name: 'date' }),
    kind: h('select', { name: 'kind' }, ...Object.entries(DAY_KIND).map(([v, l]) => h('option', { value: v }, l))),
    note: h('input', { name: 'note', placeholder: '说明 Note (运动会, 国庆…)', size: 20 }) };
  // The values typed; a required one left empty is said on its field before anything is sent.
  const values = (fields, required) => {
    const missing = required.find((k) => !fields[k].value.trim());
    if (missing) throw Object.assign(new Error('请填写 Fill this in'), { field: missing });
    return Object.fromEntries(Object.entries(fields).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
  };
  const head = h('div', {});
  const section = panel('校历 School calendar', 'calendar', async () => {
    const { terms, calendarDays } = await gql(`query($from: String!) { terms(first: 20) { edges { node { id name startDate endDate } } }
      calendarDays(first: 100, where: { dateGTE: $from }) { edges { node { id date kind note } } } }`, { from: addDays(me.today, -31) });
    const termRows = terms.edges.map(({ node: t }) => () => h('div', { class: 'term', dataset: { id: t.id } }, `学期 Term ${t.name}: ${t.startDate} – ${t.endDate}`));
    const days = calendarDays.edges.map(({ node }) => node).sort((a, b) => a.date.localeCompare(b.date));
    return [...termRows, ...days.map((d) => (reload) => {
      const other = d.kind === 'holiday' ? 'school_day' : 'holiday';
      const row = h('div', { class: 'day', dataset: { date: d.date } },
        h('strong', {}, `${d.date} ${WEEKDAY[new Date(`${d.date}T00:00:00Z`).getUTCDay()]}`), ` ${DAY_KIND[d.kind]}`, d.note ? ` · ${d.note}` : '', ' ');
      row.append(h('button', { type: 'button', class: 'secondary flip', onclick: act(row, reload, () =>
        gql('mutation($id: ID!, $i: UpdateCalendarDayInput!) { updateCalendarDay(id: $id, input: $i) { id } }', { id: d.id, i: { kind: other } })) },
      `改为${DAY_KIND[other]}`));
      return row;
    })];
  }, head);
  const termForm = h('form', { class: 'add-term' }, term.name, ' ', term.startDate, ' – ', term.endDate, ' ', h('button', { type: 'submit' }, '添加学期 Add term'));
  const dayForm = h('form', { class: 'add-day' }, day.date, ' ', day.kind, ' ', day.note, ' ', h('button', { type: 'submit' }, '添加 Add day'));
  termForm.addEventListener('submit', act(termForm, section.refresh, async () => {
    await gql('mutation($i: CreateTermInput!) { createTerm(input: $i) { id } }', { i: values(term, ['name', 'startDate', 'endDate']) });
    termForm.reset();
  }));
  dayForm.addEventListener('submit', act(dayForm, section.refresh, async () => {
    await gql('mutation($i: CreateCalendarDayInput!) { createCalendarDay(input: $i) { id } }', { i: values(day, ['date']) });
    dayForm.reset();
  }));
  head.append(termForm, dayForm);
  return section;
}

// settingsPanel: the rules the school works by (its own settings over its district's over the defaults), for
// those who set them: the deadline of each session, the fever threshold and the daily report's cut-off. Only
// what is changed is saved as the school's own; the rest keeps following the district.
function settingsPanel() {
  const DEADLINE = { morning: 'morningDeadline', noon: 'noonDeadline', evening: 'eveningDeadline', full_day: 'fullDayDeadline' };
  return panel('检查规则 Check rules', 'settings', async () => {
    const { checkRules: r, checkSettings } = await gql(`query($t: ID!) { checkRules { sessions deadlines { session deadline }
      feverThreshold reportCutoff } checkSettings(where: { tenantID: $t }) { edges { node { id } } } }`, { t: me.tenant.id });
    const own = checkSettings.edges[0]?.node.id;
    const fields = [
      ...r.deadlines.map((d) => [DEADLINE[d.session], `${SESSION[d.session]} 截止 deadline`, 'time', d.deadline]),
      ['feverThreshold', '发热 Fever at °C', 'number', String(r.feverThreshold)],
      ['reportCutoff', '日报编制 Daily report at', 'time', r.reportCutoff],
    ];
    const inputs = fields.map(([name, label, type, value]) => [name, value, h('input', { name, type, value, step: type === 'number' ? '0.1' : null, size: 6 }), label]);
    return [(reload) => {
      const form = h('form', { class: 'rules' }, ...inputs.map(([, , input, label]) => h('label', { style: 'display:inline-block; margin-right:1rem' }, `${label} `, input)),
        ' ', h('button', { type: 'submit' }, '保存 Save'));
      form.addEventListener('submit', act(form, reload, () => {
        const input = Object.fromEntries(inputs.filter(([, was, el]) => el.value !== was)
          .map(([name, , el]) => [name, el.type === 'number' ? Number(el.value) : el.value]));
        if (!Object.keys(input).length) throw new Error('没有改动 Nothing changed');
        return own ? gql('mutation($id: ID!, $i: UpdateCheckSettingInput!) { updateCheckSetting(id: $id, input: $i) { id } }', { id: own, i: input }) :
          gql('mutation($i: CreateCheckSettingInput!) { createCheckSetting(input: $i) { id } }', { i: input });
      }));
      return form;
    }];
  });
}

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

const DUTY_ROLES = ['class_teacher', 'subject_teacher', 'grade_leader', 'health_teacher', 'epidemic_reporter', 'leading_group',
  'duty_leader', 'logistics'];
const NODE = { school: '全校 Whole school', grade: '年级 Grade', class: '班级 Class', staff_group: '教职工组 Staff group' };

// peoplePanel: the school's staff accounts and who answers for what (包年级 / 包班 / 包教职工), for the
// leadership. The principal opens an account (its initial password is shown once, to hand over; it must be
// changed at the first sign-in) and stops one when the person leaves; a role is given at the school, a
// grade, a class or a staff group, and ended when it no longer holds. Nobody gives a role above their own:
// the server refuses it.
function peoplePanel(mayOpen) {
  const account = { login: h('input', { name: 'login', placeholder: '账号 Login', size: 12 }),
    displayName: h('input', { name: 'displayName', placeholder: '姓名 Name', size: 10 }),
    phone: h('input', { name: 'phone', placeholder: '手机 Phone', size: 12 }),
    role: h('select', { name: 'role' }, ...DUTY_ROLES.map((r) => h('option', { value: r }, ROLE[r]))) };
  const opened = h('p', { class: 'opened' });
  const head = h('div', {}, opened);
  const section = panel('人员与分工 Staff and duties', 'people', async () => {
    const [users, duties, grades, classes, groups] = await Promise.all([
      everyRow('users', 'orderBy: { field: LOGIN }', 'id login displayName role phone active'),
      everyRow('assignments', `where: { or: [{ validToIsNil: true }, { validToGT: "${new Date().toISOString()}" }] }`,
        'id userID role nodeType nodeID deputy validTo delegatedFromID'),
      everyRow('grades', 'orderBy: { field: SORT_ORDER }', 'id name'),
      everyRow('classes', 'orderBy: { field: NAME }', 'id name'),
      everyRow('staffGroups', 'orderBy: { field: NAME }', 'id name'),
    ]);
    const nodes = [['school', me.tenant.id, me.tenant.name], ...grades.map((g) => ['grade', g.id, g.name]),
      ...classes.map((c) => ['class', c.id, c.name]), ...groups.map((g) => ['staff_group', g.id, g.name])];
    const nodeName = (type, id) => nodes.find(([t, i]) => t === type && String(i) === String(id))?.[2] || `${type} ${id}`;
    const assignForm = () => {
      const user = h('select', { name: 'userID' }, ...users.filter((u) => u.active).map((u) => h('option', { value: u.id }, `${u.displayName} (${u.login})`)));
      const role = h('select', { name: 'role' }, ...DUTY_ROLES.map((r) => h('option', { value: r }, ROLE[r])));
      const node = h('select', { name: 'nodeID' }, ...nodes.map(([t, id, name]) => h('option', { value: `${t}:${id}` }, `${NODE[t]} · ${name}`)));
      const deputy = h('input', { type: 'checkbox', name: 'deputy' });
      const form = h('form', { class: 'assign' }, '分工 Give ', user, ' ', role, ' @ ', node, ' ',
        h('label', { style: 'display:inline' }, deputy, ' 副班主任 deputy'), ' ', h('button', { type: 'submit' }, '确定 Assign'));
      form.addEventListener('submit', act(form, section.refresh, () => {
        const [nodeType, nodeID] = node.value.split(':');
        return gql('mutation($i: AssignRoleInput!) { assignRole(input: $i) { id } }',
          { i: { userID: user.value, role: role.value, nodeType, nodeID, deputy: deputy.checked } });
      }));
      return form;
    };
    return [assignForm, ...users.map((u) => (reload) => {
      const mine = duties.filter((a) => a.userID === u.id);
      const row = h('div', { class: 'person', dataset: { user: u.id } });
      row.append(...[h('strong', {}, `${u.displayName} (${u.login})`), ` ${ROLE[u.role] || u.role}`, u.phone ? ` · ${u.phone}` : '',
        u.active ? '' : ' · 已停用 stopped',
        mayOpen && u.login !== me.user?.login ? [' ', h('button', { type: 'button', class: 'secondary active', onclick: act(row, reload, () =>
          gql('mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { id } }', { id: u.id, a: !u.active })) },
        u.active ? '停用 Stop' : '启用 Restart')] : null,
        h('ul', {}, ...mine.map((a) => h('li', { dataset: { assignment: a.id } },
          `${ROLE[a.role] || a.role}${a.deputy ? ' (副 deputy)' : ''} @ ${nodeName(a.nodeType, a.nodeID)}` +
          (a.delegatedFromID ? ' · 代班 substitute' : '') + (a.validTo ? ` · 至 until ${dateTime(a.validTo)}` : ''), ' ',
          h('button', { type: 'button', class: 'secondary end', onclick: act(row, reload, () =>
            gql('mutation($id: ID!) { revokeAssignment(id: $id) { id } }', { id: a.id })) }, '结束 End'))))].flat().filter((c) => c !== null));
      return row;
    })];
  }, head);
  if (mayOpen) {
    const form = h('form', { class: 'open-account' }, '新账号 New account ', account.login, ' ', account.displayName, ' ', account.phone, ' ',
      account.role, ' ', h('button', { type: 'submit' }, '开通 Open'));
    form.addEventListener('submit', act(form, section.refresh, async () => {
      const a = { login: account.login.value.trim(), displayName: account.displayName.value.trim() };
      if (account.phone.value.trim()) a.phone = account.phone.value.trim();
      const { createUser } = await gql('mutation($i: CreateUserInput!) { createUser(input: $i) { user { login } initialPassword } }',
        { i: { account: a, role: account.role.value } });
      opened.textContent = `${createUser.user.login} 的初始密码 initial password: ${createUser.initialPassword} (只显示一次 shown once; 首次登录须修改 to be changed at the first sign-in)`;
      form.reset();
    }));
    head.prepend(form);
  }
  return section;
}

// classesPanel: the school's grades and classes (年级与班级) for the leadership: a grade added, a class added
// to a grade, a class closed from today (its history is kept) or reopened.
function classesPanel() {
  const grade = { name: h('input', { name: 'name', placeholder: '年级 Grade, e.g. 三年级', size: 14 }) };
  const cls = { gradeID: h('select', { name: 'gradeID' }), name: h('input', { name: 'name', placeholder: '班级 Class, e.g. 三年级(1)班', size: 16 }) };
  const gradeForm = h('form', { class: 'add-grade' }, grade.name, ' ', h('button', { type: 'submit' }, '添加年级 Add grade'));
  const classForm = h('form', { class: 'add-class' }, cls.gradeID, ' ', cls.name, ' ', h('button', { type: 'submit' }, '添加班级 Add class'));
  const required = (input) => {
    if (!input.value.trim()) throw Object.assign(new Error('请填写 Fill this in'), { field: input.name });
    return input.value.trim();
  };
  const section = panel('年级与班级 Grades and classes', 'classes-admin', async () => {
    const [grades, classes] = await Promise.all([everyRow('grades', 'orderBy: { field: SORT_ORDER }', 'id name sortOrder'),
      everyRow('classes', 'orderBy: { field: NAME }', 'id name gradeID closedOn')]);
    const chosen = cls.gradeID.value;
    cls.gradeID.replaceChildren(...grades.map((g) => h('option', { value: g.id, selected: g.id === chosen }, g.name)));
    // A class closes from the start of today on the school's clock (it is expected to report until then).
    const button = (id, kind, label, change) => h('button', { type: 'button', class: `secondary ${kind}`, onclick: act(section, section.refresh, () =>
      gql('mutation($id: ID!, $i: UpdateClassInput!) { updateClass(id: $id, input: $i) { id } }', { id, i: change })) }, label);
    const row = (g) => () => h('div', { class: 'grade', dataset: { grade: g?.id || '' } }, h('strong', {}, g ? g.name : '无年级 No grade'), ' ',
      ...classes.filter((c) => c.gradeID === (g?.id ?? null)).map((c) => h('span', { class: 'class', dataset: { class: c.id } }, c.name, ' ',
        c.closedOn ? [`(已撤销 closed ${dateTime(c.closedOn).slice(0, 10)}) `, button(c.id, 'reopen', '恢复 Reopen', { clearClosedOn: true })] :
          button(c.id, 'close', '撤销 Close', { closedOn: schoolTime(`${me.today}T00:00`) }), ' · ')));
    return [...grades.map(row), ...(classes.some((c) => !c.gradeID) ? [row(null)] : [])];
  }, h('div', {}, gradeForm, classForm));
  gradeForm.addEventListener('submit', act(gradeForm, section.refresh, async () => {
    await gql('mutation($i: CreateGradeInput!) { createGrade(input: $i) { id } }', { i: { name: required(grade.name) } });
    gradeForm.reset();
  }));
  classForm.addEventListener('submit', act(classForm, section.refresh, async () => {
    await gql('mutation($i: CreateClassInput!) { createClass(input: $i) { id } }', { i: { name: required(cls.name), gradeID: cls.gradeID.value || null } });
    cls.name.value = '';
  }));
  return section;
}

const ROSTER_FIELDS = 'id state total processed created updated unchanged guardiansCreated errorRows errors { line field reason }';

// rosterPanel: the pupils' roster imported from the school's CSV or XLSX (学籍表). Every row is checked
// first: one bad row and nothing is written, each bad row listed with its line. A large file is imported in
// the background, its progress shown until it is done.
function rosterPanel() {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx' });
  const result = h('div', { class: 'result' });
  const form = h('form', { class: 'roster' }, file, ' ', h('button', { type: 'submit' }, '导入 Import'), result);
  const show = (r) => result.replaceChildren(
    h('p', { class: r.state === 'failed' ? 'err' : '' }, {
      queued: '排队中 Queued', running: `导入中 Importing: ${r.processed} / ${r.total}`,
      done: `已导入 Imported ${r.total}: 新增 created ${r.created} · 更新 updated ${r.updated} · 未变 unchanged ${r.unchanged}` +
        ` · 新监护人 guardians added ${r.guardiansCreated}`,
      failed: `${r.errorRows || r.errors.length} 行有误，未写入任何数据 rows in error: nothing was written`,
    }[r.state] || r.state),
    h('ul', {}, ...r.errors.map((e) => h('li', { dataset: { line: e.line } }, `第 ${e.line} 行 line ${e.line} · ${e.field}: ${e.reason}`))));
  form.addEventListener('submit', act(form, async () => {}, async () => {
    if (!file.files.length) throw Object.assign(new Error('请选择文件 Choose a file'), { field: 'file' });
    result.replaceChildren();
    const body = new FormData(); // the GraphQL multipart request: the operation, where the file goes, the file
    body.append('operations', JSON.stringify({ query: `mutation($f: Upload!) { importRoster(file: $f) { ${ROSTER_FIELDS} } }`, variables: { f: null } }));
    body.append('map', JSON.stringify({ 0: ['variables.f'] }));
    body.append('0', file.files[0]);
    // A cookie session's upload names itself (X-CSRF-Token): a page of another site cannot set the header.
    let { importRoster: r } = await post({ headers: { 'X-CSRF-Token': 'console' }, body });
    show(r);
    while (r.id && (r.state === 'queued' || r.state === 'running')) {
      await new Promise((done) => setTimeout(done, 2000));
      ({ rosterImport: r } = await gql(`query($id: String!) { rosterImport(id: $id) { ${ROSTER_FIELDS} } }`, { id: r.id }));
      show(r);
    }
    if (r.state === 'failed') throw new Error('名单有误，未导入 The roster has errors: nothing was imported');
    form.reset();
  }));
  return h('section', { class: 'panel roster' }, h('h2', {}, '学生名单 Roster'),
    h('p', { class: 'muted' }, '列 Columns: 姓名 name, 学籍号 student_number, 性别 gender, 出生日期 birth_date, 班级 class, 住校 boarder, ' +
      '宿舍 dorm_room, 监护人 guardian_name, 关系 relation, 监护人电话 guardian_phone'), form);
}

const REASON = [['field_trip', '外出活动 Field trip'], ['exam', '考试 Exam'], ['closure', '停课 Closure'], ['holiday', '放假 Holiday'],
  ['not_formed', '未成班 Not formed'], ['other', '其他 Other']];

// exemptForm: exempt one class from one session's report on the board's day, with the reason (and who: the
// server records it).
function exemptForm(classID, session, date, reload) {
  const reason = h('select', { name: 'reason' }, ...REASON.map(([v, l]) => h('option', { value: v }, l)));
  const note = h('input', { name: 'note', placeholder: '说明 Note', size: 20 });
  const form = h('form', { class: 'exempt' }, reason, ' ', note, ' ', h('button', { type: 'submit' }, '确定免报 Exempt'));
  form.addEventListener('submit', act(form, reload, () => {
    const input = { classID, date, session, reason: reason.value };
    if (note.value.trim()) input.note = note.value.trim();
    return gql('mutation($i: ExemptClassInput!) { exemptClass(input: $i) { id } }', { i: input });
  }));
  return form;
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await gql('mutation($i: LoginInput!) { login(input: $i) { user { id } } }', { i: { login: $('u').value, password: $('p').value } });
    $('login').reset(); // no password left in the page
    say(''); await start();
  } catch (err) { say(err.message, true); }
});
$('change').addEventListener('click', () => { $('password').hidden = false; $('pw-current').focus(); });
$('password').addEventListener('submit', act($('password'), async () => { $('password').reset(); await start(); say('密码已修改 Password changed.'); }, () => {
  if ($('pw-new').value !== $('pw-again').value) {
    throw Object.assign(new Error('两次输入的新密码不一致 the new passwords differ'), { field: 'again' });
  }
  return gql('mutation($i: ChangePasswordInput!) { changePassword(input: $i) }',
    { i: { currentPassword: $('pw-current').value, newPassword: $('pw-new').value } });
}));
$('logout').addEventListener('click', async () => {
  try { await gql('mutation { logout }'); } catch {}
  clearInterval(refresher);
  for (const id of SECTIONS) $(id).replaceChildren(); // nothing of the last user stays behind
  $('password').reset(); $('password').hidden = true;
  say(''); await start();
});
start();
