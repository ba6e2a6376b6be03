// Package api is what the playground's page asks of sgc, compiled to
// WebAssembly (cmd/sgc-wasm): check a policy, build it for a target, draw
// it, answer a why query. It is plain Go on values, so its tests run
// natively; the wasm main only carries JSON across.
package api

import (
	"strings"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

// MaxPolicy bounds the text the page sends: a playground policy is small,
// and a huge one would only freeze the tab.
const MaxPolicy = 1 << 20

// Request is one question of the page.
type Request struct {
	Policy string `json:"policy"`           // the text of policy.intent
	Target string `json:"target,omitempty"` // terraform or cloudformation: build
	Why    *Why   `json:"why,omitempty"`
}

// Why is a why query: may From reach To on Port?
type Why struct {
	From, To, Port string
}

// Response is the answer: the diagnostics always; the output, the graph
// and the why answer when the policy has no errors.
type Response struct {
	Diagnostics []Diagnostic `json:"diagnostics"`
	Files       []File       `json:"files"`
	Graph       string       `json:"graph"`
	Why         string       `json:"why"`
	Error       string       `json:"error,omitempty"`
}

// Diagnostic is a finding at a line and column (1-based, columns in bytes
// as sgc check prints them; the page converts).
type Diagnostic struct {
	Line, Col, EndLine, EndCol int
	Severity, Code, Message    string
}

// File is one file of the output.
type File struct {
	Path string `json:"path"`
	Data string `json:"data"`
}

// Handle answers a request.
func Handle(req Request) Response {
	resp := Response{Diagnostics: []Diagnostic{}, Files: []File{}}
	if len(req.Policy) > MaxPolicy {
		resp.Error = "the policy is larger than the playground takes (1 MiB)"
		return resp
	}
	p := load.FromSources(map[string][]byte{"policy.intent": []byte(req.Policy)}, compiler.Options{})
	p.RunLint()
	for _, d := range p.Diags {
		msg := d.Summary
		if d.Suggestion != "" {
			msg += ". " + d.Suggestion
		}
		resp.Diagnostics = append(resp.Diagnostics, Diagnostic{Line: d.Subject.Start.Line, Col: d.Subject.Start.Column,
			EndLine: d.Subject.End.Line, EndCol: d.Subject.End.Column, Severity: d.Severity.String(), Code: d.Code, Message: msg})
	}
	if p.Diags.HasErrors() {
		return resp
	}
	prog := p.Program
	if req.Target != "" {
		t := targets.Find(req.Target)
		if t == nil {
			resp.Error = "unknown target " + req.Target
			return resp
		}
		files, diags := t.Emit(prog, emit.Options{})
		if diags.HasErrors() {
			resp.Error = firstError(diags)
			return resp
		}
		for _, f := range files {
			resp.Files = append(resp.Files, File{Path: f.Path, Data: string(f.Data)})
		}
	}
	if g, err := review.Mermaid(prog, review.GraphOptions{}); err == nil {
		resp.Graph = g
	}
	if w := req.Why; w != nil && w.From != "" && w.To != "" && w.Port != "" {
		resp.Why = why(p, w)
	}
	return resp
}

func firstError(l diag.List) string {
	for _, d := range l {
		if d.Severity == diag.Error {
			return d.Summary
		}
	}
	return ""
}

func why(p *load.Policy, w *Why) string {
	src, err := review.ParseParty(p.Program, w.From)
	if err != nil {
		return "source: " + err.Error()
	}
	dst, err := review.ParseParty(p.Program, w.To)
	if err != nil {
		return "destination: " + err.Error()
	}
	ports, diags := load.ParsePorts(w.Port)
	if diags.HasErrors() || len(ports) == 0 {
		return "port: write it as in intent files, such as tcp/443"
	}
	var b strings.Builder
	review.Why(p.Program, src, dst, ports).WriteText(&b)
	return b.String()
}
