package parser

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// lexDef defines the tokens of intent files: participle takes its symbol
// table, and scan implements its rules by hand (a test holds the two to the
// same tokens). Addresses, ports, ids and dates are all
// Words: the shapes overlap ("3:4" is an ICMP type:code and could start an
// IPv6 address), so the grammar decides what a word must be by where it
// stands, and the parser decodes it there with a precise error. The last
// rule catches any other character so that lexing never fails and the parser
// reports the stray character at its position.
var lexDef = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `#[^\n]*`},
	{Name: "String", Pattern: `"(?:\\.|[^"\\\n])*"`},
	{Name: "BadString", Pattern: `"(?:\\.|[^"\\\n])*`},
	{Name: "Arrow", Pattern: `->`},
	{Name: "Comma", Pattern: `,`},
	{Name: "Word", Pattern: `[A-Za-z0-9_.:/]+(?:-+[A-Za-z0-9_.:/]+)*`},
	{Name: "Newline", Pattern: `\n`},
	{Name: "Whitespace", Pattern: `[ \t\r]+`},
	{Name: "Char", Pattern: `.`},
})

var (
	symbols       = lexDef.Symbols()
	tokComment    = symbols["Comment"]
	tokString     = symbols["String"]
	tokBadString  = symbols["BadString"]
	tokArrow      = symbols["Arrow"]
	tokComma      = symbols["Comma"]
	tokWord       = symbols["Word"]
	tokNewline    = symbols["Newline"]
	tokWhitespace = symbols["Whitespace"]
	tokChar       = symbols["Char"]
)

// sliceLexer replays the tokens of one statement to participle, ending with
// an EOF token placed right after the last one so that EndPos fields of the
// last node are exact.
type sliceLexer struct {
	toks []lexer.Token
	end  lexer.Position
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	if len(s.toks) == 0 {
		return lexer.EOFToken(s.end), nil
	}
	t := s.toks[0]
	s.toks = s.toks[1:]
	return t, nil
}
