// Package lsp is sgc's language server: diagnostics as you type (the
// codes, ranges and hints of sgc check, lint findings included), hover,
// go to definition, references, rename, completion, formatting and code
// actions, over JSON-RPC on a stream (sgc lsp: standard input and output).
//
// It builds on the loader and the model, never a second parser: a policy
// directory is one unit, compiled from the files on disk with the
// editor's buffers over them. A change schedules a rebuild of its
// directory after a short pause and returns at once; requests answer from
// the latest build, rebuilding first only when their own document changed.
//
// The JSON-RPC transport is github.com/sourcegraph/jsonrpc2, maintained
// and used by many language servers; the protocol's types sgc uses are in
// protocol.go.
package lsp

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/load"
)

// Debounce is how long after the last change a directory is rebuilt and
// its diagnostics published.
var Debounce = 150 * time.Millisecond

// Options configure a server.
type Options struct {
	// Now judges expiry (zero: today).
	Now time.Time
}

// Server is one editor's session.
type Server struct {
	opts Options
	conn *jsonrpc2.Conn

	mu        sync.Mutex
	docs      map[string]*document // by path
	snapshots map[string]*snapshot // by directory
	timers    map[string]*time.Timer
	published map[string]bool // paths that were last published with diagnostics
}

// document is a buffer the editor has open.
type document struct {
	path    string
	text    string
	version int
}

// snapshot is a directory's policy as last built.
type snapshot struct {
	dir    string
	policy *load.Policy
	texts  map[string]string // file -> text it was built from
	stale  bool              // a buffer of the directory changed since
}

// Serve runs a server on rwc until the client exits or the stream ends.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	s := &Server{opts: opts, docs: map[string]*document{}, snapshots: map[string]*snapshot{}, timers: map[string]*time.Timer{}, published: map[string]bool{}}
	h := jsonrpc2.HandlerWithError(s.handle)
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rwc, jsonrpc2.VSCodeObjectCodec{}), h)
	select {
	case <-ctx.Done():
		s.conn.Close()
		return ctx.Err()
	case <-s.conn.DisconnectNotify():
		return nil
	}
}

func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	params := func(v any) error {
		if req.Params == nil {
			return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "no params"}
		}
		if err := json.Unmarshal(*req.Params, v); err != nil {
			return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: err.Error()}
		}
		return nil
	}
	switch req.Method {
	case "initialize":
		return map[string]any{
			"capabilities": map[string]any{
				"positionEncoding":           "utf-16",
				"textDocumentSync":           map[string]any{"openClose": true, "change": 1, "save": true},
				"hoverProvider":              true,
				"definitionProvider":         true,
				"referencesProvider":         true,
				"renameProvider":             true,
				"documentFormattingProvider": true,
				"codeActionProvider":         map[string]any{"codeActionKinds": []string{"quickfix"}},
				"completionProvider":         map[string]any{"triggerCharacters": []string{"/", " "}},
			},
			"serverInfo": map[string]any{"name": "sgc"},
		}, nil
	case "initialized", "$/cancelRequest", "workspace/didChangeConfiguration", "$/setTrace":
		return nil, nil
	case "shutdown":
		return nil, nil // nothing to flush: exit ends the session
	case "exit":
		conn.Close()
		return nil, nil
	case "textDocument/didOpen":
		var p struct {
			TextDocument TextDocumentItem `json:"textDocument"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		s.change(p.TextDocument.URI, p.TextDocument.Text, p.TextDocument.Version)
		return nil, nil
	case "textDocument/didChange":
		var p struct {
			TextDocument struct {
				URI     string `json:"uri"`
				Version int    `json:"version"`
			} `json:"textDocument"`
			ContentChanges []struct {
				Text string `json:"text"`
			} `json:"contentChanges"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		if n := len(p.ContentChanges); n > 0 { // full sync: the last is the document
			s.change(p.TextDocument.URI, p.ContentChanges[n-1].Text, p.TextDocument.Version)
		}
		return nil, nil
	case "textDocument/didSave":
		return nil, nil
	case "textDocument/didClose":
		var p struct {
			TextDocument TextDocumentIdentifier `json:"textDocument"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		path := pathOf(p.TextDocument.URI)
		s.mu.Lock()
		delete(s.docs, path)
		s.mu.Unlock()
		s.schedule(filepath.Dir(path))
		return nil, nil
	case "textDocument/hover":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.hover(p)
	case "textDocument/definition":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.definition(p)
	case "textDocument/references":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.references(p)
	case "textDocument/rename":
		var p struct {
			TextDocumentPositionParams
			NewName string `json:"newName"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.rename(p.TextDocumentPositionParams, p.NewName)
	case "textDocument/completion":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.completion(p)
	case "textDocument/formatting":
		var p struct {
			TextDocument TextDocumentIdentifier `json:"textDocument"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.formatting(p.TextDocument.URI)
	case "textDocument/codeAction":
		var p struct {
			TextDocument TextDocumentIdentifier `json:"textDocument"`
			Range        Range                  `json:"range"`
			Context      struct {
				Diagnostics []Diagnostic `json:"diagnostics"`
			} `json:"context"`
		}
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.codeActions(p.TextDocument.URI, p.Context.Diagnostics)
	}
	if req.Notif {
		return nil, nil
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: req.Method}
}

// change records a buffer's text and schedules its directory's rebuild.
func (s *Server) change(uri, text string, version int) {
	path := pathOf(uri)
	if path == "" {
		return
	}
	s.mu.Lock()
	s.docs[path] = &document{path: path, text: text, version: version}
	if snap := s.snapshots[filepath.Dir(path)]; snap != nil {
		snap.stale = true
	}
	s.mu.Unlock()
	s.schedule(filepath.Dir(path))
}

// schedule rebuilds dir after Debounce, unless another change comes first.
func (s *Server) schedule(dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timers[dir]; t != nil {
		t.Stop()
	}
	s.timers[dir] = time.AfterFunc(Debounce, func() {
		snap := s.build(dir)
		s.publish(snap)
	})
}

// snapshotFor returns the build of the directory of path, rebuilding it
// first when one of its buffers changed since.
func (s *Server) snapshotFor(path string) *snapshot {
	dir := filepath.Dir(path)
	s.mu.Lock()
	snap := s.snapshots[dir]
	s.mu.Unlock()
	if snap == nil || snap.stale {
		snap = s.build(dir)
	}
	return snap
}

// build compiles and lints dir's policy: its *.intent files from disk,
// the open buffers over them.
func (s *Server) build(dir string) *snapshot {
	srcs := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), load.Ext) {
			path := filepath.Join(dir, e.Name())
			if data, err := fsutil.ReadRegular(path, limits.IntentFile); err == nil {
				srcs[path] = data
			}
		}
	}
	s.mu.Lock()
	for path, d := range s.docs {
		if filepath.Dir(path) == dir {
			srcs[path] = []byte(d.text)
		}
	}
	s.mu.Unlock()
	cfg := config.Default()
	if data, err := fsutil.ReadRegular(filepath.Join(dir, config.FileName), limits.ConfigFile); err == nil {
		cfg, _ = config.Parse(filepath.Join(dir, config.FileName), data)
	}
	now := s.opts.Now
	if now.IsZero() {
		now = compiler.Today()
	}
	p := load.FromSourcesConfig(srcs, compiler.Options{Now: now}, cfg)
	p.RunLint()
	snap := &snapshot{dir: dir, policy: p, texts: map[string]string{}}
	for path, data := range srcs {
		snap.texts[path] = string(data)
	}
	s.mu.Lock()
	s.snapshots[dir] = snap
	s.mu.Unlock()
	return snap
}

// publish sends the diagnostics of every file of a build: those with none
// too, once, so that the editor clears what it showed.
func (s *Server) publish(snap *snapshot) {
	byFile := map[string][]Diagnostic{}
	for _, d := range snap.policy.Diags {
		path := d.Subject.Start.Filename
		if _, ours := snap.texts[path]; !ours {
			continue
		}
		byFile[path] = append(byFile[path], toDiagnostic(snap.texts[path], d))
	}
	paths := make([]string, 0, len(snap.texts))
	for path := range snap.texts {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		diags := byFile[path]
		s.mu.Lock()
		had := s.published[path]
		s.published[path] = len(diags) > 0
		var version *int
		if d := s.docs[path]; d != nil {
			v := d.version
			version = &v
		}
		s.mu.Unlock()
		if len(diags) == 0 && !had {
			continue
		}
		if diags == nil {
			diags = []Diagnostic{}
		}
		s.conn.Notify(context.Background(), "textDocument/publishDiagnostics", PublishDiagnosticsParams{URI: uriOf(path), Version: version, Diagnostics: diags})
	}
}

// fileAt returns the syntax tree and text of path in snap.
func (snap *snapshot) fileAt(path string) (*ast.File, string) {
	for _, f := range snap.policy.Files {
		if f.Name == path {
			return f, snap.texts[path]
		}
	}
	return nil, ""
}

// pathOf turns a file URI into a path ("" for another scheme).
func pathOf(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.Clean(u.Path)
}

// uriOf turns a path into a file URI.
func uriOf(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
