// Package source holds the positions and files that every stage of sgc
// shares: the parser stamps them on syntax nodes, the compiler copies them
// into the model, and diagnostics print them with an excerpt of the file.
package source

import (
	"bytes"
	"fmt"
)

// Pos is a position in an intent file. Its fields match participle's
// lexer.Position one for one, so the parser can fill Pos fields directly.
type Pos struct {
	Filename string // the file's name as the user gave it
	Offset   int    // byte offset, starting at 0
	Line     int    // line number, starting at 1
	Column   int    // column in bytes, starting at 1
}

// IsValid reports whether the position was set.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:col, the form editors jump to.
func (p Pos) String() string {
	if !p.IsValid() {
		return p.Filename
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// Advance returns the position n bytes further on the same line. Tokens
// never span lines, so sub-token positions (a port inside "tcp/80-90")
// are computed this way.
func (p Pos) Advance(n int) Pos {
	p.Offset += n
	p.Column += n
	return p
}

// Range is the half-open extent [Start, End) of a construct in one file.
type Range struct {
	Start Pos
	End   Pos
}

// String formats the range by its start.
func (r Range) String() string { return r.Start.String() }

// Span is a Range without its file's name: 24 bytes instead of 80, for
// the ranges of a statement's parts that a model keeps beside the
// statement's own Range, in its file (model.Flow).
type Span struct {
	StartOffset, StartLine, StartColumn int32
	EndOffset, EndLine, EndColumn       int32
}

// SpanOf returns r without its file's name. Offsets, lines and columns
// fit 32 bits: the parser reads no file over 2 GiB.
func SpanOf(r Range) Span {
	return Span{int32(r.Start.Offset), int32(r.Start.Line), int32(r.Start.Column),
		int32(r.End.Offset), int32(r.End.Line), int32(r.End.Column)}
}

// In returns the span as a Range in the file filename. The zero Span is
// the zero Range, as SpanOf(Range{}) is the zero Span.
func (s Span) In(filename string) Range {
	if s == (Span{}) {
		return Range{}
	}
	return Range{
		Start: Pos{Filename: filename, Offset: int(s.StartOffset), Line: int(s.StartLine), Column: int(s.StartColumn)},
		End:   Pos{Filename: filename, Offset: int(s.EndOffset), Line: int(s.EndLine), Column: int(s.EndColumn)},
	}
}

// Before orders ranges by file name, then offset, so that diagnostics
// from several files sort the way a reader expects.
func (r Range) Before(o Range) bool {
	if r.Start.Filename != o.Start.Filename {
		return r.Start.Filename < o.Start.Filename
	}
	if r.Start.Offset != o.Start.Offset {
		return r.Start.Offset < o.Start.Offset
	}
	return r.End.Offset < o.End.Offset
}

// File is the text of one intent file, kept so that diagnostics can quote it.
type File struct {
	Name string
	Src  []byte

	lines []int // offsets of line starts, computed on first use
}

// Line returns line n (1-based) without its line terminator, or "" when
// there is no such line.
func (f *File) Line(n int) string {
	if f == nil || n < 1 {
		return ""
	}
	if f.lines == nil {
		// Found by bytes.Count and bytes.IndexByte, which take the file
		// a word or more at a time: the first diagnostic in each file of
		// a large policy paid for a loop over every byte.
		f.lines = make([]int, 1, bytes.Count(f.Src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(f.Src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			f.lines = append(f.lines, i)
		}
	}
	if n > len(f.lines) {
		return ""
	}
	src := f.Src[f.lines[n-1]:]
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(bytes.TrimSuffix(src, []byte("\r")))
}

// Files maps file names to their text, for printing excerpts.
type Files map[string]*File

// Add records f under its name and returns it.
func (fs Files) Add(f *File) *File {
	fs[f.Name] = f
	return f
}
