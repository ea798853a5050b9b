const EXAMPLE = `{
  organizations(kind: PRODUCER, first: 3) {
    nodes {
      name { text }
      path
      products(first: 3) {
        nodes { gtin name { text lang } lots(first: 2) { nodes { lotCode status } } }
      }
      stats { productCount lotCount coverage }
    }
  }
}`;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The gateway's front page: what this is, and a query to run right here (no CDN needed). */
export function landingPage(): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Nguồn — traceability graph</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b2a1b}
h1{margin-bottom:0}textarea{width:100%;height:16rem;font:14px ui-monospace,monospace}
pre{background:#f4f7f2;padding:1rem;overflow:auto;max-height:30rem}button{font-size:1rem;padding:.4rem 1rem}
code{background:#f4f7f2;padding:0 .2rem}
</style></head><body>
<h1>Nguồn</h1>
<p>Truy xuất nguồn gốc sản phẩm — one federated GraphQL graph for the city, its departments, districts, producers and consumers.</p>
<ul>
<li>GraphQL endpoint: <code>POST /graphql</code> (<a href="/graphql">Apollo Sandbox</a>, needs internet for its UI)</li>
<li>Sign in with the <code>signIn</code> mutation and send <code>Authorization: Bearer &lt;token&gt;</code>; machine clients send <code>Authorization: ApiKey &lt;key&gt;</code>.</li>
<li>Health: <a href="/health">/health</a>, readiness: <a href="/ready">/ready</a></li>
</ul>
<h2>Try a query</h2>
<textarea id="q">${escape(EXAMPLE)}</textarea>
<p><label>Token (optional) <input id="t" size="50"></label> <button id="run">Run</button></p>
<pre id="out">…</pre>
<script>
document.getElementById('run').onclick = async () => {
  const headers = { 'content-type': 'application/json' };
  const token = document.getElementById('t').value.trim();
  if (token) headers.authorization = 'Bearer ' + token;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: document.getElementById('q').value }) });
  document.getElementById('out').textContent = JSON.stringify(await res.json(), null, 2);
};
</script>
</body></html>`;
}
