// Compiled daily reports (日报), their attestation, the exports, and the templates that shape them.
'use strict';

// reportsPanel: the compiled daily reports (日报) of the school or the district, the newest first: what each
// says, whether the school has attested it, and the version as CSV or XLSX; above them, the live sheets of
// any date (or range, for a district) to download.
function reportsPanel(kind, mayAttest) {
  const input = (name, value) => h('input', { type: 'date', name, value, max: me.today });
  const bar = kind === 'district' ?
    downloads([input('from', addDays(me.today, -6)), input('to', me.today)],
      [['区县汇总 District summary', 'district_summary', (from, to) => ['district-summary', { from, to }]]]) :
    downloads([input('date', me.today)], [['学校日报 School daily', 'school_daily', (date) => ['school-daily', { date }]],
      ['缺勤与症状名单 Absent and symptomatic', 'persons', (date) => ['persons', { date }]]]);
  return panel('日报 Daily reports', 'reports', async () => {
    const { dailyReports } = await gql(`query($k: DailyReportKind!) { dailyReports(last: 7, where: { kind: $k, current: true },
      orderBy: { field: DATE }) { edges { node { id date version amended compiledAt zeroReport attestedAt attestedBy attestedOnTime
        figures { sessions { session expected submitted completeness } openAlerts observation { opened stillIn referred }
          health { ...health } staffHealth { ...health }
          schools { institutions inSession compiled attested unattested { name } nonReporting { name } } }
        versions { id version } } } } }
      fragment health on HealthFigures { illnessAbsent byGroup { group count } newCases returns unverified }`, { k: kind });
    return dailyReports.edges.map(({ node }) => node).reverse().map((r) => (reload) => reportRow(r, mayAttest, reload));
  }, bar);
}

// Every export comes as CSV (UTF-8 with a byte-order mark, for Excel) and as XLSX: exportLink is the link to
// /exports/{file}.{format} with the query's parameters (those empty left out).
const FORMATS = ['csv', 'xlsx'];
const exportLink = (format, file, query = {}) => {
  const q = String(new URLSearchParams(Object.entries(query).filter(([, v]) => v)));
  return h('a', { class: `export ${format}`, href: `/exports/${file}.${format}${q ? `?${q}` : ''}`, download: '', dataset: { file } },
    format.toUpperCase());
};

// downloads: for each file (a label, the sheet it is, and the export's name and query for the inputs'
// values) a choice of export template (原样: the sheet as it is) and a CSV and an XLSX link, kept up to date
// as the inputs and the choice change. The choice's list is refilled (refill) when templates are changed.
// The inputs show before the links unless shown says otherwise (none, where they stand elsewhere).
function downloads(inputs, files, shown = inputs) {
  const groups = files.map(([label, sheet, path]) => {
    const links = h('span', { class: 'links' });
    const template = h('select', { class: 'template', dataset: { sheet } }, h('option', { value: '' }, '原样 As is'));
    const update = () => {
      const [file, query] = path(...inputs.map((i) => i.value));
      links.replaceChildren(...FORMATS.flatMap((f) => [' ', exportLink(f, file, { ...query, template: template.value })]));
    };
    template.refill = () => gql('query($s: ExportTemplateSheet) { exportTemplates(sheet: $s) { id name } }', { s: sheet })
      .then(({ exportTemplates }) => {
        const chosen = template.value;
        template.replaceChildren(template.options[0], ...exportTemplates.map((t) => h('option', { value: t.id, selected: t.id === chosen }, t.name)));
        update(); // a template deleted meanwhile is no longer chosen
      }).catch((err) => say(err.message, true));
    [...inputs, template].forEach((i) => i.addEventListener('change', update));
    update();
    template.refill();
    return [' · ', label, ' ', template, links];
  });
  return h('p', { class: 'exports' }, '导出 Export ', ...shown, ...groups);
}

// reportRow: one compiled report. A school report not yet attested offers the attestation to those who may
// give it; whether it is a zero report is the attester's to say (never preselected), and the server checks
// the answer against the report.
function reportRow(r, mayAttest, reload) {
  const f = r.figures;
  const file = (id) => FORMATS.map((x) => [' ', exportLink(x, `daily-report/${id}`)]);
  const row = h('div', { class: 'report', dataset: { id: r.id, date: r.date } },
    h('strong', {}, `${r.date} · v${r.version}${r.amended ? ' · 更正 amended' : ''}`),
    h('span', { class: 'muted' }, ` 编制 compiled ${dateTime(r.compiledAt)} · ${r.zeroReport ? '零报告 zero report' : '有异常或缺报 cases or missing reports'}`),
    h('div', { class: 'figures' }, f.sessions.map((s) => `${SESSION[s.session] || s.session} ${s.submitted}/${s.expected} ${pct(s.completeness)}`).join(' · ') +
      ` · 预警 open alerts ${f.openAlerts}` + (f.observation?.opened ? ` · 留观 observation ${f.observation.opened}` +
        ` (在室 still in ${f.observation.stillIn}, 转诊 referred ${f.observation.referred})` : '')),
    f.health ? h('div', { class: 'health' }, `学生 Pupils: ${healthLine(f.health, '复课 Returns')}`) : null,
    f.staffHealth ? h('div', { class: 'staff-health' }, `教职工 Staff: ${healthLine(f.staffHealth, '复工 Back to work')}`) : null,
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

// healthLine: the pupils' (or the staff's) illness of a report's day, returns labelled as theirs (not
// reported is never zero: the line is absent from a report compiled before these were counted).
function healthLine(hf, returns) {
  const groups = hf.byGroup.map((g) => `${SYMPTOM_GROUP[g.group] || g.group} ${g.count}`).join('、');
  return `因病缺勤 Off sick ${hf.illnessAbsent}${groups ? ` (${groups})` : ''} · 新增传染病 New notifiable cases ${hf.newCases}` +
    ` · ${returns} ${hf.returns} · 未核实 Unverified ${hf.unverified}`;
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

const SHEET = { persons: '明细 Persons', school_daily: '学校日报 School daily', district_summary: '区县汇总 District summary',
  school_totals: '学校汇总 School totals' };
const DISTRICT_SHEETS = ['district_summary', 'school_totals']; // a district's exports, no school's

// templatePanel: the export templates (导出模板), for those who keep them: each recipient's shape of a sheet
// (which of its columns, in what order, under which headers, with columns of fixed text). Listed are those
// the caller may export with: its own, which it may edit in place or delete, and its district's (a district
// admin: its institutions'), marked as such. The sheets offered are those the caller exports: a school its
// daily sheet and the persons; a district admin the district's two as well (and the schools' two, for its
// institutions' exports).
function templatePanel() {
  // A change shows in the list and in the exports' choice of template.
  const changed = async () => {
    await section.refresh();
    document.querySelectorAll('.exports select.template').forEach((s) => s.refill());
  };
  const section = panel('导出模板 Export templates', 'templates', async () => {
    const { exportTemplates } = await gql('{ exportTemplates { id tenantID name sheet columns { source header value } } }');
    return exportTemplates.map((t) => () => {
      const own = t.tenantID === me.tenant.id;
      const row = h('div', { class: 'template', dataset: { id: t.id } }, h('strong', {}, t.name), ` ${SHEET[t.sheet] || t.sheet}: `,
        h('span', { class: 'headers' }, t.columns.map((c) => c.header).join(' | ')));
      row.append(' ', ...(own ? [h('button', { type: 'button', class: 'secondary edit', onclick: () =>
        row.querySelector('form.edit-template') || row.append(templateForm(t, changed)) }, '编辑 Edit'), ' ',
      h('button', { type: 'button', class: 'secondary remove', onclick: act(row, changed, () =>
        gql('mutation($id: ID!) { deleteExportTemplate(id: $id) }', { id: t.id })) }, '删除 Delete')] :
        [h('span', { class: 'owner muted' }, me.role === 'district_admin' ? '学校的 An institution\'s' : '区县的 The district\'s')]));
      return row;
    });
  }, templateForm(null, changed));
  return section;
}

// templateForm: a new template, or t, one of the caller's own, changed in place (its name and columns; its
// sheet stays). It is built column by column, each a column of the sheet (exportColumns) or fixed text, its
// header the column's name until typed over; the server checks them and names the column at fault
// (columns[2].header), as the ladder's steps. Saved, changed() shows it.
function templateForm(t, changed) {
  const name = h('input', { name: 'name', value: t?.name, placeholder: '名称 Name, e.g. 省晨午检日报', size: 18 });
  const sheets = t ? [[t.sheet, SHEET[t.sheet] || t.sheet]] :
    Object.entries(SHEET).filter(([v]) => me.role === 'district_admin' || !DISTRICT_SHEETS.includes(v));
  const sheet = h('select', { name: 'sheet', disabled: Boolean(t) }, ...sheets.map(([v, l]) => h('option', { value: v }, l)));
  const body = h('tbody');
  let sources = []; // the chosen sheet's columns
  const renumber = () => [...body.children].forEach((tr, i) =>
    tr.querySelectorAll('[data-part]').forEach((el) => { el.name = `columns[${i}].${el.dataset.part}`; }));
  // add: a column, as col has it (a template's), or a new one, of the sheet's first column.
  const add = (col) => {
    const source = h('select', { dataset: { part: 'source' } });
    const header = h('input', { dataset: { part: 'header' }, value: col?.header, placeholder: '表头 Header', size: 12 });
    const value = h('input', { dataset: { part: 'value' }, value: col?.value, placeholder: '固定文字 Text', size: 12 });
    let named = col?.source || ''; // the header the source gave, kept until typed over
    const follow = () => {
      if (header.value === named) header.value = source.value;
      named = source.value;
      value.disabled = source.value !== ''; // a column of the sheet has no text of its own
      if (value.disabled) value.value = '';
    };
    source.refill = (chosen = source.value) => {
      source.replaceChildren(h('option', { value: '' }, '固定文字 Fixed text'), ...sources.map((s) => h('option', { value: s, selected: s === chosen }, s)));
      follow();
    };
    source.addEventListener('change', follow);
    source.refill(col ? col.source || '' : sources[0]);
    const tr = h('tr', { class: 'column' }, h('td', {}, source), h('td', {}, header), h('td', {}, value),
      h('td', {}, h('button', { type: 'button', class: 'secondary remove-row', onclick: () => { tr.remove(); renumber(); } }, '删除 Remove')));
    body.append(tr);
    renumber();
  };
  // loadSources offers the chosen sheet's columns in every column's choice, and says whether they came.
  const loadSources = async () => {
    const chosen = sheet.value;
    try {
      const { exportColumns } = await gql('query($s: ExportTemplateSheet!) { exportColumns(sheet: $s) }', { s: chosen });
      if (sheet.value !== chosen) return false; // another sheet was picked meanwhile
      sources = exportColumns;
      body.querySelectorAll('select').forEach((s) => s.refill());
      return true;
    } catch (err) { say(err.message, true); return false; }
  };
  sheet.addEventListener('change', loadSources);
  // A new template starts with a column; a template's columns show once the sheet's have come (each names one).
  loadSources().then((loaded) => {
    if (!t) add();
    else if (loaded) t.columns.forEach(add);
  });
  const form = h('form', { class: t ? 'edit-template' : 'add-template' }, h('h3', {}, t ? '编辑模板 Edit template' : '新模板 New template'),
    name, ' ', sheet, h('table', {}, body), h('button', { type: 'button', class: 'secondary add-row', onclick: () => add() }, '加一列 Add column'), ' ',
    h('button', { type: 'submit' }, '保存模板 Save template'),
    t ? [' ', h('button', { type: 'button', class: 'secondary cancel', onclick: () => form.remove() }, '取消 Cancel')] : null);
  form.addEventListener('submit', act(form, changed, async () => {
    const input = { name: required(name), columns: [...body.children].map((tr) => {
      const [source, header, value] = tr.querySelectorAll('[data-part]');
      return source.value ? { source: source.value, header: header.value } : { header: header.value, value: value.value };
    }) };
    if (t) {
      await gql('mutation($id: ID!, $n: String, $c: [ExportColumnInput!]) { updateExportTemplate(id: $id, name: $n, columns: $c) { id } }',
        { id: t.id, n: input.name, c: input.columns });
      return; // the list drawn again shows it, without this form
    }
    await gql('mutation($i: ExportTemplateInput!) { createExportTemplate(input: $i) { id } }', { i: { ...input, sheet: sheet.value } });
    name.value = '';
    body.replaceChildren();
    add();
  }));
  return form;
}
