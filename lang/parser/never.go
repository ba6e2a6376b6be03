package parser

import (
	"github.com/sgc-dev/sgc/lang/ast"
)

// isNever reports whether a statement is a never: the word "never" and
// then anything but the arrow of a flow from a group called never.
func isNever(sig []token) bool {
	return sig[0].Type == tokWord && sig[0].Value == "never" && (len(sig) < 2 || sig[1].Type != tokArrow)
}

// neverForm is the form a never statement's errors quote.
const neverForm = `never SOURCE -> DESTINATION [PORTS] [except NAME, ...] because "reason"`

// parseNever reads a never statement, reporting the first token that does
// not fit its form; nil when it did not parse.
func (p *fileParser) parseNever(sig []token) *ast.Never {
	q := quick{file: p.file.Name, toks: sig}
	s := &ast.Never{StmtBase: q.base()}
	fail := func(what string) *ast.Never {
		at := sig[len(sig)-1]
		found := "the end of the statement"
		if q.i < len(sig) {
			at, found = sig[q.i], describe(sig[q.i].Type, sig[q.i].Value)
		}
		r := p.tokRange(at)
		if q.i >= len(sig) {
			r.Start = r.End
		}
		p.diags.Errorf(r, SyntaxError, "never: expected %s, found %s", what, found).
			WithDetail("A never statement is: %s. SOURCE and DESTINATION are names or quoted patterns such as \"*-db-*\".", neverForm)
		return nil
	}
	q.keyword("never")
	if s.From = q.selector(); q.failed {
		return fail("a name or a quoted pattern")
	}
	if q.next(tokArrow); q.failed {
		return fail(`"->"`)
	}
	if s.To = q.selector(); q.failed {
		return fail("a name or a quoted pattern")
	}
	if q.is(tokWord, "") && !q.is(tokWord, "except") && !q.is(tokWord, "because") {
		s.Ports = q.ports()
	}
	if q.is(tokWord, "except") {
		q.i++
		s.Except = append(s.Except, q.ident())
		for !q.failed && q.is(tokComma, "") {
			q.i++
			s.Except = append(s.Except, q.ident())
		}
		if q.failed {
			return fail("a name after except")
		}
	}
	if q.keyword("because"); q.failed {
		return fail(`ports, "except" or "because"`)
	}
	if s.Reason = q.str(); q.failed {
		return fail("the reason, a quoted string")
	}
	if q.i != len(sig) {
		return fail("the end of the statement")
	}
	return s
}

// selector reads a name or a quoted pattern.
func (q *quick) selector() *ast.Selector {
	t, ok := q.peek()
	switch {
	case ok && t.Type == tokString:
		s := q.str()
		return &ast.Selector{Extent: s.Extent, Pattern: s}
	case ok && t.Type == tokWord:
		id := q.ident()
		return &ast.Selector{Extent: id.Extent, Name: id}
	}
	q.failed = true
	return nil
}
