package lsp

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/lang/source"
)

// at is what a position in a document stands on.
type at struct {
	snap  *snapshot
	path  string
	text  string
	file  *ast.File
	stmt  ast.Stmt   // the statement holding the position, or nil
	ident *ast.Ident // the name at the position, or nil
}

func (s *Server) at(p TextDocumentPositionParams) *at {
	path := pathOf(p.TextDocument.URI)
	if path == "" {
		return nil
	}
	snap := s.snapshotFor(path)
	f, text := snap.fileAt(path)
	if f == nil {
		return nil
	}
	off := offset(text, p.Position)
	a := &at{snap: snap, path: path, text: text, file: f}
	for _, st := range f.Stmts {
		r := st.Range()
		if r.Start.Offset <= off && off <= r.End.Offset {
			a.stmt = st
			for _, id := range idents(st) {
				if id.Pos.Offset <= off && off <= id.EndPos.Offset {
					a.ident = id
				}
			}
		}
	}
	return a
}

// idents lists the names a statement writes: what it declares (former
// names and an interface's or environment's name included) and what it
// uses.
func idents(st ast.Stmt) []*ast.Ident {
	var out []*ast.Ident
	if d := ast.Declared(st); d != nil {
		out = append(out, d)
	}
	switch st := st.(type) {
	case *ast.GroupDecl:
		out = append(out, st.Formerly...)
	case *ast.InterfaceDecl:
		out = append(out, st.Name)
	case *ast.EnvironmentDecl:
		out = append(out, st.Name)
	}
	out = append(out, ast.Uses(st)...)
	return append(out, st.Base().In...)
}

// lookup finds what a name declares: an endpoint (an environment's group
// by its role name too), or a service.
func lookup(p *model.Program, name string) model.Endpoint {
	if e := p.LookupRole(name); e != nil {
		return e
	}
	for _, svc := range p.Services {
		if svc.Name == name {
			return svc
		}
	}
	return nil
}

func (s *Server) hover(p TextDocumentPositionParams) (*Hover, error) {
	a := s.at(p)
	if a == nil || a.stmt == nil {
		return nil, nil
	}
	prog := a.snap.policy.Program
	var md string
	var r source.Range
	switch {
	case a.ident != nil:
		if e := lookup(prog, a.ident.Name); e != nil {
			md = describeEndpoint(e)
			r = a.ident.Range()
		}
	}
	if md == "" {
		switch st := a.stmt.(type) {
		case *ast.Flow:
			if f := flowAt(prog, st); f != nil {
				md = describeFlow(prog, f, a.snap.policy.Config.Lint.Quota)
				r = st.Range()
			}
		case *ast.Never:
			if n := neverAt(prog, st); n != nil {
				md = describeNever(n)
				r = st.Range()
			}
		}
	}
	if md == "" {
		return nil, nil
	}
	rg := rangeOf(a.text, r)
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: md}, Range: &rg}, nil
}

func flowAt(p *model.Program, st *ast.Flow) *model.Flow {
	for _, f := range p.Flows {
		if f.Range.Start.Filename == st.Pos.Filename && f.Range.Start.Offset == st.Pos.Offset {
			return f
		}
	}
	return nil
}

func neverAt(p *model.Program, st *ast.Never) *model.Never {
	for _, n := range p.Nevers {
		if n.Range.Start.Filename == st.Pos.Filename && n.Range.Start.Offset == st.Pos.Offset {
			return n
		}
	}
	return nil
}

func describeEndpoint(e model.Endpoint) string {
	d := e.Declared()
	var b strings.Builder
	switch e := e.(type) {
	case *model.Group:
		fmt.Fprintf(&b, "**group** `%s` — %s", e.RoleName(), e.Description)
		if e.Role != "" {
			fmt.Fprintf(&b, "\n\nIn AWS: `%s`", e.Name)
		}
		var notes []string
		if e.InternetFacing {
			notes = append(notes, "internet-facing")
		}
		if e.LoadBalancer != "" {
			notes = append(notes, "load balancer: "+e.LoadBalancer)
		}
		if e.Owner != "" {
			notes = append(notes, "owner "+e.Owner)
		}
		if len(e.Formerly) > 0 {
			notes = append(notes, "formerly "+strings.Join(e.Formerly, ", "))
		}
		if len(notes) > 0 {
			b.WriteString("\n\n" + strings.Join(notes, " · "))
		}
	case *model.Network:
		fmt.Fprintf(&b, "**network** `%s` — %s\n\n", e.Name, e.Description)
		var blocks []string
		for _, c := range e.CIDRs {
			blocks = append(blocks, c.String())
		}
		b.WriteString(strings.Join(blocks, ", "))
	case *model.PrefixList:
		fmt.Fprintf(&b, "**prefix-list** `%s` — %s\n\n`%s`", e.Name, e.Description, e.ID)
		if e.MaxEntries > 0 {
			fmt.Fprintf(&b, ", max-entries %d", e.MaxEntries)
		}
	case *model.External:
		fmt.Fprintf(&b, "**external** `%s` — %s\n\n", e.Name, e.Description)
		if e.ID != "" {
			fmt.Fprintf(&b, "`%s`", e.Reference())
		} else {
			b.WriteString("its id is an input of the generated code")
		}
	case *model.Service:
		fmt.Fprintf(&b, "**service** `%s`\n\n%s", e.Name, model.PortsString(e.Ports))
	default:
		fmt.Fprintf(&b, "`%s`", d.Name)
	}
	if d.NameRange.Start.Filename != "" {
		fmt.Fprintf(&b, "\n\ndeclared at %s:%d", shortName(d.NameRange.Start.Filename), d.NameRange.Start.Line)
	}
	return b.String()
}

func shortName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// describeFlow says what a flow becomes in AWS: its rules (both halves of
// a flow between groups), its purpose and expiry, and what it costs of
// each group's quota.
func describeFlow(p *model.Program, f *model.Flow, quota int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**flow** `%s`\n\nbecause %q", f.Key(), f.Purpose)
	if !f.Until.IsZero() {
		fmt.Fprintf(&b, "\n\nuntil %s (%s)", f.Until.Format("2006-01-02"), statusName(f.Status))
	}
	type side struct {
		g *model.Group
		d model.Direction
	}
	var rules []string
	cost := map[side]int{}
	for _, r := range p.Rules {
		if r.Flow == f {
			rules = append(rules, fmt.Sprintf("- %s on `%s` %s %s, %s", r.Direction, r.Group.Name, towards(r.Direction), peerText(r.Peer), r.Port))
			cost[side{r.Group, r.Direction}] = 0
		}
	}
	if len(rules) == 0 {
		b.WriteString("\n\nNo AWS rule (expired, or nothing to emit).")
		return b.String()
	}
	for _, r := range p.Rules {
		if _, ok := cost[side{r.Group, r.Direction}]; ok {
			cost[side{r.Group, r.Direction}]++
		}
	}
	b.WriteString("\n\nAWS rules:\n" + strings.Join(rules, "\n"))
	var quotas []string
	for sd, n := range cost {
		quotas = append(quotas, fmt.Sprintf("`%s` %s %d of %d", sd.g.Name, sd.d, n, quota))
	}
	sort.Strings(quotas)
	b.WriteString("\n\nRules per group and direction: " + strings.Join(quotas, "; "))
	return b.String()
}

func statusName(s model.Status) string {
	switch s {
	case model.Expired:
		return "expired"
	case model.Expiring:
		return "expiring"
	}
	return "active"
}

func towards(d model.Direction) string {
	if d == model.Ingress {
		return "from"
	}
	return "to"
}

func peerText(p model.Peer) string {
	switch p.Kind {
	case model.PeerCIDR:
		return "`" + p.CIDR.String() + "`"
	case model.PeerGroup:
		return "group `" + p.Group.Name + "`"
	case model.PeerPrefixList:
		return "prefix list `" + p.PrefixList.Name + "`"
	case model.PeerExternal:
		return "group `" + p.External.Name + "`"
	}
	return p.Key()
}

// describeNever says what a never's sides match.
func describeNever(n *model.Never) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**never** `%s -> %s`\n\nbecause %q", n.From.String(), n.To.String(), n.Reason)
	side := func(title string, sel model.Selector) {
		var names []string
		if sel.Endpoint != nil {
			names = append(names, sel.Endpoint.Declared().Name)
		}
		for _, g := range sel.Groups {
			names = append(names, g.Name)
		}
		for _, e := range sel.Others {
			names = append(names, e.Declared().Name)
		}
		more := ""
		if len(names) > 20 {
			more = fmt.Sprintf(" and %d more", len(names)-20)
			names = names[:20]
		}
		fmt.Fprintf(&b, "\n\n%s: %s%s", title, strings.Join(names, ", "), more)
	}
	side("From", n.From)
	side("To", n.To)
	return b.String()
}

func (s *Server) definition(p TextDocumentPositionParams) (*Location, error) {
	a := s.at(p)
	if a == nil || a.ident == nil {
		return nil, nil
	}
	e := lookup(a.snap.policy.Program, a.ident.Name)
	if e == nil {
		return nil, nil
	}
	return a.snap.location(e.Declared().NameRange), nil
}

func (snap *snapshot) location(r source.Range) *Location {
	text, ok := snap.texts[r.Start.Filename]
	if !ok {
		return nil
	}
	return &Location{URI: uriOf(r.Start.Filename), Range: rangeOf(text, r)}
}

// uses lists every place the name is written in the directory's files,
// its declaration included.
func (snap *snapshot) uses(name string) []*ast.Ident {
	var out []*ast.Ident
	for _, f := range snap.policy.Files {
		for _, st := range f.Stmts {
			for _, id := range idents(st) {
				if id.Name == name {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

func (s *Server) references(p TextDocumentPositionParams) ([]Location, error) {
	a := s.at(p)
	if a == nil || a.ident == nil {
		return nil, nil
	}
	out := []Location{}
	for _, id := range a.snap.uses(a.ident.Name) {
		if l := a.snap.location(id.Range()); l != nil {
			out = append(out, *l)
		}
	}
	return out, nil
}

func (s *Server) rename(p TextDocumentPositionParams, newName string) (*WorkspaceEdit, error) {
	a := s.at(p)
	if a == nil || a.ident == nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "no name at this position"}
	}
	if !ast.ValidName(newName) || ast.Reserved[newName] {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("%q is not a name: a letter, then letters, digits, -, _ and .", newName)}
	}
	if lookup(a.snap.policy.Program, newName) != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("%s is declared already", newName)}
	}
	edit := &WorkspaceEdit{Changes: map[string][]TextEdit{}}
	for _, id := range a.snap.uses(a.ident.Name) {
		if l := a.snap.location(id.Range()); l != nil {
			edit.Changes[l.URI] = append(edit.Changes[l.URI], TextEdit{Range: l.Range, NewText: newName})
		}
	}
	return edit, nil
}

// keywords are the language's words, for completion.
var keywords = []string{"group", "network", "prefix-list", "external", "service", "interface", "environment", "never",
	"because", "until", "except", "in", "internet-facing", "formerly", "also-in", "owner", "load-balancer",
	"max-entries", "account", "via", "region", "internet"}

// commonPorts are offered as they are written most.
var commonPorts = []string{"all", "tcp/22", "tcp/80", "tcp/443", "tcp/3306", "tcp/5432", "tcp/6379", "tcp/8080", "udp/53", "udp/123",
	"tcp/", "udp/", "icmp/", "icmpv6/", "proto/"}

func (s *Server) completion(p TextDocumentPositionParams) ([]CompletionItem, error) {
	path := pathOf(p.TextDocument.URI)
	if path == "" {
		return nil, nil
	}
	snap := s.snapshotFor(path)
	prog := snap.policy.Program
	var items []CompletionItem
	seen := map[string]bool{}
	add := func(label string, kind int, detail string) {
		if !seen[label] {
			seen[label] = true
			items = append(items, CompletionItem{Label: label, Kind: kind, Detail: detail})
		}
	}
	for _, g := range prog.Groups {
		add(g.RoleName(), kindClass, "group: "+g.Description)
	}
	for _, n := range prog.Networks {
		add(n.Name, kindVariable, "network: "+n.Description)
	}
	for _, l := range prog.PrefixLists {
		add(l.Name, kindVariable, "prefix-list: "+l.Description)
	}
	for _, x := range prog.Externals {
		add(x.Name, kindVariable, "external: "+x.Description)
	}
	for _, svc := range prog.Services {
		add(svc.Name, kindValue, "service: "+model.PortsString(svc.Ports))
	}
	for _, k := range keywords {
		add(k, kindKeyword, "")
	}
	for _, port := range commonPorts {
		add(port, kindValue, "port")
	}
	icmp := compiler.ICMPNames()
	for _, proto := range []string{"icmp", "icmpv6"} {
		for _, name := range icmp[proto] {
			add(proto+"/"+name, kindValue, "ICMP type")
		}
	}
	return items, nil
}

func (s *Server) formatting(uri string) ([]TextEdit, error) {
	path := pathOf(uri)
	snap := s.snapshotFor(path)
	text, ok := snap.texts[path]
	if !ok {
		return nil, nil
	}
	out, diags := format.Source(path, []byte(text))
	if diags.HasErrors() || string(out) == text {
		return []TextEdit{}, nil // a file that does not parse is left as it is
	}
	return []TextEdit{{Range: Range{End: position(text, len(text))}, NewText: string(out)}}, nil
}

// codeActions offers, for the diagnostics the editor sends: the
// did-you-mean's name; a waiver skeleton for a lint finding; a later date
// for a flow about to expire, or expired.
func (s *Server) codeActions(uri string, diags []Diagnostic) ([]CodeAction, error) {
	path := pathOf(uri)
	snap := s.snapshotFor(path)
	f, text := snap.fileAt(path)
	out := []CodeAction{}
	if f == nil {
		return out, nil
	}
	now := s.opts.Now
	if now.IsZero() {
		now = compiler.Today()
	}
	later := now.Add(90 * 24 * time.Hour).Format("2006-01-02")
	edit := func(r Range, text string) *WorkspaceEdit {
		return &WorkspaceEdit{Changes: map[string][]TextEdit{uri: {{Range: r, NewText: text}}}}
	}
	for _, d := range diags {
		if d.Data != nil && d.Data.Replace != "" {
			out = append(out, CodeAction{Title: fmt.Sprintf("Replace with %s", d.Data.Replace), Kind: "quickfix", Diagnostics: []Diagnostic{d}, Edit: edit(d.Range, d.Data.Replace)})
		}
		flow := flowStmtAt(f, offset(text, d.Range.Start))
		if flow == nil {
			continue
		}
		lineStart := Position{Line: position(text, flow.Pos.Offset).Line}
		if strings.HasPrefix(d.Code, "SG") && d.Code != "SG190" {
			waiver := fmt.Sprintf("# sgc:waive %s until %s because \"why this finding is acceptable\"\n", d.Code, later)
			out = append(out, CodeAction{Title: fmt.Sprintf("Waive %s for this flow until %s", d.Code, later), Kind: "quickfix",
				Diagnostics: []Diagnostic{d}, Edit: edit(Range{Start: lineStart, End: lineStart}, waiver)})
		}
		if (d.Code == "SG108" || d.Code == compiler.ExpiredFlow) && flow.Until != nil {
			out = append(out, CodeAction{Title: fmt.Sprintf("Extend the flow until %s", later), Kind: "quickfix",
				Diagnostics: []Diagnostic{d}, Edit: edit(rangeOf(text, flow.Until.Range()), later)})
		}
	}
	return out, nil
}

func flowStmtAt(f *ast.File, off int) *ast.Flow {
	for _, st := range f.Stmts {
		if fl, ok := st.(*ast.Flow); ok && fl.Pos.Offset <= off && off <= fl.EndPos.Offset {
			return fl
		}
	}
	return nil
}
