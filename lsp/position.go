package lsp

import (
	"strings"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// position turns a byte offset of text into an LSP position: the line,
// and the UTF-16 code units before the offset on it.
func position(text string, offset int) Position {
	if offset > len(text) {
		offset = len(text)
	}
	if offset < 0 {
		offset = 0
	}
	start := strings.LastIndexByte(text[:offset], '\n') + 1
	line := strings.Count(text[:start], "\n")
	return Position{Line: line, Character: utf16Len(text[start:offset])}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// offset turns an LSP position into a byte offset of text, clamped to
// the line's end and the text's.
func offset(text string, p Position) int {
	off := 0
	for i := 0; i < p.Line; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			return len(text)
		}
		off += j + 1
	}
	units := 0
	for off < len(text) && text[off] != '\n' && units < p.Character {
		r, size := utf8.DecodeRuneInString(text[off:])
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		off += size
	}
	return off
}

// rangeOf turns a source range into an LSP range of text.
func rangeOf(text string, r source.Range) Range {
	end := r.End.Offset
	if end < r.Start.Offset {
		end = r.Start.Offset
	}
	return Range{Start: position(text, r.Start.Offset), End: position(text, end)}
}

var severities = map[diag.Severity]int{diag.Error: 1, diag.Warning: 2, diag.Info: 3}

// toDiagnostic writes a diagnostic as sgc check does, for the editor: the
// summary, then the detail and the suggestion.
func toDiagnostic(text string, d *diag.Diagnostic) Diagnostic {
	msg := d.Summary
	if d.Detail != "" {
		msg += "\n" + d.Detail
	}
	if d.Suggestion != "" {
		msg += "\n" + d.Suggestion
	}
	out := Diagnostic{Range: rangeOf(text, d.Subject), Severity: severities[d.Severity], Code: d.Code, Source: "sgc", Message: msg}
	if name, ok := didYouMean(d.Suggestion); ok {
		out.Data = &diagnosticData{Replace: name}
	}
	return out
}

// didYouMean reads the name of a `Did you mean "x"?` suggestion.
func didYouMean(s string) (string, bool) {
	const pre = `Did you mean "`
	i := strings.Index(s, pre)
	if i < 0 {
		return "", false
	}
	rest := s[i+len(pre):]
	j := strings.Index(rest, `"?`)
	if j <= 0 {
		return "", false
	}
	return rest[:j], true
}
