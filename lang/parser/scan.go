package parser

import (
	"strings"
	"unicode/utf8"
)

// scan splits src into tokens, whitespace included. It produces exactly
// what lexDef's rules would (a test checks this token for token), but
// without running a regular expression per token, which made lexing most
// of the parse time of large policies. Columns count bytes, as go/token's
// do, so that sub-token positions computed by byte offsets stay exact on
// lines with non-ASCII text.
func scan(src string) []token {
	s := newScanner(src, false)
	var toks []token
	for {
		t := s.next()
		toks = append(toks, t)
		if t.EOF() {
			return toks
		}
	}
}

// scanner yields the tokens of scan one at a time, so that a large file's
// tokens are never all held at once. One that skips whitespace yields the
// rest: the statement splitter wants only what is significant, and a
// statement's whitespace is scanned again (rawTokens) in the rare case that
// participle parses it.
type scanner struct {
	src       string // token values are slices of it
	i         int
	line, col int32
	skipSpace bool
}

func newScanner(src string, skipSpace bool) *scanner {
	return &scanner{src: src, line: 1, col: 1, skipSpace: skipSpace}
}

// next returns the next token, and EOF tokens once src is used up.
func (s *scanner) next() token {
	src, i := s.src, s.i
again:
	if i >= len(src) {
		s.i = i
		return token{Type: tokEOF, Offset: int32(i), Line: s.line, Column: s.col}
	}
	start := i
	typ := tokChar
	c := src[i]
	switch {
	case c == '#':
		if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
			i += j
		} else {
			i = len(src)
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
		if s.skipSpace {
			s.col += int32(i - start)
			goto again
		}
		typ = tokWhitespace
	default:
		_, size := utf8.DecodeRuneInString(src[i:])
		i += size
	}
	t := token{Type: typ, Value: src[start:i], Offset: int32(start), Line: s.line, Column: s.col}
	if typ == tokNewline {
		s.line, s.col = s.line+1, 1
	} else {
		s.col += int32(i - start)
	}
	s.i = i
	return t
}

// dashJoiner glues dashes written right after a word onto it. The Word
// rule cannot end in "-" without swallowing the "-" of "a->b", so "sg-" and
// "tcp/80-" lex as a word and a stray "-"; joined, they reach the decoders,
// which say what is wrong with them.
type dashJoiner struct {
	s         *scanner
	peeked    token
	hasPeeked bool
}

func (d *dashJoiner) get() token {
	if d.hasPeeked {
		d.hasPeeked = false
		return d.peeked
	}
	return d.s.next()
}

func (d *dashJoiner) next() token {
	t := d.get()
	if t.Type != tokWord {
		return t
	}
	for {
		n := d.get()
		if n.Type != tokChar || n.Value != "-" || int(t.Offset)+len(t.Value) != int(n.Offset) {
			d.peeked, d.hasPeeked = n, true
			return t
		}
		// The dash follows the word in the source, so the joined text
		// is a slice of it too.
		t.Value = d.s.src[t.Offset : int(t.Offset)+len(t.Value)+1]
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ':' || c == '/'
}

// scanWord scans [A-Za-z0-9_.:/]+(?:-+[A-Za-z0-9_.:/]+)* from i.
func scanWord(src string, i int) int {
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
func scanString(src string, i int) (tokType, int) {
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
			_, size := utf8.DecodeRuneInString(src[i+1:])
			i += 1 + size
		case c < utf8.RuneSelf: // most of a purpose: no rune to decode
			i++
		default:
			_, size := utf8.DecodeRuneInString(src[i:])
			i += size
		}
	}
	return tokBadString, i
}
