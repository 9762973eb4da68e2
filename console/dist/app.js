// The page: who is signed in decides which panels show; a minute's tick keeps it current; sign-in,
// password change and sign-out. Loaded last: it calls on every other file.
'use strict';

async function start() {
  try {
    ({ me } = await gql(`{ me { today role mustChangePassword user { displayName login } tenant { id name timezone parentID }
      scopes { role nodeType nodeID name exempt: can(object: "exemption", action: "create")
      readReports: can(object: "daily_report", action: "read") attest: can(object: "daily_report", action: "update")
      deliveries: can(object: "delivery", action: "read") staff: can(object: "staff_check", action: "read")
      observe: can(object: "observation", action: "update") calendar: can(object: "calendar", action: "create")
      settings: can(object: "settings", action: "update") accounts: can(object: "user", action: "create")
      assign: can(object: "assignment", action: "create")
      roster: can(object: "student", action: "create") guardians: can(object: "guardian", action: "update")
      classes: can(object: "class", action: "create")
      tokens: can(object: "api_token", action: "create") robots: can(object: "robot_webhook", action: "create")
      staffAdmin: can(object: "staff_group", action: "create") audit: can(object: "audit_log", action: "read")
      verify: can(object: "verification", action: "update") templates: can(object: "export_template", action: "create")
      staffFollowUps: can(object: "staff_follow_up", action: "read") clear: can(object: "clearance", action: "update")
      upward: can(object: "staff_illness", action: "update") } } }`));
  } catch (err) {
    clearInterval(refresher);
    blank(); // an ended session leaves nothing behind the sign-in
    $('login').hidden = false; $('app').hidden = true;
    if (err.code !== 'UNAUTHENTICATED') say(err.message, true);
    return;
  }
  $('login').hidden = true; $('app').hidden = false;
  $('who').textContent = [me.user?.displayName, ROLE[me.role] || me.role, me.tenant?.name, me.today].filter(Boolean).join(' · ');
  // An initial password opens nothing but its own change (the server refuses the rest until then).
  $('password').hidden = !me.mustChangePassword;
  if (me.mustChangePassword) {
    blank();
    say('请先修改初始密码 Please change your initial password.');
    return;
  }
  say('');
  const district = me.role === 'district_admin';
  const seen = new Set();
  const once = (key) => !seen.has(key) && seen.add(key);
  const classes = me.scopes.filter((s) => s.nodeType === 'class' && once(`c${s.nodeID}`));
  const groups = me.scopes.filter((s) => s.nodeType === 'staff_group' && once(`g${s.nodeID}`));
  $('classes').replaceChildren(...classes.map((s) => classCard(s.nodeID, s.name)), ...groups.map((s) => staffCard(s.nodeID, s.name)));
  // A district admin watches the district as one board (its schools are in the non-reporters' names);
  // school staff see a board per grade or school they hold a role at.
  // Exemption buttons show where a role of the caller may exempt: at the grade itself or the whole school.
  const boards = district ? [{ title: me.tenant.name, scope: { districtID: me.tenant.id } }] :
    me.scopes.filter((s) => (s.nodeType === 'grade' || s.nodeType === 'school') && once(`${s.nodeType}${s.nodeID}`))
      .map((s) => ({
        title: s.name, scope: s.nodeType === 'grade' ? { gradeID: s.nodeID } : { tenantID: s.nodeID },
        exempt: me.scopes.some((x) => x.exempt && (x.nodeType === 'school' || (x.nodeType === s.nodeType && x.nodeID === s.nodeID))),
        staff: s.nodeType === 'school' && me.scopes.some((x) => x.staff && x.nodeType === 'school'),
      }));
  // Beside it, a district's schools over a period (a week, a month, a term).
  $('boards').replaceChildren(...boards.map((b) => boardPanel(b.title, b.scope, b.exempt, b.staff)),
    ...(district ? [schoolTotalsPanel()] : []));
  const inbox = inboxPanel();
  $('inbox').replaceChildren(inbox);
  // How she is told is set once: at the end, below the day's work (on a phone, the class comes second).
  $('mine').replaceChildren(preferencesPanel());
  // Boards and the inbox stay current by themselves; the other panels hold forms and reload when used.
  clearInterval(refresher);
  refresher = setInterval(() => tick([inbox, ...$('boards').querySelectorAll('.board')]), refreshSeconds() * 1000);
  // The school's own panels go by the roles held at the whole school; a district keeps no school's books.
  const school = district ? [] : me.scopes.filter((s) => s.nodeType === 'school');
  const may = (key) => school.some((s) => s[key]);
  const when = (shown, make) => (shown ? [make()] : []);
  $('reports').replaceChildren(
    ...when(district, () => reportsPanel('district', false)),
    ...when(may('readReports'), () => reportsPanel('school', may('attest'))),
    ...when(district || may('templates'), templatePanel), // each recipient's columns, for the exports above
    ...when(may('calendar'), calendarPanel),
    ...when(district || may('settings'), settingsPanel)); // a district sets the defaults its schools inherit
  // Follow-ups, the observation room and alerts name pupils: a district sees them only as counts on its board.
  const pupils = !district && me.tenant;
  // Staff off sick are followed up by a school-wide role or a staff group's leader; the district sees none.
  const staffScopes = school.concat(me.scopes.filter((s) => !district && s.nodeType === 'staff_group'));
  const staffMay = (key) => staffScopes.some((s) => s[key]);
  $('care').replaceChildren(...when(pupils, () => followUpPanel(PUPIL_FOLLOW_UPS, may('verify'), may('clear'))),
    ...when(staffMay('staffFollowUps'), () => followUpPanel(STAFF_FOLLOW_UPS, may('verify'), staffMay('clear'))),
    ...when(pupils, () => observationPanel(may('observe'))), ...when(pupils, () => alertPanel(may('upward'))), ...when(may('deliveries'), deliveryPanel));
  // A district keeps its institutions instead: onboarded, deactivated, reactivated. The roster's guardians are
  // kept at a class too (a class teacher's): the panel shows for them without the import.
  const guardians = pupils && me.scopes.some((s) => s.guardians);
  $('people').replaceChildren(...when(district, institutionPanel), ...when(may('assign'), () => peoplePanel(may('accounts'))),
    ...when(may('classes'), classesPanel), ...when(may('roster') || guardians, () => rosterPanel(may('roster'))),
    ...when(may('staffAdmin'), staffPanel),
    ...when(may('tokens'), tokenPanel), ...when(may('robots'), robotPanel), ...when(may('audit'), auditPanel));
  contents();
}

// contents lists the page's panels under the header, each a link to its panel: a principal's page holds some
// twenty panels, and the one she wants should be a tap away, not a long scroll. A short page goes without.
function contents() {
  const panels = SECTIONS.flatMap((id) => [...$(id).children].filter((p) => p.matches('.panel')));
  $('toc').replaceChildren(...panels.map((p, i) => {
    p.id = `panel-${i + 1}`;
    return h('a', { href: `#${p.id}` }, p.querySelector('h2')?.firstChild?.textContent?.trim() || '—');
  }));
  $('toc').hidden = panels.length < 6;
}

// blank empties every panel and the list of them.
function blank() {
  for (const id of SECTIONS) $(id).replaceChildren();
  $('toc').replaceChildren(); $('toc').hidden = true;
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
  blank(); // nothing of the last user stays behind
  $('password').reset(); $('password').hidden = true;
  say(''); await start();
});
start();
