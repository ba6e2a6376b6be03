// The client: starts `sgc lsp` (sgc.path, default sgc on the PATH) for
// .intent files. Everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("sgc").get("path", "sgc");
  client = new LanguageClient(
    "sgc",
    "sgc",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "sgc" }] },
  );
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
