// Keeping the school: its calendar, check rules, staff and duties, grades and classes, and the roster; and a
// district's institutions.
'use strict';

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
  // The values typed, those required checked first (in order) and the empty ones left out.
  const values = (fields, needed) => {
    needed.forEach((k) => required(fields[k]));
    return Object.fromEntries(Object.entries(fields).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
  };
  const head = h('div', {});
  const section = panel('校历 School calendar', 'calendar', async () => {
    const [terms, days] = await Promise.all([everyRow('terms', '', 'id name startDate endDate'),
      everyRow('calendarDays', `where: { dateGTE: "${addDays(me.today, -31)}" }`, 'id date kind note')]);
    const termRows = terms.map((t) => () => h('div', { class: 'term', dataset: { id: t.id } }, `学期 Term ${t.name}: ${t.startDate} – ${t.endDate}`));
    days.sort((a, b) => a.date.localeCompare(b.date));
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
// those who set them: the deadline of each session, the fever threshold (and whether a reading exactly at it
// is fever, the default, or only one above it: "37.3 itself passes", DOMAIN §4), the daily report's cut-off,
// how long a pupil stays in the observation room before the room is reminded, for how many days a date's
// checks may still be reported or corrected, the share of the pupils off sick on a day at which the school's
// illness-absence alert opens (a percent; 0 turns it off, DOMAIN §3.9), and the chase ladder. Only what is changed is saved as the
// school's own; the rest keeps following the district. Each value says whether it is the school's own or the
// district's, with the district's value beside one of its own (自定 Own · 区县 14:15), which can be given up to
// follow the district's again: the button puts the district's value in the input and marks it (保存后使用区县设置,
// with Undo), and the form's Save sends it with the rest of what was typed (its clearX: the school's row then
// leaves it unset), so nothing else typed is lost. For a district admin they are the district's defaults,
// which its institutions inherit where they set nothing of their own, and what it gives up follows the
// built-in defaults, shown beside its own the same way; so for a school without a district (no parent): its
// values fall back to the built-in defaults, and they are named so (默认 Default), never the district's.
// Saving one of the panel's two forms redraws both: the other keeps what was typed in it and not yet saved.
function settingsPanel() {
  const DEADLINE = { morning: 'morningDeadline', noon: 'noonDeadline', evening: 'eveningDeadline', full_day: 'fullDayDeadline' };
  // What the values fall back to: the district's, or the built-in defaults for a district itself and for a
  // school with no district.
  const [inherited, inherit, theirs, once] = me.tenant.parentID ?
    ['区县设置 The district\'s', '使用区县设置 Use the district\'s', '区县 district', '保存后使用区县设置 The district\'s once saved'] :
    ['默认 The default', '使用默认 Use the default', '默认 default', '保存后使用默认 The default once saved'];
  const RULES = 'deadlines { session deadline } feverThreshold feverAbove requireRecheck reportCutoff stayLimitMinutes editDays chaseCap absenceRate retentionDays';
  // The fields' values in rules as their inputs show them (a checkbox: whether it is ticked).
  const valuesIn = (rules) => ({ ...Object.fromEntries(rules.deadlines.map((d) => [DEADLINE[d.session], d.deadline])),
    feverThreshold: String(rules.feverThreshold), feverAbove: rules.feverAbove, requireRecheck: rules.requireRecheck, reportCutoff: rules.reportCutoff,
    stayLimitMinutes: String(rules.stayLimitMinutes), editDays: rules.editDays ? String(rules.editDays) : '',
    chaseCap: String(rules.chaseCap), absenceRate: String(rules.absenceRate), retentionDays: String(rules.retentionDays) });
  const STEP = { feverThreshold: '0.1', absenceRate: '0.5' }; // the numbers that are not whole
  // An inherited value in words, beside an own one: ticked or not, no limit for an empty number of days, and
  // none for the deadline of a session only the tenant's own settings hold.
  const told = (v) => (v === true ? '是 yes' : v === false ? '否 no' : v === '' ? '不限 no limit' : v ?? '—');
  const drawn = {}; // the forms on the page (rules, ladder): a redraw takes over what was typed in one not saved
  return panel('检查规则 Check rules', 'settings', async () => {
    const { checkRules: r, checkSettings } = await gql(`query($t: ID!) { checkRules { sessions ${RULES}
      ladder { offsetMinutes notify } inherited { ${RULES} ladder { offsetMinutes notify } } }
      checkSettings(where: { tenantID: $t }) { edges { node { id chaseLadder { offsetMinutes } morningDeadline noonDeadline eveningDeadline
        fullDayDeadline feverThreshold feverAbove requireRecheck reportCutoff stayLimitMinutes editDays chaseCap absenceRate retentionDays } } } }`,
    { t: me.tenant.id });
    const mine = checkSettings.edges[0]?.node || {}; // the tenant's own row: a field unset (null) is inherited
    const own = mine.id;
    const ownLadder = (mine.chaseLadder || []).length > 0;
    const [values, inheritedValues] = [valuesIn(r), valuesIn(r.inherited)];
    const fields = [
      ...r.deadlines.map((d) => [DEADLINE[d.session], `${SESSION[d.session]} 截止 deadline`, 'time']),
      ['feverThreshold', '发热 Fever at °C', 'number'],
      ['feverAbove', '仅高于阈值为发热 Only above the threshold is fever', 'checkbox'],
      ['requireRecheck', '发热须水银体温计复测 A fever reading is re-read with a mercury thermometer', 'checkbox'],
      ['reportCutoff', '日报编制 Daily report at', 'time'],
      ['stayLimitMinutes', '留观提醒 Observation room reminder after (min)', 'number'],
      ['editDays', '可补报/更正天数 Days a date stays open for late reports', 'number'],
      ['chaseCap', '催报上限 Chase messages a day, per person and class', 'number'],
      ['absenceRate', '因病缺勤率预警 Illness-absence alert at % of the pupils (0 关闭 off)', 'number'],
      ['retentionDays', '健康信息保存天数 Days named health records are kept (then erased; the counts stay)', 'number'],
    ];
    const inputs = fields.map(([name, label, type]) => [name, values[name], type === 'checkbox' ? h('input', { name, type, checked: values[name] }) :
      h('input', { name, type, value: values[name], step: STEP[name] || null, size: 6 }), label]);
    const input = Object.fromEntries(inputs.map(([name, , el]) => [name, el]));
    // What an input shows, to compare with what was in force (a checkbox: whether it is ticked), what is sent,
    // and how a value is put back in it.
    const shown = (el) => (el.type === 'checkbox' ? el.checked : el.value);
    const sent = (el) => (el.type === 'number' ? Number(el.value) : shown(el));
    const put = (el, v) => { if (el.type === 'checkbox') el.checked = Boolean(v); else el.value = v ?? ''; };
    const isOwn = (name) => (mine[name] ?? null) !== null;
    return [(reload) => {
      const carried = drawn.rules?.draft();
      const form = h('form', { class: 'rules' });
      // The own values given up for the inherited ones at the next Save, each with what its input showed
      // before (for Undo). Typing in such an input keeps what is typed as the school's own instead.
      const pending = new Map();
      const marks = Object.fromEntries(inputs.map(([name]) => [name, h('span', { class: 'whose' })]));
      // Whose a value is: inherited; the tenant's own, beside the inherited one, with the button that gives it
      // up; or given up once saved (the inherited value in its input), with Undo.
      const mark = (name) => marks[name].replaceChildren(!isOwn(name) ? h('span', { class: 'muted inherited' }, inherited) :
        pending.has(name) ? h('span', { class: 'pending' }, `${once}: ${told(inheritedValues[name])} `,
          h('button', { type: 'button', class: 'secondary undo', onclick: () => keep(name) }, '撤销 Undo')) :
          h('span', { class: 'own' }, '自定 Own · ', h('span', { class: 'muted instead' }, `${theirs} ${told(inheritedValues[name])}`), ' ',
            h('button', { type: 'button', class: 'secondary inherit', onclick: () => giveUp(name) }, inherit)));
      const giveUp = (name, before = shown(input[name])) => { pending.set(name, before); put(input[name], inheritedValues[name]); mark(name); };
      const keep = (name) => { put(input[name], pending.get(name)); pending.delete(name); mark(name); };
      for (const [name, , el] of inputs) {
        mark(name);
        for (const ev of ['input', 'change']) el.addEventListener(ev, () => pending.delete(name) && mark(name));
      }
      // The own values typed and not saved, those given up apart.
      const typed = () => inputs.filter(([name, was, el]) => !pending.has(name) && shown(el) !== was);
      if (carried) {
        Object.entries(carried.typed).forEach(([name, v]) => input[name] && put(input[name], v));
        Object.entries(carried.pending).forEach(([name, before]) => input[name] && isOwn(name) && giveUp(name, before));
      }
      form.append(...inputs.map(([name, , el, label]) => h('span', { class: 'setting', dataset: { field: name }, style: 'display:inline-block; margin-right:1rem' },
        h('label', { style: 'display:inline-block' }, ...(el.type === 'checkbox' ? [el, ` ${label}`] : [`${label} `, el])), ' ', marks[name])),
      ' ', h('button', { type: 'submit' }, '保存 Save'));
      form.addEventListener('submit', act(form, reload, async () => {
        const change = Object.fromEntries(typed().map(([name, , el]) => [name, sent(el)]));
        for (const name of pending.keys()) change[`clear${name[0].toUpperCase()}${name.slice(1)}`] = true;
        if (!Object.keys(change).length) throw new Error('没有改动 Nothing changed');
        await (own ? gql('mutation($id: ID!, $i: UpdateCheckSettingInput!) { updateCheckSetting(id: $id, input: $i) { id } }', { id: own, i: change }) :
          gql('mutation($i: CreateCheckSettingInput!) { createCheckSetting(input: $i) { id } }', { i: change }));
        form.saved = true; // the redraw shows what the server holds now
      }));
      form.draft = () => (form.saved ? null :
        { typed: Object.fromEntries(typed().map(([name, , el]) => [name, shown(el)])), pending: Object.fromEntries(pending) });
      drawn.rules = form;
      return form;
    }, (reload) => {
      const carried = drawn.ladder?.draft();
      drawn.ladder = ladderForm(r.ladder, own, ownLadder && { steps: r.inherited.ladder, label: `${theirs}: ${stepsInWords(r.inherited.ladder)}`, inherit, once },
        reload, carried);
      return drawn.ladder;
    }];
  });
}

const AUDIENCE = { class_teacher: '班主任 Class teacher', grade_leader: '年级组长 Grade leader', principal: '校长 Principal',
  epidemic_reporter: '疫情报告人 Epidemic reporter', district_admin: '区县 District' };

// hasDistrict: the tenant's ladder may tell a district: a school's district, or a district's own (its schools'
// default). A school without a district has nobody above it: the server leaves the district out of its ladder
// and refuses a step that names it, so the ladder editor does not offer it.
const hasDistrict = () => Boolean(me.tenant.parentID) || me.role === 'district_admin';

// stepsInWords: a chase ladder on one line, each step's minutes from the deadline and who is told.
const stepsInWords = (steps) => steps.map((st) => `${st.offsetMinutes > 0 ? '+' : ''}${st.offsetMinutes} 分钟 min → ` +
  st.notify.map((a) => AUDIENCE[a] || a).join('、')).join('; ');

// ladderForm: the chase (催报) ladder in force, step by step: minutes from each session's deadline (negative
// before it) and who is told. Saved, it is the school's own (a district's: its schools' default). instead,
// given only for an own ladder: the ladder it stands in for ({ steps, label, inherit, once }), shown beside
// it, with the button that gives the own one up: like a value of the rules, the inherited steps then show in
// the table, marked (with Undo), and Save ladder clears the school's own (a change to a step keeps the table
// as her own instead). carried: what was typed and not saved in the form this one replaces (its draft). The
// server checks the steps and names the one at fault.
function ladderForm(steps, own, instead, reload, carried) {
  const body = h('tbody');
  let pending = null; // the own ladder given up at the next Save: the steps the table showed before (for Undo)
  const whose = h('span', { class: 'whose' });
  const showWhose = () => instead && whose.replaceChildren(...(pending ?
    [' ', h('span', { class: 'pending' }, `${instead.once}: ${stepsInWords(instead.steps)} `),
      h('button', { type: 'button', class: 'secondary undo', onclick: () => { show(pending); pending = null; showWhose(); } }, '撤销 Undo')] :
    [' ', h('button', { type: 'button', class: 'secondary inherit', onclick: () => { pending = read(); show(instead.steps); showWhose(); } }, instead.inherit),
      h('p', { class: 'muted instead' }, instead.label)]));
  const edited = () => { if (pending) { pending = null; showWhose(); } };
  const renumber = () => [...body.children].forEach((tr, i) => {
    tr.querySelector('input[type=number]').name = `chaseLadder[${i}].offsetMinutes`;
    tr.querySelector('.notify').dataset.name = `chaseLadder[${i}].notify`;
  });
  const add = (st) => {
    const offset = h('input', { type: 'number', step: '1', size: 5, value: String(st.offsetMinutes), oninput: edited, onchange: edited });
    const notify = h('span', { class: 'notify' }, ...Object.entries(AUDIENCE).filter(([a]) => a !== 'district_admin' || hasDistrict()).map(([a, l]) =>
      h('label', { style: 'display:inline; margin-right:.5rem' }, h('input', { type: 'checkbox', value: a, checked: st.notify.includes(a), onchange: edited }), l)));
    const tr = h('tr', {}, h('td', {}, offset, ' 分钟 min'), h('td', {}, notify),
      h('td', {}, h('button', { type: 'button', class: 'secondary remove', onclick: () => { tr.remove(); renumber(); edited(); } }, '删除 Remove')));
    body.append(tr);
    renumber();
  };
  const show = (list) => { body.replaceChildren(); list.forEach(add); };
  // The steps as the table shows them (the minutes as typed).
  const read = () => [...body.children].map((tr) => ({ offsetMinutes: tr.querySelector('input[type=number]').value,
    notify: [...tr.querySelectorAll('.notify input:checked')].map((c) => c.value) }));
  show(steps);
  const saved = JSON.stringify(read());
  if (carried?.steps) show(carried.steps);
  if (carried?.pending && instead) { pending = carried.pending; show(instead.steps); }
  showWhose();
  const form = h('form', { class: 'ladder' }, h('h3', {}, '催报 Chase ladder (分钟，相对截止时间 minutes from the deadline)'),
    h('table', {}, body), h('button', { type: 'button', class: 'secondary add', onclick: () => { add({ offsetMinutes: 0, notify: [] }); edited(); } }, '加一步 Add step'),
    ' ', h('button', { type: 'submit' }, '保存催报 Save ladder'), whose);
  form.addEventListener('submit', act(form, reload, async () => {
    if (pending) {
      await gql('mutation($id: ID!) { setChaseLadder(settingID: $id, steps: []) { id } }', { id: own });
      form.saved = true;
      return;
    }
    const input = [...body.children].map((tr) => {
      const offset = tr.querySelector('input[type=number]');
      if (!Number.isInteger(Number(offset.value)) || offset.value.trim() === '') {
        throw Object.assign(new Error('须为整数分钟 whole minutes'), { field: offset.name });
      }
      return { offsetMinutes: Number(offset.value), notify: [...tr.querySelectorAll('.notify input:checked')].map((c) => c.value) };
    });
    let id = own;
    if (!id) ({ createCheckSetting: { id } } = await gql('mutation { createCheckSetting(input: {}) { id } }'));
    await gql('mutation($id: ID!, $s: [ChaseStepInput!]!) { setChaseLadder(settingID: $id, steps: $s) { id } }', { id, s: input });
    form.saved = true;
  }));
  form.draft = () => (form.saved ? null : pending ? { pending } : JSON.stringify(read()) !== saved ? { steps: read() } : null);
  return form;
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

const TENANT_KIND = { primary_school: '小学 Primary school', secondary_school: '中学 Secondary school',
  special_school: '特殊教育学校 Special school', kindergarten: '幼儿园 Kindergarten', training_institution: '校外培训机构 Training institution' };

// institutionPanel: the district's institutions (schools, kindergartens, training institutions), for its
// admin. One is onboarded with its first principal, whose initial password is shown once, to hand over (it
// must be changed at the first sign-in); one is deactivated (nobody of it signs in or reports, its data is
// kept) and reactivated.
function institutionPanel() {
  const f = { name: h('input', { name: 'name', placeholder: '名称 Name', size: 16 }),
    kind: h('select', { name: 'kind' }, ...Object.entries(TENANT_KIND).map(([v, l]) => h('option', { value: v }, l))),
    code: h('input', { name: 'code', placeholder: '机构代码 Code (optional)', size: 12 }),
    timezone: h('input', { name: 'timezone', placeholder: '时区 Time zone (Asia/Shanghai)', size: 14 }),
    login: h('input', { name: 'login', placeholder: '校长账号 Principal login', size: 12 }),
    displayName: h('input', { name: 'displayName', placeholder: '校长姓名 Principal name', size: 10 }),
    phone: h('input', { name: 'phone', placeholder: '校长手机 Principal phone', size: 12 }) };
  const opened = h('p', { class: 'opened' });
  const form = h('form', { class: 'add-institution' }, '新机构 New institution ', f.name, ' ', f.kind, ' ', f.code, ' ', f.timezone,
    ' 校长 Principal ', f.login, ' ', f.displayName, ' ', f.phone, ' ', h('button', { type: 'submit' }, '开通 Onboard'));
  const section = panel('机构 Institutions', 'institutions', async () => (await everyRow('tenants',
    `where: { parentID: "${me.tenant.id}" }, orderBy: { field: NAME }`, 'id name kind code status')).map((t) => (reload) => {
    const row = h('div', { class: 'institution', dataset: { id: t.id } });
    const active = t.status === 'active';
    row.append(h('strong', {}, t.name), ` ${TENANT_KIND[t.kind] || t.kind}${t.code ? ` · ${t.code}` : ''} · `,
      h('span', { class: 'status' }, active ? '在用 Active' : '已停用 Deactivated'), ' ',
      h('button', { type: 'button', class: `secondary ${active ? 'deactivate' : 'reactivate'}`, onclick: act(row, reload, () => (active ?
        gql('mutation($id: ID!) { deactivateInstitution(id: $id) { id } }', { id: t.id }) :
        gql('mutation($id: ID!) { reactivateInstitution(id: $id) { id } }', { id: t.id }))) }, active ? '停用 Deactivate' : '启用 Reactivate'));
    return row;
  }), h('div', {}, form, opened));
  form.addEventListener('submit', act(form, section.refresh, async () => {
    const input = { name: required(f.name), kind: f.kind.value };
    const principal = { login: required(f.login), displayName: required(f.displayName) };
    if (f.code.value.trim()) input.code = f.code.value.trim();
    if (f.timezone.value.trim()) input.timezone = f.timezone.value.trim();
    if (f.phone.value.trim()) principal.phone = f.phone.value.trim();
    const { onboardInstitution: o } = await gql(`mutation($i: OnboardInstitutionInput!) { onboardInstitution(input: $i) {
      tenant { name } admin { login } initialPassword } }`, { i: { ...input, principal } });
    opened.textContent = `${o.tenant.name} · ${o.admin.login} 的初始密码 initial password: ${o.initialPassword} ` +
      '(只显示一次 shown once; 首次登录须修改 to be changed at the first sign-in)';
    form.reset();
  }));
  return section;
}

// classesPanel: the school's grades and classes (年级与班级) for the leadership: a grade added, a class added
// to a grade, a class closed from today (its history is kept) or reopened.
function classesPanel() {
  const grade = { name: h('input', { name: 'name', placeholder: '年级 Grade, e.g. 三年级', size: 14 }) };
  const cls = { gradeID: h('select', { name: 'gradeID' }), name: h('input', { name: 'name', placeholder: '班级 Class, e.g. 三年级(1)班', size: 16 }) };
  const gradeForm = h('form', { class: 'add-grade' }, grade.name, ' ', h('button', { type: 'submit' }, '添加年级 Add grade'));
  const classForm = h('form', { class: 'add-class' }, cls.gradeID, ' ', cls.name, ' ', h('button', { type: 'submit' }, '添加班级 Add class'));
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

// rosterPanel: the pupils' roster imported from the school's CSV or XLSX (学籍表), for those who may
// (mayImport). Every row is checked first: one bad row and nothing is written, each bad row listed with its
// line. A large file is imported in the background, its progress shown until it is done. Below, the
// guardians of a class's pupils, kept one by one by those who may at that class (guardianList).
function rosterPanel(mayImport) {
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
  // Every pupil must have a guardian reachable at any time (DOMAIN §2.1): those with none are listed, again
  // after each import.
  const unreachable = h('div', { class: 'unreachable' });
  const listUnreachable = async () => {
    const rows = await everyRow('students', 'where: { status: attending, hasGuardians: false }, orderBy: { field: STUDENT_NUMBER }',
      'id name studentNumber class { name }');
    const shown = rows.slice(0, 50).map((p) => `${p.name} (${p.studentNumber}, ${p.class?.name || '—'})`).join('、');
    unreachable.replaceChildren(rows.length ?
      h('p', { class: 'err' }, `无监护人联系方式 No guardian to reach: ${rows.length} · ${shown}${rows.length > 50 ? ' …' : ''}`) :
      h('p', { class: 'muted' }, '每名在校学生都有可联系的监护人 Every pupil has a guardian to reach'));
  };
  listUnreachable().catch((err) => unreachable.replaceChildren(h('p', { class: 'err' }, err.message)));
  const guardians = guardianList(listUnreachable);
  if (!mayImport) {
    return h('section', { class: 'panel roster' }, h('h2', {}, '学生名单 Roster'), unreachable, guardians);
  }
  form.addEventListener('submit', act(form, () => Promise.all([listUnreachable(), guardians.refresh()]), async () => {
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
      '宿舍 dorm_room, 监护人 guardian_name, 关系 relation, 监护人电话 guardian_phone'), form, unreachable, guardians);
}

const RELATION = { father: '父亲 Father', mother: '母亲 Mother', grandparent: '祖辈 Grandparent', other: '其他 Other' };

// guardianList: a class's pupils with their guardians (DOMAIN §2.1: a class teacher must reach them), for the
// classes where a role of the caller may keep guardians (the school, the class's grade, or the class itself:
// a class teacher sees only hers offered); a guardian added to a pupil, or a name, relation, phone or primary
// contact changed. The server checks the phone and names the field, and keeps a pupil to one primary
// contact: one ticked and saved, the reload shows her others unticked. changed: what else to reload after.
function guardianList(changed) {
  const keeps = me.scopes.filter((s) => s.guardians);
  const mayKeep = (c) => keeps.some((s) => s.nodeType === 'school' || (s.nodeType === 'grade' && s.nodeID === c.gradeID) ||
    (s.nodeType === 'class' && s.nodeID === c.id));
  const cls = h('select', { name: 'class' });
  const pupils = h('div', { class: 'pupils' });
  const show = async () => {
    const chosen = cls.value;
    const rows = chosen ? await everyRow('students', `where: { status: attending, classID: ${JSON.stringify(chosen)} }, orderBy: { field: STUDENT_NUMBER }`,
      'id name studentNumber guardians { id name relation phone primaryContact }') : [];
    if (cls.value !== chosen) return; // another class was picked meanwhile: its own load shows it
    const reload = () => Promise.all([show(), changed()]);
    pupils.replaceChildren(...(rows.length ? rows.map((p) => h('div', { class: 'pupil', dataset: { student: p.id } },
      h('strong', {}, `${p.name} (${p.studentNumber})`), p.guardians.length ? null : h('span', { class: 'err' }, ' 无监护人 No guardian'),
      ...p.guardians.map((g) => guardianForm(p.id, g, reload)), guardianForm(p.id, null, reload))) : [h('p', { class: 'muted' }, '无 None')]));
  };
  const refresh = () => show().catch((err) => pupils.replaceChildren(h('p', { class: 'err' }, err.message)));
  everyRow('classes', 'orderBy: { field: NAME }', 'id name gradeID').then((classes) => {
    cls.replaceChildren(...classes.filter(mayKeep).map((c) => h('option', { value: c.id }, c.name)));
    return refresh();
  }).catch((err) => pupils.replaceChildren(h('p', { class: 'err' }, err.message)));
  cls.addEventListener('change', refresh);
  return Object.assign(h('div', { class: 'guardians' }, h('h3', {}, '监护人 Guardians ', cls), pupils), { refresh });
}

// guardianForm: one guardian of a pupil, changed in place (only what changed is sent), or with none given,
// a new one added to the pupil.
function guardianForm(studentID, g, reload) {
  const f = { name: h('input', { name: 'name', value: g?.name, placeholder: '姓名 Name', size: 8 }),
    relation: h('select', { name: 'relation' }, h('option', { value: '' }, '关系 Relation'),
      ...Object.entries(RELATION).map(([v, l]) => h('option', { value: v, selected: v === g?.relation }, l))),
    phone: h('input', { name: 'phone', type: 'tel', value: g?.phone, placeholder: '手机 Phone', size: 12 }),
    primaryContact: h('input', { type: 'checkbox', name: 'primaryContact', checked: g?.primaryContact }) };
  const form = h('form', { class: g ? 'guardian' : 'add-guardian', dataset: g ? { guardian: g.id } : null }, f.name, ' ', f.relation, ' ',
    f.phone, ' ', h('label', { style: 'display:inline', title: '每名学生一位 One per pupil: saving it unticks the others' },
      f.primaryContact, ' 首要联系人 Primary contact'), ' ',
    h('button', { type: 'submit', class: g ? 'secondary' : null }, g ? '保存 Save' : '添加监护人 Add guardian'));
  form.addEventListener('submit', act(form, reload, () => {
    const input = { name: required(f.name), relation: required(f.relation), phone: required(f.phone), primaryContact: f.primaryContact.checked };
    if (!g) return gql('mutation($i: CreateGuardianInput!) { createGuardian(input: $i) { id } }', { i: { ...input, studentID } });
    const change = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== g[k]));
    if (!Object.keys(change).length) throw new Error('没有改动 Nothing changed');
    return gql('mutation($id: ID!, $i: UpdateGuardianInput!) { updateGuardian(id: $id, input: $i) { id } }', { id: g.id, i: change });
  }));
  return form;
}

// tokenPanel: the API tokens third-party apps use (a name, the role they act with, an end), for the
// principal: a new token's secret is shown once, to hand over, and only its first characters after; one that
// is no longer wanted is revoked at once. Last use shows which are alive.
function tokenPanel() {
  const name = h('input', { name: 'name', placeholder: '用途 What it is for', size: 18 });
  const role = h('select', { name: 'role' }, ...DUTY_ROLES.map((r) => h('option', { value: r }, ROLE[r])));
  const ends = h('input', { type: 'date', name: 'expiresAt', min: me.today });
  const secret = h('p', { class: 'opened' });
  const form = h('form', { class: 'add-token' }, name, ' ', role, ' 至 until ', ends, ' ', h('button', { type: 'submit' }, '创建 Create'));
  const section = panel('API 令牌 API tokens', 'tokens', async () => (await everyRow('apiTokens', 'orderBy: { field: CREATED_AT }',
    'id name prefix role createdAt expiresAt revokedAt lastUsedAt')).filter((k) => !k.revokedAt).map((k) => (reload) => {
    const row = h('div', { class: 'token', dataset: { id: k.id } });
    row.append(h('strong', {}, `${k.name} · ${k.prefix}…`), ` ${ROLE[k.role] || k.role}`,
      k.expiresAt ? ` · 至 until ${dateTime(k.expiresAt)}` : '', ` · 最近使用 last used ${k.lastUsedAt ? dateTime(k.lastUsedAt) : '—'} `,
      h('button', { type: 'button', class: 'secondary revoke', onclick: act(row, reload, () =>
        gql('mutation($id: ID!) { revokeAPIToken(id: $id) { id } }', { id: k.id })) }, '吊销 Revoke'));
    return row;
  }), h('div', {}, form, secret));
  form.addEventListener('submit', act(form, section.refresh, async () => {
    const input = { name: required(name), role: role.value };
    if (ends.value) input.expiresAt = schoolTime(`${ends.value}T00:00`);
    const { createAPIToken } = await gql('mutation($i: CreateAPITokenInput!) { createAPIToken(input: $i) { token } }', { i: input });
    secret.textContent = `令牌 Token (只显示一次 shown once): ${createAPIToken.token}`;
    form.reset();
  }));
  return section;
}

const ROBOT_KIND = { wecom: '企业微信 WeCom', dingtalk: '钉钉 DingTalk', feishu: '飞书 Feishu', generic: 'JSON webhook' };

// robotPanel: the IM group robots that receive the school's digests (the chase's, the daily report's), for
// the principal. A robot's URL carries its key: it is sent once and never shown again (only its host), and
// the secret likewise. A robot can be paused, or removed (its past deliveries stay).
function robotPanel() {
  const f = { name: h('input', { name: 'name', placeholder: '名称 Name, e.g. 行政群', size: 14 }),
    kind: h('select', { name: 'kind' }, ...Object.entries(ROBOT_KIND).map(([v, l]) => h('option', { value: v }, l))),
    url: h('input', { name: 'url', placeholder: 'Webhook URL', size: 36 }),
    secret: h('input', { name: 'secret', type: 'password', placeholder: '加签密钥 Secret (optional)', size: 16, autocomplete: 'off' }) };
  const form = h('form', { class: 'add-robot' }, f.name, ' ', f.kind, ' ', f.url, ' ', f.secret, ' ', h('button', { type: 'submit' }, '添加 Add'));
  const section = panel('群机器人 IM robots', 'robots', async () => (await everyRow('robotWebhooks', '', 'id name kind urlHint enabled'))
    .map((r) => (reload) => {
      const row = h('div', { class: 'robot', dataset: { id: r.id } });
      const change = (label, cls, q, vars) => h('button', { type: 'button', class: `secondary ${cls}`, onclick: act(row, reload, () => gql(q, vars)) }, label);
      row.append(h('strong', {}, r.name), ` ${ROBOT_KIND[r.kind] || r.kind} · ${r.urlHint || ''}${r.enabled ? '' : ' · 已暂停 paused'} `,
        change(r.enabled ? '暂停 Pause' : '恢复 Resume', 'toggle', 'mutation($id: ID!, $i: UpdateRobotWebhookInput!) { updateRobotWebhook(id: $id, input: $i) { id } }',
          { id: r.id, i: { enabled: !r.enabled } }), ' ',
        change('删除 Remove', 'remove', 'mutation($id: ID!) { deleteRobotWebhook(id: $id) }', { id: r.id }));
      return row;
    }), form);
  form.addEventListener('submit', act(form, section.refresh, async () => {
    const input = { name: required(f.name), kind: f.kind.value, url: f.url.value.trim() };
    if (f.secret.value) input.secret = f.secret.value;
    await gql('mutation($i: CreateRobotWebhookInput!) { createRobotWebhook(input: $i) { id } }', { i: input });
    form.reset();
  }));
  return section;
}

const STAFF_TYPE = { teacher: '教师 Teacher', health_teacher: '保健老师 Health teacher', logistics: '后勤 Logistics', canteen: '食堂 Canteen',
  security: '安保 Security', retired_teacher: '退休教师 Retired teacher' };
const GROUP_KIND = { leader_group: '包保组 A leader\'s group', department: '处室 Department' };

// staffPanel: the school's staff (教职工) and the groups whose check (教职工晨午检) their leader or department
// head reports, for the leadership: a group added, a member added (to a group at once, if one is chosen),
// moved into or out of a group, and marked as gone when they leave (kept, no longer expected).
function staffPanel() {
  const g = { name: h('input', { name: 'name', placeholder: '组名 Group, e.g. 王校长包保组', size: 16 }),
    kind: h('select', { name: 'kind' }, ...Object.entries(GROUP_KIND).map(([v, l]) => h('option', { value: v }, l))) };
  const m = { name: h('input', { name: 'name', placeholder: '姓名 Name', size: 10 }), phone: h('input', { name: 'phone', placeholder: '手机 Phone', size: 12 }),
    department: h('input', { name: 'department', placeholder: '部门 Department', size: 10 }),
    staffType: h('select', { name: 'staffType' }, ...Object.entries(STAFF_TYPE).map(([v, l]) => h('option', { value: v }, l))),
    group: h('select', { name: 'group' }) };
  const groupForm = h('form', { class: 'add-group' }, g.name, ' ', g.kind, ' ', h('button', { type: 'submit' }, '添加分组 Add group'));
  const memberForm = h('form', { class: 'add-staff' }, m.name, ' ', m.phone, ' ', m.department, ' ', m.staffType, ' ', m.group, ' ',
    h('button', { type: 'submit' }, '添加教职工 Add staff'));
  const members = (id, change) => gql('mutation($id: ID!, $i: UpdateStaffGroupInput!) { updateStaffGroup(id: $id, input: $i) { id } }', { id, i: change });
  const section = panel('教职工与分组 Staff and groups', 'staff-admin', async () => {
    const [groups, staff] = await Promise.all([everyRow('staffGroups', 'orderBy: { field: NAME }', 'id name kind members { id }'),
      everyRow('staff', '', 'id name department staffType status')]);
    const chosen = m.group.value;
    m.group.replaceChildren(h('option', { value: '' }, '不分组 No group'), ...groups.map((x) => h('option', { value: x.id, selected: x.id === chosen }, x.name)));
    const inPost = staff.filter((p) => p.status !== 'left');
    const label = (p) => `${p.name}${p.department ? ` (${p.department})` : ''}`;
    return [...groups.map((x) => (reload) => {
      const ids = (x.members || []).map((p) => p.id);
      const add = h('select', { name: 'member' }, ...inPost.filter((p) => !ids.includes(p.id)).map((p) => h('option', { value: p.id }, label(p))));
      const row = h('div', { class: 'group', dataset: { group: x.id } });
      row.append(h('strong', {}, `${x.name}`), ` ${GROUP_KIND[x.kind] || x.kind}: `,
        ...staff.filter((p) => ids.includes(p.id)).map((p) => h('span', { class: 'member', dataset: { staff: p.id } }, label(p),
          p.status === 'left' ? ' (已离职 left)' : '', ' ', h('button', { type: 'button', class: 'secondary out', onclick: act(row, reload, () =>
            members(x.id, { removeMemberIDs: [p.id] })) }, '移出 Out'), ' · ')),
        add, ' ', h('button', { type: 'button', class: 'secondary in', onclick: act(row, reload, () => {
          if (!add.value) throw new Error('没有可加入的教职工 Nobody left to add');
          return members(x.id, { addMemberIDs: [add.value] });
        }) }, '加入 Add'));
      return row;
    }), (reload) => {
      const row = h('div', { class: 'everyone' }, h('strong', {}, '全体教职工 All staff: '));
      row.append(...inPost.map((p) => h('span', { class: 'staffer', dataset: { staff: p.id } }, `${label(p)} ${STAFF_TYPE[p.staffType] || ''} `,
        h('button', { type: 'button', class: 'secondary left', onclick: act(row, reload, () =>
          gql('mutation($id: ID!, $i: UpdateStaffInput!) { updateStaff(id: $id, input: $i) { id } }',
            { id: p.id, i: { status: 'left', leftOn: schoolTime(`${me.today}T00:00`) } })) }, '离职 Left'), ' · ')));
      return row;
    }];
  }, h('div', {}, groupForm, memberForm));
  groupForm.addEventListener('submit', act(groupForm, section.refresh, async () => {
    await gql('mutation($i: CreateStaffGroupInput!) { createStaffGroup(input: $i) { id } }', { i: { name: required(g.name), kind: g.kind.value } });
    groupForm.reset();
  }));
  memberForm.addEventListener('submit', act(memberForm, section.refresh, async () => {
    const input = { name: required(m.name), staffType: m.staffType.value };
    if (m.phone.value.trim()) input.phone = m.phone.value.trim();
    if (m.department.value.trim()) input.department = m.department.value.trim();
    const { createStaff } = await gql('mutation($i: CreateStaffInput!) { createStaff(input: $i) { id } }', { i: input });
    if (m.group.value) await members(m.group.value, { addMemberIDs: [createStaff.id] });
    memberForm.reset();
  }));
  return section;
}

const OPERATION = { create: '新建 created', update: '修改 changed', delete: '删除 deleted', read: '查阅 read' };

// auditPanel: who changed what, and when (审计日志), newest first, for the principal: the last 50 entries,
// or those of one kind of record (a check, a follow-up, an account…). Old and new values as recorded
// (secrets are never recorded).
function auditPanel() {
  const kind = h('input', { name: 'entityType', placeholder: '类型 Kind, e.g. ClassCheck, User', size: 18 });
  const form = h('form', { class: 'audit-filter' }, kind, ' ', h('button', { type: 'submit', class: 'secondary' }, '筛选 Filter'));
  const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const section = panel('审计日志 Audit log', 'audit', async () => {
    const { auditLogs } = await gql(`query($w: AuditLogWhereInput) { auditLogs(last: 50, orderBy: { field: CREATED_AT }, where: $w) {
      edges { node { id actor entityType entityID operation createdAt changes { field old new } } } } }`,
    { w: kind.value.trim() ? { entityType: kind.value.trim() } : null });
    return auditLogs.edges.map(({ node }) => node).reverse().map((a) => () => h('div', { class: 'entry', dataset: { id: a.id } },
      h('strong', {}, `${dateTime(a.createdAt)} · ${a.actor}`), ` ${OPERATION[a.operation] || a.operation} ${a.entityType} ${a.entityID ?? ''}`,
      h('div', { class: 'muted' }, (a.changes || []).map((c) => `${c.field}: ${show(c.old)} → ${show(c.new)}`).join(' · '))));
  }, form);
  form.addEventListener('submit', (e) => { e.preventDefault(); section.refresh(); });
  return section;
}
