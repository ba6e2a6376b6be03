package parser

import (
	"github.com/sgc-dev/sgc/lang/ast"
)

// quickParse reads a statement of the grammar by hand when its tokens have
// exactly one of the statement shapes, and returns nil otherwise. The
// participle grammar on the ast structs stays the definition of the
// language: every statement quickParse declines is parsed by participle,
// which reports the error, and a test (TestQuickParseAgrees, and the fuzz
// target FuzzQuickParse) holds the two to identical trees. The point is
// speed: participle matches by reflection, which made parsing most of the
// time of a large policy's check, and nearly every statement in a real
// policy is well formed.
//
// Positions follow participle's: a node starts at its first token and ends
// where its last token ends. sig holds the statement's significant tokens.
func quickParse(filename string, sig []token) ast.Stmt {
	q := quick{file: filename, toks: sig}
	var s ast.Stmt
	switch first := sig[0]; {
	case first.Type != tokWord:
		return nil
	case first.Value == "group":
		s = q.group()
	case first.Value == "network":
		s = q.network()
	case first.Value == "prefix-list":
		s = q.prefixList()
	case first.Value == "external":
		s = q.external()
	case first.Value == "service":
		s = q.service()
	case first.Value == "interface" && !(len(sig) > 1 && sig[1].Type == tokArrow):
		s = q.iface()
	default:
		s = q.flow()
	}
	if q.failed || q.i != len(q.toks) {
		return nil
	}
	return s
}

// quick is a cursor over a statement's tokens. Once a match fails, failed
// stays set and every further match fails too, so the statement methods
// read as the grammar does, without error checks at every step.
type quick struct {
	file   string
	toks   []token
	i      int
	failed bool
}

// peek returns the next token, or ok false at the end or after a failure.
func (q *quick) peek() (t token, ok bool) {
	if q.failed || q.i >= len(q.toks) {
		return token{}, false
	}
	return q.toks[q.i], true
}

// next consumes a token of type typ, and fails if the next one is not.
func (q *quick) next(typ tokType) token {
	t, ok := q.peek()
	if !ok || t.Type != typ {
		q.failed = true
		return token{}
	}
	q.i++
	return t
}

// is reports whether the next token is of type typ and, unless value is
// "", has that value; it consumes nothing.
func (q *quick) is(typ tokType, value string) bool {
	t, ok := q.peek()
	return ok && t.Type == typ && (value == "" || t.Value == value)
}

// keyword consumes the word kw, and fails if the next token is not it.
func (q *quick) keyword(kw string) {
	if !q.is(tokWord, kw) {
		q.failed = true
		return
	}
	q.i++
}

// extent is where the token t stands.
func (q *quick) extent(t token) ast.Extent {
	start := tokPos(q.file, t)
	return ast.Extent{Pos: start, EndPos: start.Advance(len(t.Value))}
}

func (q *quick) base() ast.StmtBase {
	first, last := q.toks[0], q.toks[len(q.toks)-1]
	return ast.StmtBase{Extent: ast.Extent{Pos: tokPos(q.file, first), EndPos: q.extent(last).EndPos}}
}

func (q *quick) ident() *ast.Ident {
	t := q.next(tokWord)
	return &ast.Ident{Extent: q.extent(t), Name: t.Value}
}

func (q *quick) word() *ast.Word {
	t := q.next(tokWord)
	return &ast.Word{Extent: q.extent(t), Text: t.Value}
}

func (q *quick) number() *ast.Number {
	t := q.next(tokWord)
	return &ast.Number{Extent: q.extent(t), Text: t.Value}
}

func (q *quick) date() *ast.Date {
	t := q.next(tokWord)
	return &ast.Date{Extent: q.extent(t), Text: t.Value}
}

func (q *quick) str() *ast.String {
	t := q.next(tokString)
	return &ast.String{Extent: q.extent(t), Raw: t.Value}
}

func (q *quick) address() *ast.Address {
	t := q.next(tokWord)
	return &ast.Address{Extent: q.extent(t), Text: t.Value}
}

func (q *quick) ports() *ast.PortList {
	l := &ast.PortList{}
	for {
		t := q.next(tokWord)
		l.Terms = append(l.Terms, &ast.PortTerm{Extent: q.extent(t), Text: t.Value})
		if !q.is(tokComma, "") {
			break
		}
		q.i++
	}
	l.Pos, l.EndPos = l.Terms[0].Pos, l.Terms[len(l.Terms)-1].EndPos
	return l
}

func (q *quick) group() ast.Stmt {
	s := &ast.GroupDecl{StmtBase: q.base()}
	q.keyword("group")
	s.Name = q.ident()
	s.Description = q.str()
	if q.is(tokWord, "internet-facing") {
		t := q.next(tokWord)
		s.InternetFacing = &ast.Keyword{Extent: q.extent(t), Name: t.Value}
	}
	if q.optional("load-balancer") {
		s.LoadBalancer = q.word()
	}
	if q.optional("formerly") {
		s.Formerly = list(q, q.ident)
	}
	if q.optional("also-in") {
		s.AlsoIn = list(q, q.word)
	}
	if q.optional("owner") {
		s.Owner = q.word()
	}
	return s
}

func (q *quick) network() ast.Stmt {
	s := &ast.NetworkDecl{StmtBase: q.base()}
	q.keyword("network")
	s.Name = q.ident()
	s.Addresses = list(q, q.address)
	s.Description = q.str()
	return s
}

func (q *quick) prefixList() ast.Stmt {
	s := &ast.PrefixListDecl{StmtBase: q.base()}
	q.keyword("prefix-list")
	s.Name = q.ident()
	s.ID = q.word()
	if q.optional("max-entries") {
		s.MaxEntries = q.number()
	}
	s.Description = q.str()
	return s
}

func (q *quick) external() ast.Stmt {
	s := &ast.ExternalDecl{StmtBase: q.base()}
	q.keyword("external")
	s.Name = q.ident()
	if q.is(tokWord, "") {
		s.ID = q.word()
	}
	s.Description = q.str()
	if q.optional("account") {
		s.Account = q.word()
	}
	if q.optional("via") {
		s.Via = q.word()
	}
	return s
}

func (q *quick) iface() ast.Stmt {
	s := &ast.InterfaceDecl{StmtBase: q.base()}
	q.keyword("interface")
	s.Name = q.ident()
	s.Groups = list(q, q.ident)
	s.Description = q.str()
	return s
}

func (q *quick) service() ast.Stmt {
	s := &ast.ServiceDecl{StmtBase: q.base()}
	q.keyword("service")
	s.Name = q.ident()
	s.Ports = q.ports()
	return s
}

func (q *quick) flow() ast.Stmt {
	s := &ast.Flow{StmtBase: q.base()}
	s.From = q.ident()
	q.next(tokArrow)
	s.To = q.ident()
	s.Ports = q.ports()
	q.keyword("because")
	s.Purpose = q.str()
	if q.is(tokWord, "until") {
		q.i++
		s.Until = q.date()
	}
	return s
}

// optional consumes the keyword kw when it comes next, and says so.
func (q *quick) optional(kw string) bool {
	if q.is(tokWord, kw) {
		q.i++
		return true
	}
	return false
}

// list reads ITEM (, ITEM)*.
func list[T any](q *quick, item func() T) []T {
	out := []T{item()}
	for q.is(tokComma, "") {
		q.i++
		out = append(out, item())
	}
	return out
}
