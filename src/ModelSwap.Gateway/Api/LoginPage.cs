namespace ModelSwap.Gateway.Api;

/// <summary>The login form: one field, posted to /api/session, then back to where the user was going.</summary>
internal static class LoginPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>ModelSwap: sign in</title>
        <style>body{font:16px system-ui,sans-serif;max-width:22rem;margin:15vh auto;padding:0 1rem}
        input,button{font:inherit;width:100%;box-sizing:border-box;margin:.4rem 0;padding:.5rem}
        @media (prefers-color-scheme:dark){body{background:#111;color:#eee}input{background:#222;color:#eee}}</style></head>
        <body><h1>ModelSwap</h1><p>This server needs an API key.</p>
        <form id="f"><label for="k">API key</label><input id="k" name="key" type="password" autocomplete="current-password" autofocus required>
        <button>Sign in</button><p id="e" role="alert"></p></form>
        <script>
        document.getElementById('f').addEventListener('submit', async e => {
          e.preventDefault();
          const r = await fetch('/api/session', {method:'POST', headers:{'content-type':'application/json'},
            body: JSON.stringify({key: document.getElementById('k').value})});
          if (r.ok) { const n = new URLSearchParams(location.search).get('next');
            location.href = n && n.startsWith('/') && !n.startsWith('//') ? n : '/ui'; }
          else { document.getElementById('e').textContent = (await r.json()).error.message; }
        });
        </script></body></html>
        """;
}
