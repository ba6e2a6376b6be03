// Package parser reads intent files into syntax trees.
//
// The language is line-oriented: a newline ends a statement unless the line
// ends with "," or "->", as Go ends statements at newlines. The parser splits
// a file into statements first and parses each one on its own with a
// participle grammar (the tags on the ast structs), so one malformed line
// yields one diagnostic and the rest of the file is still read; every
// syntax error in a file is reported, not just the first.
package parser

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

func build[T any]() *participle.Parser[T] {
	return participle.MustBuild[T](participle.Lexer(lexDef), participle.UseLookahead(2))
}

// The participle parsers are built on first use: the hand-written fast
// path (quickParse) reads well-formed statements without them, and
// building all nine cost a millisecond and half a megabyte of every
// process's start-up, which every command paid.
var (
	groupParser     = sync.OnceValue(build[ast.GroupDecl])
	networkParser   = sync.OnceValue(build[ast.NetworkDecl])
	prefixParser    = sync.OnceValue(build[ast.PrefixListDecl])
	externalParser  = sync.OnceValue(build[ast.ExternalDecl])
	serviceParser   = sync.OnceValue(build[ast.ServiceDecl])
	interfaceParser = sync.OnceValue(build[ast.InterfaceDecl])
	flowParser      = sync.OnceValue(build[ast.Flow])
	waiverParser    = sync.OnceValue(build[ast.Waiver])
	envParser       = sync.OnceValue(build[ast.EnvironmentDecl])
)

// participleOnly turns off quickParse, so that tests can compare the two.
var participleOnly = false

// directivePrefix starts a comment that sgc reads.
const directivePrefix = "sgc:"

// maxSource is the largest file ParseFile reads: tokens keep 32-bit
// offsets. limits.Policy, where sgc's commands stop, is far below it; a
// test lowers it.
var maxSource = math.MaxInt32

// ParseFile parses the intent file src, reported as filename. It always
// returns a File; statements that could not be parsed are BadStmts, and the
// diagnostics say why.
func ParseFile(filename string, src []byte) (*ast.File, diag.List) {
	src = StripBOM(src)
	p := &fileParser{file: &ast.File{Name: filename}, src: string(src)}
	if len(src) > maxSource {
		pos := source.Pos{Filename: filename, Line: 1, Column: 1}
		p.diags.Errorf(source.Range{Start: pos, End: pos}, FileTooLarge, "file is %d bytes; the parser reads at most %d", len(src), maxSource)
		return p.file, p.diags
	}
	p.checkUTF8(filename, src)
	p.split(&dashJoiner{s: newScanner(p.src, true)})
	return p.file, p.diags
}

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte("\xef\xbb\xbf")

// StripBOM returns src without a leading byte order mark, which is
// accepted and ignored, as Go does: positions count from after it.
func StripBOM(src []byte) []byte { return bytes.TrimPrefix(src, bom) }

type fileParser struct {
	file  *ast.File
	src   string // the file's text, which tokens' values are slices of
	diags diag.List
}

func (p *fileParser) checkUTF8(filename string, src []byte) {
	if utf8.Valid(src) { // nearly always: then nothing is counted
		return
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			pos := source.Pos{Filename: filename, Offset: i, Line: line, Column: col}
			p.diags.Errorf(source.Range{Start: pos, End: pos.Advance(1)}, InvalidCharacter,
				"invalid UTF-8 byte 0x%02x", src[i])
			return // one is enough: the rest of the file is likely binary
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += size
		}
		i += size
	}
}

// pending is a statement being gathered over one or more lines.
type pending struct {
	sig      []token // the statement's tokens, without whitespace and newlines
	comments []*ast.Comment
}

// split gathers tokens into statements and comment lines, and parses each.
func (p *fileParser) split(toks *dashJoiner) {
	var cur pending
	finish := func() {
		sig := cur.sig
		if len(sig) == 0 {
			return
		}
		stmt := p.parseStmt(sig)
		base := stmt.Base()
		// A comment on the statement's last line trails it; others were inside it.
		if n := len(cur.comments); n > 0 && cur.comments[n-1].Pos.Line == int(sig[len(sig)-1].Line) {
			base.Trailing = cur.comments[n-1]
			cur.comments = cur.comments[:n-1]
		}
		base.Inner = cur.comments
		p.file.Stmts = append(p.file.Stmts, stmt)
		// The token slice is reused: nothing parsed keeps it.
		cur = pending{sig: cur.sig[:0]}
	}
	for {
		t := toks.next()
		switch t.Type {
		case tokEOF:
			finish()
			p.attachWaivers()
			return
		case tokNewline:
			if sig := cur.sig; len(sig) > 0 {
				if last := sig[len(sig)-1].Type; last == tokComma || last == tokArrow {
					continue // the statement goes on on the next line
				}
			}
			finish()
		case tokComment:
			c := &ast.Comment{Text: strings.TrimRight(t.Value, " \t\r")}
			c.Pos = p.pos(t)
			c.EndPos = c.Pos.Advance(len(c.Text))
			isDirective := strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(c.Text, "#")), directivePrefix)
			switch {
			case len(cur.sig) == 0 && isDirective:
				p.file.Stmts = append(p.file.Stmts, p.directive(c))
			case len(cur.sig) == 0:
				p.file.Stmts = append(p.file.Stmts, c)
			case isDirective:
				p.diags.Errorf(c.Range(), InvalidWaiver, "a directive must stand on a line of its own").
					WithDetail("Write the waiver on the line before the flow it waives.")
				cur.comments = append(cur.comments, c)
			default:
				cur.comments = append(cur.comments, c)
			}
		default:
			cur.sig = append(cur.sig, t)
		}
	}
}

// attachWaivers gives each flow the waivers on the lines right before it.
// A waiver followed by anything but a flow (or another waiver) is an error.
func (p *fileParser) attachWaivers() {
	var pending []*ast.Waiver
	for _, s := range p.file.Stmts {
		switch s := s.(type) {
		case *ast.Waiver:
			if n := len(pending); n > 0 && s.Pos.Line != pending[n-1].Pos.Line+1 {
				p.strayWaivers(pending)
				pending = nil
			}
			pending = append(pending, s)
			continue
		case *ast.Flow:
			if n := len(pending); n > 0 && s.Pos.Line == pending[n-1].Pos.Line+1 {
				for _, w := range pending {
					if w.IDs != nil { // malformed ones were reported, and waive nothing
						s.Waivers = append(s.Waivers, w)
					}
				}
				pending = nil
			}
		case *ast.BadStmt:
			pending = nil // the statement's own error says enough
		}
		p.strayWaivers(pending)
		pending = nil
	}
	p.strayWaivers(pending)
}

func (p *fileParser) strayWaivers(ws []*ast.Waiver) {
	for _, w := range ws {
		if w.IDs != nil { // malformed ones were reported already
			p.diags.Errorf(w.Range(), InvalidWaiver, "waiver is not on the line before a flow").
				WithDetail("A waiver applies to the one flow on the line after it (further waivers may stand between).")
		}
	}
}

// directive parses a `# sgc:` comment. A malformed one is reported and kept
// as a Waiver without IDs, so the formatter still prints it.
func (p *fileParser) directive(c *ast.Comment) ast.Stmt {
	w := &ast.Waiver{Text: c.Text}
	w.Pos, w.EndPos = c.Pos, c.EndPos
	body := strings.TrimPrefix(c.Text, "#")
	offset := len(c.Text) - len(body)
	trimmed := strings.TrimLeft(body, " \t")
	offset += len(body) - len(trimmed)
	if !strings.HasPrefix(trimmed, directivePrefix+"waive") || (len(trimmed) > len("sgc:waive") && trimmed[len("sgc:waive")] != ' ' && trimmed[len("sgc:waive")] != '\t') {
		word := strings.Fields(trimmed)[0]
		start := c.Pos.Advance(offset)
		p.diags.Errorf(source.Range{Start: start, End: start.Advance(len(word))}, InvalidWaiver, "unknown directive %q", word).
			WithDetail("sgc reads one directive: # sgc:waive ID until YYYY-MM-DD because \"reason\".")
		return w
	}
	// Lex the comment's text at its own position, and parse it like a statement.
	start := c.Pos.Advance(offset)
	var raw []token
	for _, t := range scan(trimmed) {
		if t.EOF() {
			continue
		}
		t.Offset += int32(start.Offset)
		t.Line = int32(start.Line)
		t.Column += int32(start.Column - 1)
		raw = append(raw, t)
	}
	end := c.EndPos
	parsed, err := parseWith(waiverParser(), lexerTokens(p.file.Name, trimWhitespace(raw)), end)
	if err != nil {
		p.reportParseError(err, "sgc:waive", end)
		return w
	}
	pw := parsed.(*ast.Waiver)
	d := decoder{diags: &p.diags}
	for _, id := range pw.IDs {
		if !validName(id.Name) {
			d.errorf(id.Range(), InvalidWaiver, "invalid finding id %q", id.Name)
		}
	}
	if pw.Until != nil {
		d.date(pw.Until)
	}
	if pw.Reason != nil {
		d.str(pw.Reason)
	}
	switch {
	case d.failed:
		return w
	case pw.Reason == nil || strings.TrimSpace(pw.Reason.Value) == "":
		p.diags.Errorf(c.Range(), InvalidWaiver, "waiver without a reason").
			WithDetail("Every waiver says why the finding is acceptable: ... because \"reason\".")
		return w
	case pw.Until == nil:
		p.diags.Errorf(c.Range(), InvalidWaiver, "waiver without an end date").
			WithDetail("Every waiver ends: ... until YYYY-MM-DD because \"reason\". Renew it when it runs out if the reason still holds.")
		return w
	}
	pw.Text, pw.Pos, pw.EndPos = c.Text, c.Pos, c.EndPos
	return pw
}

func trimWhitespace(toks []token) []token {
	for len(toks) > 0 && toks[0].Type == tokWhitespace {
		toks = toks[1:]
	}
	for len(toks) > 0 && toks[len(toks)-1].Type == tokWhitespace {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// pos is where the token t of the file starts.
func (p *fileParser) pos(t token) source.Pos { return tokPos(p.file.Name, t) }

func tokPos(filename string, t token) source.Pos {
	return source.Pos{Filename: filename, Offset: int(t.Offset), Line: int(t.Line), Column: int(t.Column)}
}

func (p *fileParser) tokRange(t token) source.Range {
	start := p.pos(t)
	return source.Range{Start: start, End: start.Advance(len(t.Value))}
}

// rawTokens scans the statement whose significant tokens are sig again,
// whitespace included, as participle needs them to compute exact end
// positions; comments and newlines within it are left out, as the
// splitter leaves them out of the statement.
func (p *fileParser) rawTokens(sig []token) []lexer.Token {
	first, last := sig[0], sig[len(sig)-1]
	end := int(last.Offset) + len(last.Value)
	s := &scanner{src: p.src[:end], i: int(first.Offset), line: first.Line, col: first.Column}
	d := &dashJoiner{s: s}
	var raw []token
	for t := d.next(); !t.EOF(); t = d.next() {
		if t.Type != tokNewline && t.Type != tokComment {
			raw = append(raw, t)
		}
	}
	return lexerTokens(p.file.Name, raw)
}

// parseStmt parses one statement, whose significant tokens are sig.
func (p *fileParser) parseStmt(sig []token) ast.Stmt {
	last := sig[len(sig)-1]
	end := p.pos(last).Advance(len(last.Value))
	start := p.pos(sig[0])
	// The statement as a bad one, made only when it is one: nearly every
	// statement is not, and making one for each was 9 MB at 50,000 flows.
	bad := func() *ast.BadStmt {
		b := &ast.BadStmt{}
		b.Pos, b.EndPos = start, end
		return b
	}

	// Lexical problems first: they explain a failed parse better than the
	// grammar's "unexpected token" would.
	for _, t := range sig {
		switch t.Type {
		case tokBadString:
			p.diags.Errorf(p.tokRange(t), UnterminatedString, "string not terminated").
				WithDetail("Strings are written on one line, between double quotes.")
			return p.badDecl(bad(), sig, "")
		case tokChar:
			if t.Value == "\"" {
				continue // covered by BadString
			}
			d := p.diags.Errorf(p.tokRange(t), InvalidCharacter, "unexpected character %q", t.Value)
			switch {
			case t.Value == "*" && isNever(sig):
				d.WithSuggestion("Patterns are quoted: write \"*\" or \"*-prod\".")
			case t.Value == "'":
				d.WithSuggestion("Strings are written between double quotes: because \"...\".")
			case t.Value == "=":
				d.WithSuggestion("A flow's arrow is ->.")
			case t.Value == "-":
				d.WithSuggestion("A port range is written without spaces: tcp/8000-8099.")
			}
			return p.badDecl(bad(), sig, "")
		}
	}

	// A trailing `in ENV[, ENV...]` limits any statement to environments:
	// it is cut off here, so every statement's own grammar stays as it was,
	// and put back on the statement parsed.
	sig, in := p.cutIn(sig)
	if in != nil {
		last = sig[len(sig)-1]
		end = p.pos(last).Advance(len(last.Value))
	}
	stmt := p.parseBody(sig, end, bad)
	if in != nil {
		if _, ok := stmt.(*ast.BadStmt); !ok {
			base := stmt.Base()
			base.In = in
			base.EndPos = in[len(in)-1].EndPos
			d := decoder{diags: &p.diags}
			for _, id := range in {
				d.ident(id)
			}
			if d.failed {
				return p.badDecl(bad(), sig, "")
			}
		}
	}
	return stmt
}

// cutIn splits a trailing `in NAME[, NAME...]` off a statement's tokens:
// the last word "in" that follows something other than a comma and is
// followed only by a comma-separated list of words. No statement of the
// language ends that way otherwise ("in" is no port, and the lists a
// statement ends with follow a string or a keyword), so a name "in" used
// elsewhere is still a name.
func (p *fileParser) cutIn(sig []token) ([]token, []*ast.Ident) {
	for i := len(sig) - 2; i >= 1; i-- {
		t := sig[i]
		if t.Type != tokWord || t.Value != "in" {
			continue
		}
		if sig[i-1].Type == tokComma || sig[i-1].Type == tokArrow {
			return sig, nil
		}
		rest := sig[i+1:]
		if len(rest)%2 != 1 {
			return sig, nil
		}
		var ids []*ast.Ident
		for j, r := range rest {
			if j%2 == 1 {
				if r.Type != tokComma {
					return sig, nil
				}
				continue
			}
			if r.Type != tokWord {
				return sig, nil
			}
			rg := p.tokRange(r)
			id := &ast.Ident{Name: r.Value}
			id.Pos, id.EndPos = rg.Start, rg.End
			ids = append(ids, id)
		}
		return sig[:i], ids
	}
	return sig, nil
}

// parseBody parses a statement without its `in` clause.
func (p *fileParser) parseBody(sig []token, end source.Pos, bad func() *ast.BadStmt) ast.Stmt {
	var (
		stmt  ast.Stmt
		err   error
		parse func() (ast.Stmt, error)
	)
	raw := func() []lexer.Token { return p.rawTokens(sig) }
	first := sig[0]
	keyword := ""
	if first.Type == tokWord {
		keyword = first.Value
	}
	if isNever(sig) {
		n := p.parseNever(sig)
		if n == nil {
			return bad()
		}
		d := decoder{diags: &p.diags}
		d.stmt(n)
		if d.failed {
			return bad()
		}
		return n
	}
	switch keyword {
	case "environment":
		if len(sig) > 1 && sig[1].Type == tokArrow {
			// A flow from a group named "environment", as for "interface".
			parse = func() (ast.Stmt, error) { return parseWith(flowParser(), raw(), end) }
			break
		}
		parse = func() (ast.Stmt, error) { return parseWith(envParser(), raw(), end) }
	case "group":
		parse = func() (ast.Stmt, error) { return parseWith(groupParser(), raw(), end) }
	case "network":
		parse = func() (ast.Stmt, error) { return parseWith(networkParser(), raw(), end) }
	case "prefix-list":
		parse = func() (ast.Stmt, error) { return parseWith(prefixParser(), raw(), end) }
	case "external":
		parse = func() (ast.Stmt, error) { return parseWith(externalParser(), raw(), end) }
	case "service":
		parse = func() (ast.Stmt, error) { return parseWith(serviceParser(), raw(), end) }
	case "interface":
		if len(sig) > 1 && sig[1].Type == tokArrow {
			// A flow from a group named "interface", which a policy
			// written before the keyword may have: the word is a keyword
			// only where a declaration can begin.
			parse = func() (ast.Stmt, error) { return parseWith(flowParser(), raw(), end) }
			break
		}
		parse = func() (ast.Stmt, error) { return parseWith(interfaceParser(), raw(), end) }
	default:
		if len(sig) > 1 && sig[1].Type != tokArrow && first.Type == tokWord {
			// Not a flow: most likely a misspelled keyword.
			d := p.diags.Errorf(p.tokRange(first), SyntaxError, "unknown statement %q", first.Value).
				WithDetail("A statement is a declaration (%s), a flow (SOURCE -> DESTINATION PORTS because \"purpose\") or a guarantee (%s).",
					strings.Join(ast.Decls, ", "), neverForm)
			if first.Value == "because" {
				d.WithSuggestion("A statement ends at the end of its line (unless the line ends with \",\" or \"->\"): put because \"...\" on the flow's line.")
			}
			if s := diag.Suggest(first.Value, append(slices.Clone(ast.Decls), "never")); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
				keyword = s
			}
			// A declaration with a misspelled keyword still declares its
			// name: its uses are not reported again as unknown names.
			return p.badDecl(bad(), sig, keyword)
		}
		for i := 1; i < len(sig); i++ {
			if sig[i].Type == tokWord && sig[i].Value == "because" && sig[i-1].Type == tokComma {
				p.diags.Errorf(p.tokRange(sig[i-1]), SyntaxError, "port list ends with a comma").
					WithSuggestion("Remove the comma before \"because\".")
				return p.badDecl(bad(), sig, "")
			}
		}
		parse = func() (ast.Stmt, error) { return parseWith(flowParser(), raw(), end) }
	}
	if stmt = quickParse(p.file.Name, sig); stmt == nil || participleOnly {
		stmt, err = parse()
	}
	if err != nil {
		p.reportParseError(err, keyword, end)
		return p.badDecl(bad(), sig, "")
	}
	d := decoder{diags: &p.diags}
	d.stmt(stmt)
	if d.failed {
		return p.badDecl(bad(), sig, "")
	}
	return stmt
}

// badDecl fills in the keyword and name of a bad declaration when they can
// be read, so the compiler knows the name exists.
func (p *fileParser) badDecl(bad *ast.BadStmt, sig []token, keyword string) ast.Stmt {
	if len(sig) < 2 || sig[0].Type != tokWord || sig[1].Type != tokWord {
		return bad
	}
	if keyword == "" {
		keyword = sig[0].Value
	}
	for _, k := range ast.Decls {
		// An interface's name is in no namespace a flow looks in.
		if keyword == k && k != "interface" {
			bad.Keyword = k
			id := &ast.Ident{Name: sig[1].Value}
			r := p.tokRange(sig[1])
			id.Pos, id.EndPos = r.Start, r.End
			if validName(id.Name) {
				bad.Name = id
			}
		}
	}
	return bad
}

// parseWith runs one statement parser over the statement's tokens and
// requires that it consumes all of them.
func parseWith[T any, PT interface {
	*T
	ast.Stmt
}](parser *participle.Parser[T], raw []lexer.Token, end source.Pos) (ast.Stmt, error) {
	pl, err := lexer.Upgrade(&sliceLexer{toks: raw, end: lexer.Position(end)}, lexer.TokenType(tokWhitespace))
	if err != nil {
		return nil, err
	}
	v, err := parser.ParseFromLexer(pl)
	if err != nil {
		return nil, err
	}
	if t := pl.Peek(); !t.EOF() {
		return nil, &participle.UnexpectedTokenError{Unexpected: *t}
	}
	return PT(v), nil
}

// reportParseError turns participle's error into a diagnostic that names
// what was found and, where it can be told, what the statement needed.
func (p *fileParser) reportParseError(err error, keyword string, end source.Pos) {
	var (
		r     source.Range
		found string
	)
	switch e := err.(type) {
	case *participle.UnexpectedTokenError:
		t := e.Unexpected
		if t.EOF() {
			r = source.Range{Start: end, End: end.Advance(1)}
			found = "end of statement"
		} else {
			start := source.Pos(t.Pos)
			r = source.Range{Start: start, End: start.Advance(len(t.Value))}
			found = describe(tokType(t.Type), t.Value)
		}
	case participle.Error:
		start := source.Pos(e.Position())
		r = source.Range{Start: start, End: start.Advance(1)}
		found = e.Message()
	default:
		p.diags.Errorf(source.Range{Start: end, End: end}, SyntaxError, "%v", err)
		return
	}
	what, form := "flow", "SOURCE -> DESTINATION PORTS because \"purpose\" [until YYYY-MM-DD]"
	if f, ok := declForms[keyword]; ok {
		what, form = keyword+" declaration", f
		if keyword == "sgc:waive" {
			what = "waiver"
		}
	}
	d := p.diags.Errorf(r, SyntaxError, "unexpected %s in %s", found, what).
		WithDetail("The form is: %s", form)
	if t, ok := err.(*participle.UnexpectedTokenError); ok {
		switch {
		case tokType(t.Unexpected.Type) == tokWord && keyword == "group":
			if s := diag.Suggest(t.Unexpected.Value, []string{"internet-facing", "formerly"}); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			}
		case tokType(t.Unexpected.Type) == tokWord && what == "flow":
			if s := diag.Suggest(t.Unexpected.Value, []string{"because", "until"}); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			} else if startsPort(t.Unexpected.Value) {
				d.WithSuggestion("Ports are separated by commas: tcp/80, 443.")
			}
		case tokType(t.Unexpected.Type) == tokString && what == "flow":
			d.WithSuggestion("Write the keyword \"because\" before the purpose.")
		}
	}
}

var declForms = map[string]string{
	"sgc:waive":   `# sgc:waive ID[, ID...] until YYYY-MM-DD because "reason"`,
	"group":       `group NAME "description" [internet-facing] [load-balancer network] [formerly NAME[, NAME...]] [also-in VPC[, VPC...]] [owner TEAM]`,
	"network":     `network NAME CIDR[, CIDR...] "description"`,
	"prefix-list": `prefix-list NAME pl-... [max-entries N] "description"`,
	"external":    `external NAME [[ACCOUNT/]sg-...] "description" [account ACCOUNT] [via peering|transit-gateway]`,
	"service":     `service NAME PORTS`,
	"interface":   `interface NAME GROUP[, GROUP...] "description"`,
	"environment": `environment NAME "description" [account ACCOUNT] [region REGION]`,
}

func describe(typ tokType, value string) string {
	switch typ {
	case tokString:
		return "string " + value
	case tokComma:
		return `","`
	case tokArrow:
		return `"->"`
	}
	return fmt.Sprintf("%q", value)
}

// startsPort reports whether a word reads as a port term (443, tcp/443).
func startsPort(w string) bool {
	if w == "" {
		return false
	}
	if w[0] >= '0' && w[0] <= '9' {
		return true
	}
	for _, p := range []string{"tcp/", "udp/", "icmp/", "icmpv6/", "proto/"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}
