package importer

import (
	"strings"
	"unicode"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/lang/source"
)

// A draft is built as a syntax tree and printed by the formatter, never by
// joining strings: no text from an export (a name, a description, an id)
// can become anything but the one name, string or comment it was put in.

// file collects a draft's statements in sections, which the printer
// separates by blank lines.
type file struct {
	sections [][]ast.Stmt
}

func (f *file) section() { f.sections = append(f.sections, nil) }

func (f *file) add(s ast.Stmt) {
	if len(f.sections) == 0 {
		f.section()
	}
	f.sections[len(f.sections)-1] = append(f.sections[len(f.sections)-1], s)
}

// print lays the statements out one per line, sections apart, and formats
// them.
func (f *file) print(name string) []byte {
	out := &ast.File{Name: name}
	line := 1
	for _, sec := range f.sections {
		if len(sec) == 0 {
			continue
		}
		for _, s := range sec {
			b := s.Base()
			b.Pos = source.Pos{Filename: name, Line: line, Column: 1}
			b.EndPos = source.Pos{Filename: name, Line: line, Column: 2}
			out.Stmts = append(out.Stmts, s)
			line++
		}
		line++ // a blank line between sections
	}
	return format.File(out)
}

func ident(name string) *ast.Ident { return &ast.Ident{Name: name} }

// quoteEscapes escapes what ends or escapes a string literal (made once:
// a Replacer built for each string was a tenth of a large import).
var quoteEscapes = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// str is a string literal of the language holding v: its only escapes are
// \" and \\, and v never holds a line break (descriptions are cleaned
// first), so the literal is v between quotes.
func str(v string) *ast.String {
	raw := `"` + quoteEscapes.Replace(v) + `"`
	return &ast.String{Raw: raw, Value: v}
}

// comment is a one-line comment saying text; anything that could end the
// line or hide text on a terminal becomes a space.
func comment(text string) *ast.Comment {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, text)
	return &ast.Comment{Text: "# " + text}
}

func groupDecl(name, desc string) *ast.GroupDecl {
	return &ast.GroupDecl{Name: ident(name), Description: str(desc)}
}

func networkDecl(name string, cidrs []string, desc string) *ast.NetworkDecl {
	d := &ast.NetworkDecl{Name: ident(name), Description: str(desc)}
	for _, c := range cidrs {
		d.Addresses = append(d.Addresses, &ast.Address{Text: c})
	}
	return d
}

func prefixListDecl(name, id, desc string) *ast.PrefixListDecl {
	return &ast.PrefixListDecl{Name: ident(name), ID: &ast.Word{Text: id}, Description: str(desc)}
}

func externalDecl(name, id, desc string) *ast.ExternalDecl {
	d := &ast.ExternalDecl{Name: ident(name), Description: str(desc)}
	if id != "" {
		d.ID = &ast.Word{Text: id}
	}
	return d
}

func flowStmt(from, to string, ports []model.Port, purpose string) *ast.Flow {
	l := &ast.PortList{}
	for _, p := range ports {
		l.Terms = append(l.Terms, &ast.PortTerm{Text: p.String()})
	}
	return &ast.Flow{From: ident(from), To: ident(to), Ports: l, Purpose: str(purpose)}
}
