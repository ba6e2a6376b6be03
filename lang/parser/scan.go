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
	toks := make([]lexer.Token, 0, len(src)/4)
	pos := lexer.Position{Filename: filename, Line: 1, Column: 1}
	for i := 0; i < len(src); {
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
		toks = append(toks, lexer.Token{Type: typ, Value: string(src[start:i]), Pos: pos})
		if typ == tokNewline {
			pos.Line, pos.Column = pos.Line+1, 1
		} else {
			pos.Column += i - start
		}
		pos.Offset = i
	}
	return append(toks, lexer.EOFToken(pos))
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
		default:
			_, size := utf8.DecodeRune(src[i:])
			i += size
		}
	}
	return tokBadString, i
}
