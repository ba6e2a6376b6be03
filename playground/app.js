// The playground: the policy in a CodeMirror editor, sgc (sgc.wasm) asked
// on every pause in typing, its answers shown as text (never as markup:
// everything sgc says goes in through textContent). The policy lives in
// the URL's fragment, so a link shares it; nothing is sent anywhere.
"use strict";

const example = `group lb "Public load balancer" internet-facing
group web "Web servers"
group db "Order database"

internet -> lb tcp/443 because "customers browse the shop"
lb -> web tcp/8080 because "the load balancer forwards to the web servers"
web -> db tcp/5432 because "the web servers store orders"

never internet -> db because "the order database is never public"
`;

const $ = (id) => document.getElementById(id);
let editor;
let marked = [];

function encode(text) {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  bytes.forEach((b) => (s += String.fromCharCode(b)));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decode(s) {
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch (e) {
    return null;
  }
}

function initial() {
  const m = location.hash.match(/^#p=([A-Za-z0-9_-]*)$/);
  const text = m && decode(m[1]);
  return text !== null && text !== undefined && m ? text : example;
}

function ask(req) {
  return JSON.parse(globalThis.sgcHandle(JSON.stringify(req)));
}

function update() {
  const policy = editor.getValue();
  history.replaceState(null, "", "#p=" + encode(policy));
  const t0 = performance.now();
  const tf = ask({ policy, target: "terraform" });
  const cfn = ask({ policy, target: "cloudformation" });
  const ms = performance.now() - t0;
  if (window.firstCompileMs === undefined) window.firstCompileMs = ms;
  window.lastCompileMs = ms;

  for (const l of marked) editor.removeLineClass(l, "background");
  marked = [];
  const list = $("diagnostics");
  list.replaceChildren();
  for (const d of tf.diagnostics) {
    const li = document.createElement("li");
    li.className = d.Severity;
    li.dataset.line = d.Line;
    li.textContent = `${d.Line}:${d.Col}: ${d.Severity}: ${d.Message} [${d.Code}]`;
    li.addEventListener("click", () => editor.setCursor({ line: d.Line - 1, ch: d.Col - 1 }));
    list.appendChild(li);
    if (d.Line > 0) {
      const h = editor.addLineClass(d.Line - 1, "background", "line-" + d.Severity);
      marked.push(h);
    }
  }
  if (tf.diagnostics.length === 0) {
    const li = document.createElement("li");
    li.textContent = "no problems";
    list.appendChild(li);
  }
  const files = (r) => r.files.map((f) => `# ---- ${f.path}\n${f.data}`).join("\n");
  $("terraform").textContent = files(tf) || "(fix the errors first)";
  $("cloudformation").textContent = files(cfn) || "(fix the errors first)";
  $("graph").textContent = tf.graph;
  $("status").textContent = `${tf.diagnostics.length} diagnostic(s), ${ms.toFixed(1)} ms`;
}

function why(ev) {
  ev.preventDefault();
  const r = ask({ policy: editor.getValue(), why: { From: $("why-from").value, To: $("why-to").value, Port: $("why-port").value } });
  $("why").textContent = r.why || "(fix the errors first)";
}

function start() {
  editor = CodeMirror($("editor"), { value: initial(), lineNumbers: true });
  window.editor = editor;
  let timer;
  editor.on("change", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  document.querySelectorAll("nav button").forEach((b) =>
    b.addEventListener("click", () => {
      document.querySelectorAll("nav button, .tab").forEach((e) => e.classList.remove("on"));
      b.classList.add("on");
      $("tab-" + b.dataset.tab).classList.add("on");
    }),
  );
  $("whyform").addEventListener("submit", why);
  $("share").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(location.href));
  update();
  document.body.dataset.ready = "1";
}

const go = new Go();
WebAssembly.instantiateStreaming(fetch("sgc.wasm"), go.importObject).then((r) => {
  go.run(r.instance);
  start();
});
