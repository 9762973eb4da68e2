// The console is a GraphQL client like any other: JSON POSTs to /graphql with the session cookie.
async function gql(query, variables) {
  const res = await fetch('/graphql', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
  return body.data;
}

const $ = (id) => document.getElementById(id);
function say(text, isError) { $('msg').textContent = text; $('msg').className = isError ? 'err' : ''; }

async function showMe() {
  try {
    const { me } = await gql('{ me { role mustChangePassword user { displayName login } tenant { name kind } } }');
    const rows = [['用户 User', me.user ? `${me.user.displayName} (${me.user.login})` : '—'],
      ['角色 Role', me.role], ['单位 Tenant', me.tenant ? `${me.tenant.name} · ${me.tenant.kind}` : 'platform']];
    $('info').replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v;
      return [dt, dd];
    }));
    $('login').hidden = true; $('me').hidden = false;
    say(me.mustChangePassword ? '请先修改初始密码 Please change your initial password.' : '');
  } catch { $('login').hidden = false; $('me').hidden = true; }
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await gql('mutation($i: LoginInput!) { login(input: $i) { user { id } } }', { i: { login: $('u').value, password: $('p').value } });
    say(''); await showMe();
  } catch (err) { say(err.message, true); }
});
$('logout').addEventListener('click', async () => {
  try { await gql('mutation { logout }'); } catch {}
  await showMe();
});
showMe();
