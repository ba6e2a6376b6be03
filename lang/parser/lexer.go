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
	tokComment    = symbol("Comment")
	tokString     = symbol("String")
	tokBadString  = symbol("BadString")
	tokArrow      = symbol("Arrow")
	tokComma      = symbol("Comma")
	tokWord       = symbol("Word")
	tokNewline    = symbol("Newline")
	tokWhitespace = symbol("Whitespace")
	tokChar       = symbol("Char")
	tokEOF        = tokType(lexer.EOF)
)

// tokType is a token's type, one of lexDef's symbols, in the width a
// token keeps it.
type tokType int32

func symbol(name string) tokType { return tokType(symbols[name]) }

// token is a token of an intent file: its type, its text (a slice of the
// file's text) and where it starts in its file, which the parser knows.
// It is half the size of participle's lexer.Token, which carries the
// file's name in every token: moving tokens about was a third of a large
// policy's parse. Offsets fit in 32 bits because ParseFile refuses larger
// files.
type token struct {
	Value                string
	Type                 tokType
	Offset, Line, Column int32
}

// EOF reports whether t ends the input.
func (t token) EOF() bool { return t.Type == tokEOF }

// lexerTokens converts tokens for participle, which parses the few
// statements the hand-written parser declines.
func lexerTokens(filename string, toks []token) []lexer.Token {
	out := make([]lexer.Token, len(toks))
	for i, t := range toks {
		out[i] = lexer.Token{Type: lexer.TokenType(t.Type), Value: t.Value, Pos: lexer.Position{
			Filename: filename, Offset: int(t.Offset), Line: int(t.Line), Column: int(t.Column)}}
	}
	return out
}

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
