// Package hclfile reads the HCL files of a policy directory (sgc.hcl,
// *.adopt.hcl) and a deployment's tfvars file the one safe way: bounded in
// size and nesting before the HCL parser sees them, with HCL's diagnostics
// turned into sgc's, warnings kept.
package hclfile

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Parse parses src as an HCL configuration of literal values, refusing
// first a file over maxSize bytes and one that is not Literal: the HCL
// parser recurses once per level of nesting, so nesting without a bound
// would exhaust the stack (Go's fatal "stack overflow", which no recover
// catches), and expressions are code. Every problem is a diagnostic
// with code, at its position. The file is nil when it has errors.
func Parse(filename string, src []byte, code string, maxSize, maxDepth int) (*hcl.File, diag.List) {
	var diags diag.List
	start := source.Range{Start: source.Pos{Filename: filename, Line: 1, Column: 1}}
	if len(src) > maxSize {
		diags.Errorf(start, code, "%s is %d bytes; sgc reads at most %d", filename, len(src), maxSize)
		return nil, diags
	}
	if at, problem, ok := Literal(filename, src, maxDepth); !ok {
		diags.Errorf(Range(at), code, "%s", problem).
			WithDetail("sgc reads this file as data: literal strings, numbers, booleans, lists, objects and blocks, nested at most %d deep. It is refused before it is parsed.", maxDepth)
		return nil, diags
	}
	f, hd := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	diags = append(diags, Diagnostics(hd, code)...)
	if hd.HasErrors() {
		return nil, diags
	}
	return f, diags
}

// Diagnostics converts HCL's diagnostics to sgc's, each with code and the
// severity HCL gave it.
func Diagnostics(hd hcl.Diagnostics, code string) diag.List {
	var out diag.List
	for _, d := range hd {
		sev := diag.Error
		if d.Severity == hcl.DiagWarning {
			sev = diag.Warning
		}
		var r source.Range
		if d.Subject != nil {
			r = Range(*d.Subject)
		}
		summary := d.Summary
		if summary != "" {
			summary = strings.ToLower(summary[:1]) + summary[1:]
		}
		out = append(out, &diag.Diagnostic{Code: code, Severity: sev, Subject: r, Summary: summary, Detail: d.Detail})
	}
	return out
}

// Range converts an HCL range.
func Range(r hcl.Range) source.Range {
	return source.Range{
		Start: source.Pos{Filename: r.Filename, Offset: r.Start.Byte, Line: r.Start.Line, Column: r.Start.Column},
		End:   source.Pos{Filename: r.Filename, Offset: r.End.Byte, Line: r.End.Line, Column: r.End.Column},
	}
}

// Literal checks that src is data and nothing more, before it is parsed
// (the HCL parser and evaluator recurse once per level of nesting and per
// operator, and evaluate for expressions without a bound, so a 1 KB file
// can exhaust the stack or run for minutes). The files sgc reads as HCL
// (sgc.hcl, *.adopt.hcl, tfvars) hold literal values: strings, numbers,
// booleans, lists, objects and blocks. Literal returns the first token
// that is not data (an operator other than a minus sign on a number, an
// interpolation or template directive, a for expression) or that nests
// more than max levels deep, with a message; ok when there is none. The
// HCL lexer it reads tokens with is a state machine: linear, no recursion.
func Literal(filename string, src []byte, max int) (at hcl.Range, problem string, ok bool) {
	toks, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	depth := 0
	prev := hclsyntax.TokenNewline
	for i, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			if depth > max {
				return tok.Range, fmt.Sprintf("nested more than %d levels deep", max), false
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if depth > 0 {
				depth--
			}
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			return tok.Range, "a template (${ or %{) is not a literal value; write $${ for the characters themselves", false
		case hclsyntax.TokenMinus:
			// A negative number: a minus sign where a value starts, on a
			// number. Anything else is arithmetic.
			valueStarts := prev == hclsyntax.TokenEqual || prev == hclsyntax.TokenColon || prev == hclsyntax.TokenComma ||
				prev == hclsyntax.TokenOBrack || prev == hclsyntax.TokenOParen || prev == hclsyntax.TokenNewline
			if !valueStarts || i+1 >= len(toks) || toks[i+1].Type != hclsyntax.TokenNumberLit {
				return tok.Range, "an expression with operators is not a literal value", false
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent,
			hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
			hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq,
			hclsyntax.TokenQuestion, hclsyntax.TokenEllipsis, hclsyntax.TokenFatArrow, hclsyntax.TokenDot:
			return tok.Range, "an expression with operators is not a literal value", false
		case hclsyntax.TokenIdent:
			if (prev == hclsyntax.TokenOBrack || prev == hclsyntax.TokenOBrace) && string(tok.Bytes) == "for" {
				return tok.Range, "a for expression is not a literal value", false
			}
		}
		if tok.Type != hclsyntax.TokenComment {
			prev = tok.Type
		}
	}
	return hcl.Range{}, "", true
}

// Errorf is a convenience for readers: an error diagnostic at r.
func Errorf(r hcl.Range, code, format string, args ...any) *diag.Diagnostic {
	return &diag.Diagnostic{Code: code, Severity: diag.Error, Subject: Range(r), Summary: fmt.Sprintf(format, args...)}
}
