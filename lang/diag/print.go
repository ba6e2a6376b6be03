package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/lang/source"
)

// Fprint writes the diagnostics in the text form: a grep-able
// "file:line:col: severity: summary [code]" header, the source line with
// carets under the subject, then the detail, the suggestion and the related
// locations. The list is printed in the order given; call Sort first.
func Fprint(w io.Writer, files source.Files, l List) error {
	var b strings.Builder
	for _, d := range l {
		if d.Subject.Start.Filename == "" {
			// About the policy or the output as a whole, not a place in it.
			fmt.Fprintf(&b, "%s: %s [%s]\n", d.Severity, d.Summary, d.Code)
		} else {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", d.Subject, d.Severity, d.Summary, d.Code)
		}
		excerpt(&b, files, d.Subject)
		for _, text := range []string{d.Detail, d.Suggestion} {
			for _, line := range strings.Split(text, "\n") {
				if line != "" {
					fmt.Fprintf(&b, "  %s\n", line)
				}
			}
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  %s: %s\n", r.Range, r.Message)
		}
	}
	_, err := io.WriteString(w, visible(b.String()))
	return err
}

// visible replaces what a terminal would act on instead of showing it:
// control characters (escape sequences that recolour, retitle or rewrite
// the screen) and bidirectional overrides that reorder the text around
// them. Each becomes one U+FFFD, so carets stay under their columns.
func visible(s string) string {
	clean := true
	for _, r := range s {
		if hidden(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hidden(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func hidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// OneLine returns s as a terminal can show it on one line without acting
// on it: control characters, line breaks and tabs included, and
// bidirectional overrides become U+FFFD. Text from outside (an AWS
// response, an export, a tag) goes through it before a text report prints
// it, so that a group name cannot recolour the screen or add a line
// ("drift: no drift") to the report.
func OneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || hidden(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// excerpt prints the subject's first line with a gutter and a caret line.
// A subject that runs past its line is underlined to the end of the line.
func excerpt(b *strings.Builder, files source.Files, r source.Range) {
	f := files[r.Start.Filename]
	if f == nil || !r.Start.IsValid() {
		return
	}
	line := f.Line(r.Start.Line)
	if line == "" && r.Start.Column > 1 {
		return
	}
	startCol := clamp(r.Start.Column-1, 0, len(line))
	endCol := len(line)
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		endCol = clamp(r.End.Column-1, startCol, len(line))
	}
	// Keep tabs in the gutter under the line so carets stay aligned, and count
	// runes, not bytes, so non-ASCII text does not push the carets off.
	var pad strings.Builder
	for _, c := range line[:startCol] {
		if c == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	width := utf8.RuneCountInString(line[startCol:endCol])
	if width < 1 {
		width = 1
	}
	num := fmt.Sprintf("%5d", r.Start.Line)
	gutter := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "%s | %s\n", num, line)
	fmt.Fprintf(b, "%s | %s%s\n", gutter, pad.String(), strings.Repeat("^", width))
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// jsonPos is a position in the JSON form: line and column from 1.
type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

type jsonRange struct {
	File  string  `json:"file"`
	Start jsonPos `json:"start"`
	End   jsonPos `json:"end"`
}

type jsonRelated struct {
	Range   jsonRange `json:"range"`
	Message string    `json:"message"`
}

type jsonDiag struct {
	Code       string        `json:"code"`
	Severity   Severity      `json:"severity"`
	Summary    string        `json:"summary"`
	Detail     string        `json:"detail,omitempty"`
	Suggestion string        `json:"suggestion,omitempty"`
	Range      jsonRange     `json:"range"`
	Related    []jsonRelated `json:"related,omitempty"`
}

// JSONReport is the document written by FprintJSON.
type jsonReport struct {
	Diagnostics []jsonDiag `json:"diagnostics"`
	Errors      int        `json:"errors"`
	Warnings    int        `json:"warnings"`
	Infos       int        `json:"infos"`
}

func toJSONRange(r source.Range) jsonRange {
	return jsonRange{
		File:  r.Start.Filename,
		Start: jsonPos{r.Start.Line, r.Start.Column, r.Start.Offset},
		End:   jsonPos{r.End.Line, r.End.Column, r.End.Offset},
	}
}

// FprintJSON writes the diagnostics as one JSON document with counts, for
// editors and scripts. The list is written in the order given.
func FprintJSON(w io.Writer, l List) error {
	rep := jsonReport{Diagnostics: []jsonDiag{}, Errors: l.Count(Error), Warnings: l.Count(Warning), Infos: l.Count(Info)}
	for _, d := range l {
		jd := jsonDiag{Code: d.Code, Severity: d.Severity, Summary: d.Summary, Detail: d.Detail,
			Suggestion: d.Suggestion, Range: toJSONRange(d.Subject)}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{toJSONRange(r.Range), r.Message})
		}
		rep.Diagnostics = append(rep.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
