// What the school's health work follows up: the inbox, failed deliveries, illness-absence follow-ups, the
// observation room and alerts.
'use strict';

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

// preferencesPanel: how the signed-in user is told besides the inbox (e-mail, SMS), where, in which language,
// and the quiet hours in which e-mail and SMS wait (DOMAIN §6.5: reminders nobody switches off for volume).
// The server checks it all and names the field at fault.
function preferencesPanel() {
  return panel('通知设置 How I am told', 'preferences', async () => {
    const { notificationPreferences: p } = await gql('{ notificationPreferences { channels locale email mobile quietStart quietEnd saved } }');
    return [(reload) => {
      const channel = (c, label) => h('label', { style: 'display:inline; margin-right:.5rem' },
        h('input', { type: 'checkbox', name: 'channels', value: c, checked: p.channels.includes(c) }), label);
      const input = (name, attrs) => h('input', { name, value: p[name] || '', ...attrs });
      const locale = h('select', { name: 'locale' }, ...[['zh-CN', '中文'], ['en', 'English']].map(([v, l]) =>
        h('option', { value: v, selected: v === p.locale }, l)));
      const form = h('form', { class: 'prefs' }, channel('EMAIL', '邮件 E-mail'), channel('SMS', '短信 SMS'), ' ',
        input('email', { type: 'email', placeholder: '邮箱 E-mail', size: 18 }), ' ',
        input('mobile', { placeholder: '手机（默认账号手机）Mobile (the account\'s by default)', size: 22 }), ' ',
        h('label', { style: 'display:inline' }, '免打扰 Quiet ', input('quietStart', { type: 'time' }), '–', input('quietEnd', { type: 'time' })),
        ' ', locale, ' ', h('button', { type: 'submit' }, '保存 Save'));
      form.addEventListener('submit', act(form, reload, () => {
        const q = (n) => form.querySelector(`[name=${n}]`).value.trim();
        return gql('mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { saved } }', { i: {
          channels: [...form.querySelectorAll('[name=channels]:checked')].map((c) => c.value), locale: locale.value,
          email: q('email'), mobile: q('mobile'), quietStart: q('quietStart'), quietEnd: q('quietEnd'),
        } });
      }));
      return form;
    }];
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
// clearanceNeeds says what a return (复课 to class, 复工 to work) still needs, or nothing.
const clearanceNeeds = (back, c) => ({ required: `需${back}审核 needs clearance`, cleared: `已准予${back} cleared` })[c] || '';

// The follow-ups of a pupil's illness absence and of a staff member's are kept alike (DOMAIN §3.2: the person
// is a pupil or staff): what differs is the connection, the mutations, the person's name and her return.
const PUPIL_FOLLOW_UPS = {
  title: '因病缺勤追踪 Illness-absence follow-ups', cls: 'followups', connection: 'followUps', back: '复课',
  person: 'student { name } class { name }', who: (f) => `${f.student.name} · ${f.class.name}`,
  update: 'updateFollowUp', clear: 'clearReturn', verify: 'verifyFollowUps',
};
const STAFF_FOLLOW_UPS = {
  title: '教职工因病缺勤追踪 Staff illness follow-ups', cls: 'staff-followups', connection: 'staffFollowUps', back: '复工',
  person: 'staff { name } staffGroup { name }', who: (f) => `${f.staff.name} · ${f.staffGroup.name}`,
  update: 'updateStaffFollowUp', clear: 'clearStaffReturn', verify: 'verifyStaffFollowUps',
};

// followUpPanel: the open illness-absence follow-ups (因病缺勤追踪) of one kind, pupils' or staff's: record
// what the family, the person or the doctor said, and clear the return (复课, 复工) once the rules allow it
// (mayClear: the health teacher; the server refuses anyone else). Those who verify the day's illness
// absences (mayVerify: the epidemic reporter, the principal) verify them one by one or all listed.
function followUpPanel(kind, mayVerify, mayClear) {
  const verify = (ids) => gql(`mutation($ids: [ID!]!) { ${kind.verify}(ids: $ids) { id } }`, { ids });
  let unverified = [];
  const head = mayVerify ? h('form', { class: 'verify-all' }, h('button', { type: 'submit' }, '全部核实 Verify all listed')) : null;
  const section = panel(kind.title, kind.cls, async () => {
    // Those who verify also see the absences closed already but not yet verified (back the same day).
    const where = mayVerify ? '{ or: [{ status: open }, { verifiedAtIsNil: true }] }' : '{ status: open }';
    const { [kind.connection]: followUps } = await gql(`{ ${kind.connection}(last: 50, where: ${where}) { edges { node {
      id date symptoms dueAt outcome diagnosis clearance earliestReturnAt verifiedAt ${kind.person} } } } }`);
    unverified = followUps.edges.map(({ node: f }) => f).filter((f) => !f.verifiedAt).map((f) => f.id);
    return followUps.edges.map(({ node: f }) => (reload) => {
      const outcome = h('select', { name: 'outcome' }, ...OUTCOME.map(([v, l]) => h('option', { value: v, selected: v === f.outcome }, l)));
      const needs = clearanceNeeds(kind.back, f.clearance);
      const form = h('form', { class: 'followup', dataset: { id: f.id } },
        h('strong', {}, kind.who(f)),
        h('span', { class: 'muted' }, ` ${f.date} · ${(f.symptoms || []).join(', ') || '—'} · 到期 due ${dateTime(f.dueAt)}` +
          (needs ? ` · ${needs}` : '') +
          (f.earliestReturnAt ? ` · 最早${kind.back} earliest return ${dateTime(f.earliestReturnAt)}` : '')),
        h('div', {}, outcome, ' ', h('input', { name: 'diagnosis', placeholder: '诊断 Diagnosis', value: f.diagnosis || '', size: 16 }),
          ' ', h('label', { style: 'display:inline' }, '症状结束 Symptoms ended (school time) ', h('input', { name: 'symptomsEndedAt', type: 'datetime-local' })),
          ' ', h('input', { name: 'note', placeholder: '备注 Note', size: 16 }), ' ', h('button', { type: 'submit' }, '记录 Record')));
      const q = (n) => form.querySelector(`[name=${n}]`);
      form.addEventListener('submit', act(form, reload, () => {
        const input = { outcome: outcome.value };
        if (q('diagnosis').value.trim()) input.diagnosis = q('diagnosis').value.trim();
        if (q('note').value.trim()) input.note = q('note').value.trim();
        if (q('symptomsEndedAt').value) input.symptomsEndedAt = schoolTime(q('symptomsEndedAt').value);
        return gql(`mutation($id: ID!, $i: FollowUpChangeInput!) { ${kind.update}(id: $id, input: $i) { id } }`, { id: f.id, i: input });
      }));
      if (mayClear && f.clearance === 'required') {
        const certificate = h('input', { type: 'checkbox', name: 'certificateSeen' });
        form.append(h('div', {}, h('label', { style: 'display:inline' }, certificate, ` 已查验${kind.back}证明 Certificate seen `),
          h('button', { type: 'button', class: 'clear', onclick: act(form, reload, () => gql(
            `mutation($id: ID!, $c: Boolean!) { ${kind.clear}(id: $id, certificateSeen: $c) { id } }`, { id: f.id, c: certificate.checked })) },
          `准予${kind.back} Clear return`)));
      }
      form.querySelector('.muted').append(f.verifiedAt ? ` · 已核实 verified ${dateTime(f.verifiedAt)}` : ' · 未核实 not verified');
      if (mayVerify && !f.verifiedAt) {
        form.append(h('button', { type: 'button', class: 'secondary verify', onclick: act(form, reload, () => verify([f.id])) }, '核实 Verify'));
      }
      return form;
    });
  }, head);
  head?.addEventListener('submit', act(head, section.refresh, () => {
    if (!unverified.length) throw new Error('没有待核实的 Nothing to verify');
    return verify(unverified);
  }));
  return section;
}

const LEAVES = [['back_to_class', '回班 Back to class'], ['collected_by_parent', '家长接回 Collected by a parent'],
  ['hospital', '就医 To hospital'], ['ambulance', '120 Ambulance']];
// A staff member leaves the room back to work, or taken home by the family.
const STAFF_LEAVES = [['back_to_class', '返岗 Back to work'], ['collected_by_parent', '家人接回 Taken home by family'],
  ['hospital', '就医 To hospital'], ['ambulance', '120 Ambulance']];

const STAFF_PICK = 'staff'; // the admit form's "class" of staff members

const STAY_REASON = { fever: '发热 Fever', symptoms: '症状 Symptoms', suspected: '疑似病例 Suspected case', close_contact: '密切接触 Close contact' };

// temperatureOf is a typed reading in °C, or undefined when none was typed; a word is refused before sending.
function temperatureOf(input) {
  const typed = input.value.trim();
  if (!typed) return undefined;
  const t = Number(typed);
  if (!Number.isFinite(t)) throw Object.assign(new Error('体温须为数字 the temperature must be a number'), { field: input.name });
  return t;
}

// observationPanel: the pupils and staff members in the observation room (留观) now, with why they came and
// the readings taken. Those who run the room (mayRun) bring a person in without a check (a fever read at the
// gate, a close contact), record a reading, that the parents (the family) were told, and the release that
// ends the stay, with to whom the person was handed over; the class's teachers see where their pupil is.
function observationPanel(mayRun) {
  const section = panel('观察室 Observation room', 'observation', async () => {
    const { observationStays } = await gql(`{ observationStays(first: 50, where: { status: open }, orderBy: { field: IN_AT }) {
      edges { node { id inAt reason note temperature symptoms parentNotifiedAt readings { at temperature note by } student { name } class { name } staff { name } staffGroup { name } } } } }`);
    return observationStays.edges.map(({ node: s }) => (reload) => {
      const form = h('form', { class: 'stay', dataset: { id: s.id } },
        h('strong', {}, s.student ? `${s.student.name} · ${s.class.name}` :
          `${s.staff.name} · 教职工 Staff${s.staffGroup ? ` · ${s.staffGroup.name}` : ''}`),
        h('span', { class: 'muted' }, ` 入室 in ${dateTime(s.inAt)} · ${STAY_REASON[s.reason] || s.reason}` +
          `${s.note ? ` (${s.note})` : ''} · ${(s.symptoms || []).join(', ') || '—'}` +
          (s.temperature === null ? '' : ` · ${s.temperature} °C`) +
          (s.parentNotifiedAt ? ` · 已通知${s.staff ? '家人 family' : '家长 parents'} told ${dateTime(s.parentNotifiedAt)}` :
            ` · 未通知${s.staff ? '家人 family' : '家长 parents'} not told yet`)),
        h('ul', { class: 'readings' }, ...(s.readings || []).map((r) => h('li', {},
          `${dateTime(r.at)} · ${r.temperature === null ? '' : `${r.temperature} °C · `}${r.note ? `${r.note} · ` : ''}${r.by}`))));
      if (!mayRun) return form;
      const temperature = h('input', { name: 'temperature', inputmode: 'decimal', size: 5, placeholder: '°C' });
      const note = h('input', { name: 'note', placeholder: '观察 What was seen', size: 20 });
      const leave = h('select', { name: 'outcome' }, ...(s.staff ? STAFF_LEAVES : LEAVES).map(([v, l]) => h('option', { value: v }, l)));
      const to = h('input', { name: 'handedOverTo', placeholder: '交接给 Handed over to', size: 14 });
      const change = (input) => gql('mutation($id: ID!, $i: ObservationStayChangeInput!) { updateObservationStay(id: $id, input: $i) { id } }',
        { id: s.id, i: input });
      // The reading and note typed go with whichever button is pressed.
      const typed = () => {
        const input = { temperature: temperatureOf(temperature) };
        if (note.value.trim()) input.note = note.value.trim();
        return input;
      };
      const release = () => change({ ...typed(), outcome: leave.value, ...(to.value.trim() ? { handedOverTo: to.value.trim() } : {}) });
      form.addEventListener('submit', act(form, reload, () => change(typed())));
      form.append(h('div', {}, temperature, ' ', note, ' ', h('button', { type: 'submit' }, '记录 Record'), ' ',
        s.parentNotifiedAt ? null : h('button', { type: 'button', class: 'secondary told', onclick: act(form, reload, () => change({ ...typed(), parentNotified: true })) },
          s.staff ? '已通知家人 Family told' : '已通知家长 Parents told'), ' ',
        leave, ' ', to, ' ', h('button', { type: 'button', class: 'secondary leave', onclick: act(form, reload, release) }, '离开观察室 Release')));
      return form;
    });
  }, mayRun ? admitForm(() => section.refresh()) : null);
  return section;
}

// admitForm: bring a person in without a check: the class (or the staff), then the pupil (or the staff
// member), why, the reading, and where the person was found.
function admitForm(reload) {
  const pick = (name, label) => h('select', { name }, h('option', { value: '' }, label));
  const klass = pick('classID', '班级 Class'), pupil = pick('studentID', '学生 Pupil');
  klass.append(h('option', { value: STAFF_PICK }, '教职工 Staff'));
  const reason = h('select', { name: 'reason' }, ...Object.entries(STAY_REASON).map(([v, l]) => h('option', { value: v }, l)));
  const temperature = h('input', { name: 'temperature', inputmode: 'decimal', size: 5, placeholder: '°C' });
  const note = h('input', { name: 'note', placeholder: '何处发现 Where found (校门 gate…)', size: 22 });
  everyRow('classes', 'orderBy: { field: NAME }', 'id name')
    .then((cs) => klass.append(...cs.map((c) => h('option', { value: c.id }, c.name))))
    .catch((err) => say(err.message, true));
  klass.addEventListener('change', async () => {
    const chosen = klass.value;
    try {
      const rows = chosen === STAFF_PICK ? await everyRow('staff', 'where: { status: in_post }, orderBy: { field: NAME }', 'id name department') :
        chosen ? await everyRow('students', `where: { classID: ${JSON.stringify(chosen)}, status: attending }, orderBy: { field: STUDENT_NUMBER }`,
          'id name studentNumber') : [];
      if (klass.value !== chosen) return; // another class was picked meanwhile
      pupil.replaceChildren(pupil.options[0], ...rows.map((p) => h('option', { value: p.id },
        `${p.name} (${chosen === STAFF_PICK ? p.department || '—' : p.studentNumber})`)));
    } catch (err) { say(err.message, true); }
  });
  const form = h('form', { class: 'admit' }, '送入观察室 Bring in: ', klass, ' ', pupil, ' ', reason, ' ', temperature, ' ', note, ' ',
    h('button', { type: 'submit' }, '入室 Admit'));
  form.addEventListener('submit', act(form, reload, async () => {
    const input = { [klass.value === STAFF_PICK ? 'staffID' : 'studentID']: required(pupil), reason: reason.value, temperature: temperatureOf(temperature) };
    if (note.value.trim()) input.note = note.value.trim();
    await gql('mutation($i: ObservationAdmissionInput!) { admitToObservation(input: $i) { id } }', { i: input });
    temperature.value = note.value = pupil.value = '';
  }));
  return form;
}

// upwardLine: where a staff illness's upward report stands, with the principal's note; for her, until it
// is reported, the decision: report it to the district, or keep it in the school (saying why).
function upwardLine(a, decide, form, reload) {
  const state = a.upward || 'pending'; // an alert from before the decision existed waits like a pending one
  const line = h('div', { class: `upward ${state}` }, UPWARD[state], a.upwardNote ? `：${a.upwardNote}` : '');
  if (!decide || state === 'reported') return line;
  const note = h('input', { name: 'note', placeholder: '说明 Note (why it stays in the school)', size: 28 });
  const choose = (reportUpward) => act(form, reload, () => gql(
    'mutation($id: ID!, $r: Boolean!, $n: String) { decideStaffIllness(id: $id, reportUpward: $r, note: $n) { id } }',
    { id: a.id, r: reportUpward, n: note.value.trim() || null }));
  line.append(' ', note, ' ', h('button', { type: 'button', class: 'report-upward', onclick: choose(true) }, '上报区县 Report upward'),
    ...(state === 'pending' ? [' ', h('button', { type: 'button', class: 'secondary keep', onclick: choose(false) }, '不上报 Keep in school')] : []));
  return line;
}

const RULE = {
  fever: '发热 Fever', cluster_day: '聚集 Cluster (one day)', cluster_window: '聚集 Cluster (3 school days)',
  ili_outbreak: '流感样病例暴发 ILI outbreak', notifiable: '疑似传染病 Suspected notifiable disease',
  staff_illness: '教职工因病 Staff illness', absence_rate: '因病缺勤率 Illness-absence rate',
};
const ALERT_STATUS = { open: '待确认 Open', acknowledged: '已确认 Acknowledged', handled: '已处置 Handled', false_alarm: '误报 False alarm' };
// A staff illness stays in the school until the principal reports it upward (DOMAIN.md §4).
const UPWARD = {
  pending: '待校长决定是否上报 The principal decides whether to report it upward',
  withheld: '校内处理，未上报 Kept in the school', reported: '已上报区县 Reported upward',
};

// alertPeople: whom an alert names, as the reader may see them; a pupil's class where the alert is not one
// class's (a dorm room, the whole school).
function alertPeople(a) {
  const names = [...a.students.map((s) => (a.class || !s.class ? s.name : `${s.name}（${s.class.name}）`)), ...a.staff.map((s) => s.name)];
  return names.length ? h('div', { class: 'people' }, names.join('、')) : null;
}

// continued: for an alert a new case opened after the episode's alert was handled or dismissed, which alert
// it continues and who is new since (the alert names the whole episode).
function continued(a) {
  if (!a.follows) return null;
  const before = new Set([...a.follows.students, ...a.follows.staff].map((p) => p.id));
  const fresh = [...a.students, ...a.staff].filter((p) => !before.has(p.id)).map((p) => p.name);
  return h('div', { class: 'continues' }, `接续 ${dateTime(a.follows.openedAt)} 的预警（${ALERT_STATUS[a.follows.status]}） ` +
    `Continues an assessed alert` + (fresh.length ? ` · 新增 New: ${fresh.join('、')}` : ''));
}

// alertPanel: the open alerts, moved on as the school handles them: acknowledged, then handled (with what
// was done) or a false alarm (with why); outbreaks and notifiable diseases record whom at the CDC was told.
// A staff illness shows where the principal's decision stands, and to her (decide) the buttons to make it. An
// alert of neither a class, a dorm room nor the staff is the whole school's (the illness-absence rate).
function alertPanel(decide) {
  return panel('预警 Alerts', 'alerts', async () => {
    const { alerts } = await gql(`{ alerts(last: 50, where: { statusIn: [open, acknowledged] }) { edges { node {
      id rule symptomGroup status openedAt reportBy cases dormRoom staffIds upward upwardNote class { name }
      students { id name class { name } } staff { id name } follows { openedAt status students { id } staff { id } } } } } }`);
    return alerts.edges.map(({ node: a }) => (reload) => {
      const disposition = h('input', { name: 'disposition', placeholder: '处置 / 原因 What was done, or why false', size: 28 });
      const cdc = a.reportBy ? h('input', { name: 'cdcContact', placeholder: '疾控联系人 CDC contact', size: 16 }) : null;
      const form = h('form', { class: 'alert', dataset: { id: a.id } },
        h('strong', {}, `${RULE[a.rule] || a.rule} · ${a.class?.name || a.dormRoom || (a.staffIds?.length ? '教职工 staff' : '全校 Whole school')}`),
        h('span', { class: 'muted' }, ` ${a.cases} 例 cases · ${dateTime(a.openedAt)} · ${ALERT_STATUS[a.status]}` +
          (a.reportBy ? ` · 须于 ${dateTime(a.reportBy)} 前上报 report by` : '')),
        alertPeople(a), continued(a));
      const move = (status) => act(form, reload, () => {
        const input = { status };
        if (disposition.value.trim()) input.disposition = disposition.value.trim();
        if (cdc?.value.trim()) input.cdcContact = cdc.value.trim();
        return gql('mutation($id: ID!, $i: AlertChangeInput!) { updateAlert(id: $id, input: $i) { id } }', { id: a.id, i: input });
      });
      if (a.rule === 'staff_illness') form.append(upwardLine(a, decide, form, reload));
      form.append(h('div', {}, a.status === 'open' ? h('button', { type: 'button', class: 'ack', onclick: move('acknowledged') }, '确认 Acknowledge') : null,
        ' ', disposition, ' ', cdc, ' ', h('button', { type: 'button', class: 'handled', onclick: move('handled') }, '处置完毕 Handled'),
        ' ', h('button', { type: 'button', class: 'secondary false', onclick: move('false_alarm') }, '误报 False alarm')));
      return form;
    });
  });
}
