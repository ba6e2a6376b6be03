package parser_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestGolden parses in.intent and compares the statements (kind and
// extent, and the decoded parts of port terms) and the diagnostics.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		src := golden.Input(a, "in.intent")
		f, diags := parser.ParseFile("in.intent", src)
		diags.Sort()
		var d strings.Builder
		diag.Fprint(&d, source.Files{"in.intent": {Name: "in.intent", Src: src}}, diags)
		return map[string]string{"diagnostics": d.String(), "ast": dump(f)}
	})
}

func span(n ast.Node) string {
	r := n.Range()
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

func dump(f *ast.File) string {
	var b strings.Builder
	for _, s := range f.Stmts {
		fmt.Fprintf(&b, "%s %T", span(s), s)
		switch s := s.(type) {
		case *ast.Comment:
			fmt.Fprintf(&b, " %s", s.Text)
		case *ast.BadStmt:
			if s.Name != nil {
				fmt.Fprintf(&b, " %s %s@%s", s.Keyword, s.Name.Name, span(s.Name))
			}
		case *ast.GroupDecl:
			fmt.Fprintf(&b, " %s@%s %q facing=%v", s.Name.Name, span(s.Name), s.Description.Value, s.InternetFacing != nil)
		case *ast.NetworkDecl:
			fmt.Fprintf(&b, " %s", s.Name.Name)
			for _, a := range s.Addresses {
				fmt.Fprintf(&b, " %s@%s(host=%v)", a.Prefix, span(a), a.Host)
			}
			fmt.Fprintf(&b, " %q", s.Description.Value)
		case *ast.PrefixListDecl:
			fmt.Fprintf(&b, " %s %s", s.Name.Name, s.ID.Text)
			if s.MaxEntries != nil {
				fmt.Fprintf(&b, " max=%d", s.MaxEntries.Value)
			}
		case *ast.ExternalDecl:
			fmt.Fprintf(&b, " %s", s.Name.Name)
			if s.ID != nil {
				fmt.Fprintf(&b, " %s", s.ID.Text)
			}
		case *ast.ServiceDecl:
			fmt.Fprintf(&b, " %s", s.Name.Name)
			dumpPorts(&b, s.Ports)
		case *ast.Flow:
			fmt.Fprintf(&b, " %s@%s -> %s@%s", s.From.Name, span(s.From), s.To.Name, span(s.To))
			dumpPorts(&b, s.Ports)
			fmt.Fprintf(&b, " because %q@%s", s.Purpose.Value, span(s.Purpose))
			if s.Until != nil {
				fmt.Fprintf(&b, " until %s@%s", s.Until.Time.Format("2006-01-02"), span(s.Until))
			}
		}
		base := s.Base()
		for _, c := range base.Inner {
			fmt.Fprintf(&b, "\n    inner %s %s", span(c), c.Text)
		}
		if base.Trailing != nil {
			fmt.Fprintf(&b, "\n    trailing %s %s", span(base.Trailing), base.Trailing.Text)
		}
		b.WriteString("\n")
	}
	return b.String()
}

var kinds = map[ast.PortKind]string{ast.PortService: "service", ast.PortAll: "all", ast.PortRange: "range", ast.PortICMP: "icmp", ast.PortProtocol: "proto"}

func dumpPorts(b *strings.Builder, l *ast.PortList) {
	for _, t := range l.Terms {
		fmt.Fprintf(b, "\n    port %s %s", span(t), kinds[t.Kind])
		if t.Protocol != nil {
			fmt.Fprintf(b, " proto=%s@%s", t.Protocol.Name, span(t.Protocol))
		}
		if t.Name != nil {
			fmt.Fprintf(b, " name=%s@%s", t.Name.Name, span(t.Name))
		}
		if t.From != nil {
			fmt.Fprintf(b, " from=%d@%s", t.From.Value, span(t.From))
		}
		if t.To != nil {
			fmt.Fprintf(b, " to=%d@%s", t.To.Value, span(t.To))
		}
	}
}
