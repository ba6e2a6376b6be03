package parser

import (
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// scan splits src into tokens. It produces exactly what lexDef's rules
// would (a test checks this token for token), but without running a
// regular expression per token, which made lexing most of the parse time
// of large policies. Columns count bytes, as go/token's do, so that
// sub-token positions computed by byte offsets stay exact on lines with
// non-ASCII text.
func scan(filename string, src []byte) []lexer.Token {
	s := newScanner(filename, src)
	var toks []lexer.Token
	for {
		t := s.next()
		toks = append(toks, t)
		if t.EOF() {
			return toks
		}
	}
}

// scanner yields the tokens of scan one at a time, so that a large file's
// tokens are never all held at once.
type scanner struct {
	src  []byte
	text string // src as a string, copied once; token values are slices of it
	i    int
	pos  lexer.Position
}

func newScanner(filename string, src []byte) *scanner {
	return &scanner{src: src, text: string(src), pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}
}

// next returns the next token, and EOF tokens once src is used up.
func (s *scanner) next() lexer.Token {
	src, i := s.src, s.i
	if i >= len(src) {
		return lexer.EOFToken(s.pos)
	}
	start := i
	typ := tokChar
	c := src[i]
	switch {
	case c == '#':
		for i < len(src) && src[i] != '\n' {
			i++
		}
		typ = tokComment
	case c == '"':
		typ, i = scanString(src, i)
	case c == '-' && i+1 < len(src) && src[i+1] == '>':
		typ, i = tokArrow, i+2
	case c == ',':
		typ, i = tokComma, i+1
	case isWordByte(c):
		i = scanWord(src, i)
		typ = tokWord
	case c == '\n':
		typ, i = tokNewline, i+1
	case c == ' ' || c == '\t' || c == '\r':
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
			i++
		}
		typ = tokWhitespace
	default:
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
	t := lexer.Token{Type: typ, Value: s.text[start:i], Pos: s.pos}
	if typ == tokNewline {
		s.pos.Line, s.pos.Column = s.pos.Line+1, 1
	} else {
		s.pos.Column += i - start
	}
	s.pos.Offset = i
	s.i = i
	return t
}

// dashJoiner glues dashes written right after a word onto it. The Word
// rule cannot end in "-" without swallowing the "-" of "a->b", so "sg-" and
// "tcp/80-" lex as a word and a stray "-"; joined, they reach the decoders,
// which say what is wrong with them.
type dashJoiner struct {
	s         *scanner
	peeked    lexer.Token
	hasPeeked bool
}

func (d *dashJoiner) get() lexer.Token {
	if d.hasPeeked {
		d.hasPeeked = false
		return d.peeked
	}
	return d.s.next()
}

func (d *dashJoiner) next() lexer.Token {
	t := d.get()
	if t.Type != tokWord {
		return t
	}
	for {
		n := d.get()
		if n.Type != tokChar || n.Value != "-" || t.Pos.Offset+len(t.Value) != n.Pos.Offset {
			d.peeked, d.hasPeeked = n, true
			return t
		}
		t.Value += "-"
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ':' || c == '/'
}

// scanWord scans [A-Za-z0-9_.:/]+(?:-+[A-Za-z0-9_.:/]+)* from i.
func scanWord(src []byte, i int) int {
	for i < len(src) && isWordByte(src[i]) {
		i++
	}
	for i < len(src) && src[i] == '-' {
		j := i
		for j < len(src) && src[j] == '-' {
			j++
		}
		if j == len(src) || !isWordByte(src[j]) {
			break // the dashes belong to what follows, such as "->"
		}
		for j < len(src) && isWordByte(src[j]) {
			j++
		}
		i = j
	}
	return i
}

// scanString scans "(?:\\.|[^"\\\n])*" and its unterminated variant from
// the opening quote at i.
func scanString(src []byte, i int) (lexer.TokenType, int) {
	i++
	for i < len(src) {
		switch c := src[i]; {
		case c == '"':
			return tokString, i + 1
		case c == '\n':
			return tokBadString, i
		case c == '\\':
			if i+1 >= len(src) || src[i+1] == '\n' {
				return tokBadString, i
			}
			_, size := utf8.DecodeRune(src[i+1:])
			i += 1 + size
		case c < utf8.RuneSelf: // most of a purpose: no rune to decode
			i++
		default:
			_, size := utf8.DecodeRune(src[i:])
			i += size
		}
	}
	return tokBadString, i
}
