// The check (晨午检) of a class or a staff group: its sessions on a day, the one-tap zero report, the
// exception form and corrections.
'use strict';

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
  // The title and its date stay put; only the sessions below are drawn again (a picker open stays open).
  const body = h('div', { class: 'sessions' });
  const card = h('section', { class: 'panel', dataset: { [unit.data]: id } }, h('h2', {}, `${name} `, date), body);
  // ask reads the day picked as it starts (day: the one its sessions are reported for).
  const ask = async () => {
    const day = date.value;
    const { people, sessions } = await who(day);
    const fields = sessions.map((s, i) => `s${i}: ${unit.expected}(${unit.key}: $u, date: $d, session: ${s}) { state overdue deadline
      check { version zeroReport submittedAt submittedBy onTime amendment absentIllness absentOther symptomatic
        entries { ${unit.person} kind absenceType symptoms temperature firstTemperature doctorSeen disposition note } } }`);
    const reports = sessions.length ? await gql(`query($u: ID!, $d: String!) { ${fields.join('\n')} }`, { u: id, d: day }) : {};
    return { day, people, sessions, reports };
  };
  // Only the newest load draws (drawNewest): another day picked, or the same day asked again as one report
  // after another goes in (the first one's answer, come last, would show the second as still pending).
  const load = drawNewest(ask, ({ day, people, sessions, reports }) => {
    const awaiting = people.filter((p) => p.awaiting);
    body.replaceChildren(...(awaiting.length ? [h('p', { class: 'awaiting' }, '待复课审核 Not yet cleared to return: ' +
      awaiting.map((p) => `${p.name} (${p.awaiting})`).join('、') + ' — 请报缺勤，或由保健老师准予复课 report them absent, or the health teacher clears them first')] : []),
    ...sessions.map((s, i) => sessionRow(unit, id, day, s, reports[`s${i}`], people, load)));
  }, (err) => body.replaceChildren(h('p', { class: 'err' }, err.message)));
  date.addEventListener('change', () => date.value && load());
  load();
  return card;
}

// classCard: a class's pupils (by student number), with the day of the illness after which any still awaits
// the health teacher's clearance (the server refuses a report counting them present and well), and the
// sessions its board holds today.
const classCard = (classID, name) => unitCard(CLASS, classID, name, async (date) => {
  const { board, roster, followUps } = await gql(`query($c: ID!, $d: String!) {
    board(scope: { classID: $c }, date: $d) { sessions { session } }
    roster: node(id: $c) { ... on Class { students(first: 200, where: { status: attending }, orderBy: { field: STUDENT_NUMBER }) {
      edges { node { id name studentNumber } } } } }
    followUps(first: 100, where: { hasStudentWith: [{ classID: $c }], status: open, clearance: required, dateLT: $d }) {
      edges { node { date student { id } } } } }`,
  { c: classID, d: date });
  const since = new Map(followUps.edges.map(({ node: f }) => [f.student.id, f.date]));
  return {
    people: roster.students.edges.map(({ node: p }) => ({ id: p.id, name: p.name, label: p.studentNumber, awaiting: since.get(p.id) })),
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
        // A fever reading re-read with a mercury thermometer after 5 minutes (DOMAIN.md §4): the re-check decides.
        h('label', {}, ' 复测 Re-check °C ', h('input', { name: 'recheckTemperature', inputmode: 'decimal', size: 5, placeholder: '水银 mercury' })),
        v === 'sick_leave' ? h('label', {}, h('input', { type: 'checkbox', name: 'doctorSeen' }), ' 已就诊 Doctor seen') :
          h('label', {}, '处置 Disposition ', h('select', { name: 'disposition' }, ...DISPOSITION.map(([d, l]) => h('option', { value: d }, l)))),
      ] : []), ...(v ? [h('input', { name: 'note', placeholder: '备注 Note', size: 24 })] : []));
    });
    const was = current?.entries?.find((x) => x[unit.person] === p.id);
    if (p.awaiting) {
      tr.classList.add('awaiting');
      tr.firstChild.append(h('small', {}, ' 待复课审核 not cleared'));
      if (!was) { status.value = 'sick_leave'; status.dispatchEvent(new Event('change')); } // not back until cleared
    }
    if (was) {
      status.value = was.kind === 'symptomatic' ? 'symptomatic' : was.absenceType;
      status.dispatchEvent(new Event('change'));
      const q = (n) => tr.querySelector(`[name=${n}]`);
      for (const box of tr.querySelectorAll('[name=symptoms]')) box.checked = (was.symptoms || []).includes(box.value);
      // A re-checked line shows both readings as they were typed: the first, and the re-check that counts.
      const [first, recheck] = was.firstTemperature === null ? [was.temperature, null] : [was.firstTemperature, was.temperature];
      if (q('temperature') && first !== null) q('temperature').value = String(first);
      if (q('recheckTemperature') && recheck !== null) q('recheckTemperature').value = String(recheck);
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
        for (const name of ['temperature', 'recheckTemperature']) {
          const typed = q(name)?.value.trim();
          if (!typed) continue; // the range is the server's to judge; a word is not a temperature at all
          entry[name] = Number(typed);
          if (!Number.isFinite(entry[name])) {
            throw Object.assign(new Error('体温须为数字 the temperature must be a number'), { field: `entries[${i}].${name}` });
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
