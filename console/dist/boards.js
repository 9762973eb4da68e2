// Boards of a grade, a school or a district: a day's sessions, the week up to it, the classes and staff
// groups not reported (with the chase), exemptions, a district's schools.
'use strict';

// figure: a count over the submitted reports. With none submitted there is no figure, a dash, never 0:
// nobody reported is not nobody ill (DOMAIN.md §6.2).
const figure = (n, submitted) => (submitted ? String(n) : '—');

// share: an illness-absence rate (因病缺勤率) to a tenth of a percent (they are small: 1.3 % matters); a
// dash when no report is in (the server's null), never 0 %.
const share = (f) => (f === null || f === undefined ? '—' : `${(f * 100).toFixed(1)}%`);

// boardPanel: the board of a grade, a school or the district for a day (today unless another is chosen),
// with the completeness of the seven days up to it. In a grade or school, a class that owes a report can be
// exempted from it on the spot (a trip, an exam…), with the reason; the board then counts it as exempted,
// not pending. A school's board shows its staff checks too, for those who read them all (withStaff). It
// reloads itself every minute (refresh), unless an exemption is being typed; only its newest load draws
// (drawNewest: another day picked, or the same day asked again by the minute's refresh or an exemption).
function boardPanel(title, scope, mayExempt, withStaff) {
  const panel = h('section', { class: 'panel board', dataset: { scope: Object.keys(scope)[0] } });
  const date = h('input', { type: 'date', name: 'date', value: me.today, max: me.today });
  // The title and its date stay put; only the board below is drawn again (a picker open stays open).
  const body = h('div', { class: 'body' });
  panel.append(h('h2', {}, `${title} · 看板 Board `, date), body);
  // ask reads the board of the day picked as it starts (day: the one draw offers exemptions on).
  const ask = (day = date.value) => gql(`query($s: BoardScopeInput!, $d: String!, $from: String!) { board(scope: $s, date: $d) { classes
      sessions { session expected submitted onTime late pending overdue exempted completeness zeroReports absentIllness symptomatic
        illnessAbsenceRate nonReporting { schoolName gradeName classID className teachers phones overdue } }
      alerts { open reportOverdue } followUps { open needsClearance } inObservation }
      trend(scope: $s, from: $from, to: $d) { date inSession submitted completeness onTimeRate absences { sickLeave } symptomatic illnessAbsenceRate }
      ${scope.districtID ? `schools: trendBySchool(scope: $s, from: $d, to: $d) { tenant { id name }
        days { inSession expected submitted late pending overdue exempted completeness illnessAbsenceRate } }` : ''} }`,
  { s: scope, d: day, from: addDays(day, -6) })
    .then(async (data) => ({
      ...data, day, chased: scope.districtID ? [] : await chaseLogs(day, data.board),
      staff: withStaff ? (await gql(`query($t: ID!, $d: String!) { staffBoard(tenantID: $t, date: $d) { sessions { session expected
        submitted late pending overdue completeness absentIllness absentOther symptomatic nonReporting { name leaders overdue } } } }`,
      { t: scope.tenantID, d: day })).staffBoard : null,
    }));
  const draw = ({ day, board, trend, schools, chased, staff }) => {
    const rows = board.sessions.map((s) => h('tr', { dataset: { session: s.session } },
      // Before the deadline nobody is overdue yet: 0 % at 08:00 for the noon check is not a failure.
      ...[SESSION[s.session], s.expected, s.submitted, s.onTime, s.late, s.pending, s.overdue, s.exempted,
        pct(s.completeness) + (s.pending > 0 && s.overdue === 0 ? ' · 截止前 before the deadline' : ''),
        figure(s.zeroReports, s.submitted), figure(s.absentIllness, s.submitted), share(s.illnessAbsenceRate),
        figure(s.symptomatic, s.submitted)].map((v) => h('td', {}, String(v)))));
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
    body.replaceChildren(
      grid('sessions', ['场次 Session', '应报 Expected', '已报 Submitted', '按时 On time', '迟报 Late', '待报 Pending', '逾期 Overdue',
        '免报 Exempted', '完成率 Completeness', '零报告 Zero', '因病缺勤 Ill', '因病缺勤率 Illness rate', '症状 Symptomatic'], rows),
      ...missing, trendTable(trend), ...(schools ? [schoolTable(schools)] : []), ...(staff ? staffTable(staff) : []),
      h('p', { class: 'muted' }, `班级 Classes ${board.classes} · 预警 Open alerts ${board.alerts.open}` +
        ` (逾期上报 report overdue ${board.alerts.reportOverdue}) · 随访 Open follow-ups ${board.followUps.open}` +
        ` (待复课审核 needs clearance ${board.followUps.needsClearance}) · 留观 In the observation room ${board.inObservation}`));
  };
  const load = drawNewest(ask, draw, (err) => body.replaceChildren(h('p', { class: 'err' }, err.message)));
  date.addEventListener('change', () => date.value && load());
  load();
  panel.refresh = () => panel.querySelector('form.exempt') || load();
  return panel;
}

// chaseLogs: the chase steps (催报) sent on the board's day to the classes it lists as not reported, all of
// them (a large school's day runs to hundreds: read a page at a time); a caller who may not read them gets
// none, and the board shows without them.
async function chaseLogs(date, board) {
  const ids = [...new Set(board.sessions.flatMap((s) => s.nonReporting.map((n) => n.classID)))];
  if (!ids.length) return [];
  try {
    return await everyRow('chaseLogs', `where: { date: ${JSON.stringify(date)}, classIDIn: ${JSON.stringify(ids)} }`,
      'classID session firedAt recipients deliveries { status }');
  } catch (err) {
    if (err.code !== 'FORBIDDEN') say(err.message, true); // the board still shows; the failure is not hidden
    return [];
  }
}

// chaseLine: who was chased for a class's session and when, with a warning for a message that did not arrive.
const chaseLine = (logs) => (logs.length ? h('div', { class: 'chased muted' }, '催报 Chased: ' + logs.map((l) => `${clock(l.firedAt)} → ${l.recipients.join('、')}` +
  (l.deliveries.some((d) => d.status === 'failed') ? ' ⚠ 未送达 not delivered' : '')).join(' · ')) : null);

// trendTable: the seven days up to the board's, a column each; a day without school shows a dash, and so do
// a day's counts when nothing was reported.
function trendTable(days) {
  const row = (label, value) => h('tr', {}, h('th', {}, label), ...days.map((d) => h('td', {}, d.inSession ? String(value(d)) : '—')));
  return h('div', { class: 'wide trend' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, '近7天 Last 7 days'), ...days.map((d) => h('th', {}, d.date.slice(5))))),
    h('tbody', {}, row('完成率 Completeness', (d) => pct(d.completeness)), row('按时率 On time', (d) => pct(d.onTimeRate)),
      row('病假 Sick leave', (d) => figure(d.absences.sickLeave, d.submitted)), row('因病缺勤率 Illness rate', (d) => share(d.illnessAbsenceRate)),
      row('症状 Symptomatic', (d) => figure(d.symptomatic, d.submitted)))));
}

// staffTable: the staff groups' checks (教职工晨午检) per session, and the groups not reported with who
// answers for them.
function staffTable(staff) {
  const rows = staff.sessions.map((s) => h('tr', { dataset: { session: s.session } },
    ...[SESSION[s.session] || s.session, s.expected, s.submitted, s.late, s.pending, s.overdue,
      pct(s.completeness), figure(s.absentIllness + s.absentOther, s.submitted), figure(s.symptomatic, s.submitted)].map((v) => h('td', {}, String(v)))));
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
      pct(d.completeness), share(d.illnessAbsenceRate)].map((v) => h('td', {}, String(v)))));
  return grid('schools', ['学校 School', '应报 Expected', '已报 Submitted', '迟报 Late', '待报 Pending', '逾期 Overdue', '免报 Exempted',
    '完成率 Completeness', '因病缺勤率 Illness rate'], rows);
}

// schoolTotalsPanel: a district's schools over a period (this week by default; a month, a term), in the
// server's order, the weakest first, with how each answered its alerts, and the sheet to download. The server takes at most 184 days and
// names the field at fault (to): it is marked. A rate over a period with nothing due is a dash, never 0.
function schoolTotalsPanel() {
  const input = (name, value) => h('input', { type: 'date', name, value, max: me.today });
  const monday = addDays(me.today, -((new Date(`${me.today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const from = input('from', monday);
  const to = input('to', me.today);
  // A district keeps no term of its own (each school has its calendar): its term is the last 120 days.
  const quick = [['本周 This week', monday], ['本月 This month', `${me.today.slice(0, 8)}01`], ['本学期 This term', addDays(me.today, -119)]]
    .map(([label, start]) => h('button', { type: 'button', class: 'secondary period', onclick: () => {
      from.value = start; to.value = me.today; to.dispatchEvent(new Event('change'));
    } }, label));
  const files = downloads([from, to], [['学校汇总 Schools over a period', 'school_totals',
    (f, t) => ['school-totals', { from: f, to: t, districtID: me.tenant.id }]]], []);
  // A period changed while its answer was on its way is asked again (the change reloads the panel, which
  // drops the older answer): what shows is the period chosen. A refused period marks its input, unless
  // another was chosen meanwhile.
  const load = async () => {
    const period = `${from.value}/${to.value}`;
    [from, to].forEach((i) => i.classList.remove('invalid'));
    let schoolTotals;
    try {
      ({ schoolTotals } = await gql(`query($s: BoardScopeInput!, $f: String!, $t: String!) { schoolTotals(scope: $s, from: $f, to: $t) {
        tenant { id name } schoolDays expected submitted onTime late overdue completeness onTimeRate absences { sickLeave } illnessAbsenceRate
        alerts { opened medianResponseMinutes reportedLate reportOverdue } } }`,
      { s: { districtID: me.tenant.id }, f: from.value, t: to.value }));
    } catch (err) {
      if (period === `${from.value}/${to.value}`) [from, to].find((i) => i.name === err.field)?.classList.add('invalid');
      throw err;
    }
    return schoolTotals.length ? [() => grid('totals', ['学校 School', '上报日数 School days', '应报 Expected', '已报 Submitted', '按时 On time',
      '迟报 Late', '未报 Overdue', '完成率 Completeness', '按时率 On time', '病假人次 Sick leave (person-days)', '因病缺勤率 Illness rate', '预警 Alerts',
      '响应中位数 Median response (min)', '超时上报疾控 CDC report late or overdue'],
    schoolTotals.map((x) => h('tr', { dataset: { tenant: x.tenant.id } }, ...[x.tenant.name, x.schoolDays, x.expected, x.submitted, x.onTime,
      x.late, x.overdue, pct(x.completeness), pct(x.onTimeRate), figure(x.absences.sickLeave, x.submitted), share(x.illnessAbsenceRate), x.alerts.opened,
      x.alerts.medianResponseMinutes ?? '—', x.alerts.reportedLate + x.alerts.reportOverdue].map((v) => h('td', {}, String(v))))))] : [];
  };
  const section = panel('学校汇总 Schools over a period', 'school-totals', load,
    h('div', {}, h('p', {}, '期间 Period ', from, ' – ', to, ' ', ...quick.flatMap((b) => [b, ' '])), files));
  [from, to].forEach((i) => i.addEventListener('change', () => i.value && section.refresh()));
  return section;
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
