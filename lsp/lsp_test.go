package lsp

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/sgc-dev/sgc/internal/testkit"
)

// client is the editor of the tests: it speaks JSON-RPC to a server over
// a pipe, as gopls's tests do, and keeps the diagnostics it is sent.
type client struct {
	t     *testing.T
	conn  *jsonrpc2.Conn
	diags chan PublishDiagnosticsParams
}

func start(t *testing.T) *client {
	t.Helper()
	Debounce = 20 * time.Millisecond
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		Serve(ctx, a, Options{Now: testkit.Now})
		close(done)
	}()
	c := &client{t: t, diags: make(chan PublishDiagnosticsParams, 64)}
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(b, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method == "textDocument/publishDiagnostics" {
				var p PublishDiagnosticsParams
				json.Unmarshal(*req.Params, &p)
				c.diags <- p
			}
			return nil, nil
		}))
	t.Cleanup(func() {
		c.conn.Call(context.Background(), "shutdown", nil, nil)
		c.conn.Notify(context.Background(), "exit", nil)
		cancel()
		<-done
	})
	var init map[string]any
	c.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &init)
	if _, ok := init["capabilities"]; !ok {
		t.Fatalf("initialize: %v", init)
	}
	c.conn.Notify(context.Background(), "initialized", map[string]any{})
	return c
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	if err := c.conn.Call(context.Background(), method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// waitDiags returns the next diagnostics published for uri.
func (c *client) waitDiags(uri string) []Diagnostic {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if p.URI == uri {
				return p.Diagnostics
			}
		case <-timeout:
			c.t.Fatalf("no diagnostics for %s", uri)
		}
	}
}

func pos(uri string, line, char int) TextDocumentPositionParams {
	return TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: uri}, Position: Position{Line: line, Character: char}}
}

const netIntent = `group web "Web servers"
group db "Order database"
network office 203.0.113.0/24 "Head office"
service pg tcp/5432
`

const flowsIntent = `web -> db pg because "the web servers store orders"
office -> web tcp/22 because "administrators log in" until 2026-06-05
never internet -> db because "the data stays inside"
`

// TestServer drives every method the server offers through one session,
// on a policy of two files, one on disk and one in the editor's buffer.
func TestServer(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "net.intent"), []byte(netIntent), 0o644)
	flowsPath := filepath.Join(dir, "flows.intent")
	os.WriteFile(flowsPath, []byte("# not yet saved\n"), 0o644)
	c := start(t)
	uri := uriOf(flowsPath)
	netURI := uriOf(filepath.Join(dir, "net.intent"))

	// A typo: the diagnostics come as sgc check gives them, with a fix.
	typo := strings.Replace(flowsIntent, "web -> db pg", "web -> dbb pg", 1)
	c.conn.Notify(context.Background(), "textDocument/didOpen", map[string]any{"textDocument": TextDocumentItem{URI: uri, LanguageID: "sgc", Version: 1, Text: typo}})
	ds := c.waitDiags(uri)
	if len(ds) == 0 || ds[0].Code != "UnknownName" || ds[0].Range != (Range{Start: Position{0, 7}, End: Position{0, 10}}) || ds[0].Data == nil || ds[0].Data.Replace != "db" {
		t.Fatalf("diagnostics of the typo: %+v", ds)
	}
	var actions []CodeAction
	c.call("textDocument/codeAction", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}, "range": ds[0].Range,
		"context": map[string]any{"diagnostics": ds[:1]}}, &actions)
	if len(actions) == 0 || actions[0].Title != "Replace with db" || actions[0].Edit.Changes[uri][0].NewText != "db" {
		t.Fatalf("code actions for the typo: %+v", actions)
	}

	// Fixed: the error goes; the lint findings stay (the expiring flow).
	c.conn.Notify(context.Background(), "textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": flowsIntent}}})
	ds = c.waitDiags(uri)
	var expiring *Diagnostic
	for i, d := range ds {
		if d.Severity == 1 {
			t.Errorf("an error after the fix: %+v", d)
		}
		if d.Code == "SG108" {
			expiring = &ds[i]
		}
	}
	if expiring == nil {
		t.Fatalf("no SG108 for the flow about to expire: %+v", ds)
	}
	c.call("textDocument/codeAction", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}, "range": expiring.Range,
		"context": map[string]any{"diagnostics": []Diagnostic{*expiring}}}, &actions)
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
	}
	if got := strings.Join(titles, "|"); got != "Waive SG108 for this flow until 2026-08-30|Extend the flow until 2026-08-30" {
		t.Errorf("code actions of SG108: %s", got)
	}
	if e := actions[0].Edit.Changes[uri][0]; e.Range.Start != (Position{1, 0}) || !strings.HasPrefix(e.NewText, "# sgc:waive SG108 until 2026-08-30 because") {
		t.Errorf("waiver skeleton: %+v", e)
	}
	if e := actions[1].Edit.Changes[uri][0]; e.Range != (Range{Start: Position{1, 59}, End: Position{1, 69}}) {
		t.Errorf("extend: %+v", e)
	}

	// Hover: a name, a flow (its AWS rules and quota), a never.
	var h Hover
	c.call("textDocument/hover", pos(uri, 0, 8), &h)
	if !strings.Contains(h.Contents.Value, "**group** `db` — Order database") || !strings.Contains(h.Contents.Value, "declared at net.intent:2") {
		t.Errorf("hover on db: %q", h.Contents.Value)
	}
	c.call("textDocument/hover", pos(uri, 0, 20), &h)
	for _, want := range []string{"**flow** `web -> db tcp/5432`", "ingress on `db` from group `web`, tcp/5432", "egress on `web` to group `db`, tcp/5432", "`db` ingress 1 of 60"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on the flow lacks %q: %q", want, h.Contents.Value)
		}
	}
	c.call("textDocument/hover", pos(uri, 1, 40), &h)
	if !strings.Contains(h.Contents.Value, "until 2026-06-05 (expiring)") {
		t.Errorf("hover on the temporary flow: %q", h.Contents.Value)
	}
	c.call("textDocument/hover", pos(uri, 2, 2), &h)
	if !strings.Contains(h.Contents.Value, "**never** `internet -> db`") || !strings.Contains(h.Contents.Value, "To: db") {
		t.Errorf("hover on the never: %q", h.Contents.Value)
	}

	// Definition and references, across the two files.
	var loc Location
	c.call("textDocument/definition", pos(uri, 0, 1), &loc)
	if loc.URI != netURI || loc.Range != (Range{Start: Position{0, 6}, End: Position{0, 9}}) {
		t.Errorf("definition of web: %+v", loc)
	}
	var refs []Location
	c.call("textDocument/references", pos(netURI, 0, 7), &refs)
	if len(refs) != 3 {
		t.Errorf("references of web: %+v", refs)
	}

	// Rename, every file; a name taken or malformed is refused.
	var we WorkspaceEdit
	c.call("textDocument/rename", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}, "position": Position{0, 1}, "newName": "web-servers"}, &we)
	if len(we.Changes[uri]) != 2 || len(we.Changes[netURI]) != 1 || we.Changes[netURI][0].NewText != "web-servers" {
		t.Errorf("rename: %+v", we)
	}
	for _, bad := range []string{"db", "2web", "tcp"} {
		err := c.conn.Call(context.Background(), "textDocument/rename", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}, "position": Position{0, 1}, "newName": bad}, &we)
		if err == nil {
			t.Errorf("rename to %q was not refused", bad)
		}
	}

	// Completion: names, keywords, ports, ICMP names.
	var items []CompletionItem
	c.call("textDocument/completion", pos(uri, 3, 0), &items)
	labels := map[string]bool{}
	for _, it := range items {
		labels[it.Label] = true
	}
	for _, want := range []string{"web", "office", "pg", "because", "never", "tcp/443", "icmp/echo-request", "icmpv6/packet-too-big"} {
		if !labels[want] {
			t.Errorf("completion lacks %q", want)
		}
	}

	// Formatting: the buffer in sgc fmt's layout.
	c.conn.Notify(context.Background(), "textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"text": "web  ->   db pg because \"the web servers store orders\"\n"}}})
	var edits []TextEdit
	c.call("textDocument/formatting", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}, "options": map[string]any{}}, &edits)
	if len(edits) != 1 || edits[0].NewText != "web -> db pg because \"the web servers store orders\"\n" {
		t.Errorf("formatting: %+v", edits)
	}

	// Closing a buffer with an error: the file on disk counts again, and
	// its diagnostics are what the disk says (none).
	c.conn.Notify(context.Background(), "textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 4},
		"contentChanges": []map[string]any{{"text": typo}}})
	for len(c.waitDiags(uri)) == 0 { // the clean version's empty list may come first
	}
	c.conn.Notify(context.Background(), "textDocument/didClose", map[string]any{"textDocument": TextDocumentIdentifier{URI: uri}})
	if ds := c.waitDiags(uri); len(ds) != 0 {
		t.Errorf("after close: %+v", ds)
	}
}

// TestPositionsUTF16: positions count UTF-16 code units, as LSP does.
func TestPositionsUTF16(t *testing.T) {
	text := "# é 😀 x\nweb -> db\n"
	for _, tc := range []struct {
		off int
		p   Position
	}{{0, Position{0, 0}}, {strings.Index(text, "é"), Position{0, 2}}, {strings.Index(text, "😀"), Position{0, 4}},
		{strings.Index(text, "x"), Position{0, 7}}, {strings.Index(text, "db"), Position{1, 7}}} {
		if got := position(text, tc.off); got != tc.p {
			t.Errorf("position(%d) = %+v, want %+v", tc.off, got, tc.p)
		}
		if got := offset(text, tc.p); got != tc.off {
			t.Errorf("offset(%+v) = %d, want %d", tc.p, got, tc.off)
		}
	}
}
