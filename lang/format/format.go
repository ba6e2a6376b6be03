// Package format prints intent files in their one canonical layout, the
// way gofmt does for Go: one statement per line, the cells of statements
// of one kind aligned into columns within a block (a run of lines without
// a blank line), trailing comments aligned after them, comments kept, runs
// of blank lines folded to one. Statements continued over several lines
// are joined; comments written inside them move above them.
//
// Formatting is idempotent: formatting its own output changes nothing.
package format

import (
	"bytes"
	"strings"

	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/parser"
)

// Source parses and formats one file. When the file has syntax errors it
// returns them and no output: a file that does not parse has no canonical
// form.
func Source(filename string, src []byte) ([]byte, diag.List) {
	f, diags := parser.ParseFile(filename, src)
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	return File(f), nil
}

// line is one output line: a statement split into cells, or a comment.
type line struct {
	class    string   // which statements align with each other; "" for comments
	cells    []string // the last cell is never padded
	trailing string   // a trailing comment
	blank    bool     // a blank line before this one
}

// File formats a parsed file. It must not contain BadStmts.
func File(f *ast.File) []byte {
	var lines []line
	prevEnd := 0 // last line number written, to find blank lines
	for _, s := range f.Stmts {
		blank := prevEnd > 0 && s.Range().Start.Line > prevEnd+1
		base := s.Base()
		for _, c := range base.Inner {
			lines = append(lines, line{cells: []string{c.Text}, blank: blank})
			blank = false
		}
		l := stmtLine(s)
		if len(base.In) > 0 {
			names := make([]string, len(base.In))
			for i, id := range base.In {
				names[i] = id.Name
			}
			l.cells[len(l.cells)-1] += " in " + strings.Join(names, ", ")
		}
		l.blank = blank
		if base.Trailing != nil {
			l.trailing = base.Trailing.Text
		}
		lines = append(lines, l)
		prevEnd = s.Range().End.Line
		if base.Trailing != nil && base.Trailing.Pos.Line > prevEnd {
			prevEnd = base.Trailing.Pos.Line
		}
	}

	var out bytes.Buffer
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && !lines[end].blank {
			end++
		}
		if start > 0 {
			out.WriteByte('\n')
		}
		writeBlock(&out, lines[start:end])
		start = end
	}
	return out.Bytes()
}

// writeBlock aligns the cells of each class of statement in the block, then
// the trailing comments of the whole block.
func writeBlock(out *bytes.Buffer, block []line) {
	widths := map[string][]int{}
	for _, l := range block {
		if l.class == "" {
			continue
		}
		w := widths[l.class]
		for i, c := range l.cells[:len(l.cells)-1] {
			if i >= len(w) {
				w = append(w, 0)
			}
			if len(c) > w[i] {
				w[i] = len(c)
			}
		}
		widths[l.class] = w
	}
	texts := make([]string, len(block))
	commentCol := 0
	for i, l := range block {
		var b strings.Builder
		for j, c := range l.cells {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c)
			if j < len(l.cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[l.class][j]-len(c)))
			}
		}
		texts[i] = strings.TrimRight(b.String(), " ")
		if l.trailing != "" && len(texts[i]) > commentCol {
			commentCol = len(texts[i])
		}
	}
	for i, l := range block {
		out.WriteString(texts[i])
		if l.trailing != "" {
			out.WriteString(strings.Repeat(" ", commentCol-len(texts[i])+1))
			out.WriteString(l.trailing)
		}
		out.WriteByte('\n')
	}
}

func stmtLine(s ast.Stmt) line {
	switch s := s.(type) {
	case *ast.Comment:
		return line{cells: []string{s.Text}}
	case *ast.Waiver:
		return line{cells: []string{s.Text}}
	case *ast.GroupDecl:
		last := s.Description.Raw
		if s.InternetFacing != nil {
			last += " internet-facing"
		}
		if s.LoadBalancer != nil {
			last += " load-balancer " + s.LoadBalancer.Text
		}
		if len(s.Formerly) > 0 {
			names := make([]string, len(s.Formerly))
			for i, f := range s.Formerly {
				names[i] = f.Name
			}
			last += " formerly " + strings.Join(names, ", ")
		}
		if len(s.AlsoIn) > 0 {
			vpcs := make([]string, len(s.AlsoIn))
			for i, v := range s.AlsoIn {
				vpcs[i] = v.Text
			}
			last += " also-in " + strings.Join(vpcs, ", ")
		}
		if s.Owner != nil {
			last += " owner " + s.Owner.Text
		}
		return line{class: "group", cells: []string{"group " + s.Name.Name, last}}
	case *ast.NetworkDecl:
		addrs := make([]string, len(s.Addresses))
		for i, a := range s.Addresses {
			addrs[i] = a.Text
		}
		return line{class: "decl", cells: []string{"network " + s.Name.Name, strings.Join(addrs, ", "), s.Description.Raw}}
	case *ast.PrefixListDecl:
		value := s.ID.Text
		if s.MaxEntries != nil {
			value += " max-entries " + s.MaxEntries.Text
		}
		return line{class: "decl", cells: []string{"prefix-list " + s.Name.Name, value, s.Description.Raw}}
	case *ast.ExternalDecl:
		value := ""
		if s.ID != nil {
			value = s.ID.Text
		}
		last := s.Description.Raw
		if s.Account != nil {
			last += " account " + s.Account.Text
		}
		if s.Via != nil {
			last += " via " + s.Via.Text
		}
		return line{class: "decl", cells: []string{"external " + s.Name.Name, value, last}}
	case *ast.InterfaceDecl:
		names := make([]string, len(s.Groups))
		for i, g := range s.Groups {
			names[i] = g.Name
		}
		return line{class: "decl", cells: []string{"interface " + s.Name.Name, strings.Join(names, ", "), s.Description.Raw}}
	case *ast.EnvironmentDecl:
		last := s.Description.Raw
		if s.Account != nil {
			last += " account " + s.Account.Text
		}
		if s.Region != nil {
			last += " region " + s.Region.Text
		}
		return line{class: "environment", cells: []string{"environment " + s.Name.Name, last}}
	case *ast.ServiceDecl:
		return line{class: "service", cells: []string{"service " + s.Name.Name, Ports(s.Ports)}}
	case *ast.Never:
		cells := []string{"never " + s.From.String(), "->", s.To.String()}
		if s.Ports != nil {
			cells = append(cells, Ports(s.Ports))
		}
		if len(s.Except) > 0 {
			names := make([]string, len(s.Except))
			for i, id := range s.Except {
				names[i] = id.Name
			}
			cells = append(cells, "except "+strings.Join(names, ", "))
		}
		// One cell: the optional parts leave nothing to align with the
		// never statements around it.
		return line{cells: []string{strings.Join(append(cells, "because "+s.Reason.Raw), " ")}}
	case *ast.Flow:
		last := "because " + s.Purpose.Raw
		if s.Until != nil {
			last += " until " + s.Until.Text
		}
		return line{class: "flow", cells: []string{s.From.Name, "->", s.To.Name, Ports(s.Ports), last}}
	}
	panic("format: cannot print a statement that did not parse")
}

// Ports prints a port list canonically: terms separated by ", ", except a
// bare port continuing the protocol before it, which follows a plain ","
// as in tcp/80,443.
func Ports(l *ast.PortList) string {
	var b strings.Builder
	for i, t := range l.Terms {
		if i > 0 {
			if t.Continued() {
				b.WriteByte(',')
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(t.Text)
	}
	return b.String()
}
