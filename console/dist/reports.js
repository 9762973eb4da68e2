// Compiled daily reports (日报), their attestation, and the exports.
'use strict';

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
          health { illnessAbsent byGroup { group count } newCases returns }
          schools { institutions inSession compiled attested unattested { name } nonReporting { name } } }
        versions { id version } } } } }`, { k: kind });
    return dailyReports.edges.map(({ node }) => node).reverse().map((r) => (reload) => reportRow(r, mayAttest, reload));
  }, bar);
}

// Every export comes as CSV (UTF-8 with a byte-order mark, for Excel) and as XLSX.
const FORMATS = ['csv', 'xlsx'];
const exportLink = (format, href) => h('a', { class: `export ${format}`, href, download: '' }, format.toUpperCase());

// downloads: for each file (a label, and the export's name and query for the inputs' values) a CSV and an
// XLSX link, kept up to date as the inputs change.
function downloads(inputs, files) {
  const groups = files.map(([label, path]) => {
    const links = FORMATS.map((f) => exportLink(f));
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
  const file = (id) => FORMATS.map((x) => [' ', exportLink(x, `/exports/daily-report/${id}.${x}`)]);
  const row = h('div', { class: 'report', dataset: { id: r.id, date: r.date } },
    h('strong', {}, `${r.date} · v${r.version}${r.amended ? ' · 更正 amended' : ''}`),
    h('span', { class: 'muted' }, ` 编制 compiled ${dateTime(r.compiledAt)} · ${r.zeroReport ? '零报告 zero report' : '有异常或缺报 cases or missing reports'}`),
    h('div', { class: 'figures' }, f.sessions.map((s) => `${SESSION[s.session] || s.session} ${s.submitted}/${s.expected} ${pct(s.completeness)}`).join(' · ') +
      ` · 预警 open alerts ${f.openAlerts}` + (f.observation?.opened ? ` · 留观 observation ${f.observation.opened}` +
        ` (在室 still in ${f.observation.stillIn}, 转诊 referred ${f.observation.referred})` : '')),
    f.health ? h('div', { class: 'health' }, healthLine(f.health)) : null,
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

// The symptom groups a report counts illness absences by (the server's order).
const SYMPTOM_GROUP = { ili: '流感样 ILI', fever: '发热 fever', gastro: '胃肠道 gastro', rash: '皮疹 rash',
  conjunctivitis: '结膜炎 conjunctivitis', parotid: '腮腺肿大 parotid', other: '其他 other' };

// healthLine: the pupils' illness of a report's day (not reported is never zero: the line is absent from a
// report compiled before these were counted).
function healthLine(hf) {
  const groups = hf.byGroup.map((g) => `${SYMPTOM_GROUP[g.group] || g.group} ${g.count}`).join('、');
  return `因病缺勤 Off sick ${hf.illnessAbsent}${groups ? ` (${groups})` : ''} · 新增传染病 New notifiable cases ${hf.newCases}` +
    ` · 复课 Returns ${hf.returns}`;
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
