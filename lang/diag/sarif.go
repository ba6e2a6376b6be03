package diag

import (
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
)

// SARIFRule describes one rule (a check or an error code) for SARIF output.
type SARIFRule struct {
	ID       string
	Name     string
	Short    string   // one line
	Full     string   // the documentation
	HelpText string   // what to do, with examples
	HelpURI  string   // optional
	Level    Severity // the default severity
}

// SARIFTool names the tool that produced the findings.
type SARIFTool struct {
	Name, Version, InformationURI string
	Rules                         []SARIFRule
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// FprintSARIF writes the diagnostics as a SARIF 2.1.0 log with one run, so
// that code scanning (GitHub and others) shows each finding on its intent
// line. Every code used gets a rule; rules the tool describes come first.
func FprintSARIF(w io.Writer, l List, tool SARIFTool) error {
	type msg struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	type artifact struct {
		URI string `json:"uri"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           *region  `json:"region,omitempty"`
	}
	type location struct {
		PhysicalLocation physical `json:"physicalLocation"`
		Message          *msg     `json:"message,omitempty"`
	}
	type result struct {
		RuleID           string     `json:"ruleId"`
		RuleIndex        int        `json:"ruleIndex"`
		Level            string     `json:"level"`
		Message          msg        `json:"message"`
		Locations        []location `json:"locations"`
		RelatedLocations []location `json:"relatedLocations,omitempty"`
	}
	type config struct {
		Level string `json:"level"`
	}
	type rule struct {
		ID                   string `json:"id"`
		Name                 string `json:"name,omitempty"`
		ShortDescription     msg    `json:"shortDescription"`
		FullDescription      *msg   `json:"fullDescription,omitempty"`
		Help                 *msg   `json:"help,omitempty"`
		HelpURI              string `json:"helpUri,omitempty"`
		DefaultConfiguration config `json:"defaultConfiguration"`
	}
	type driver struct {
		Name           string `json:"name"`
		Version        string `json:"version,omitempty"`
		InformationURI string `json:"informationUri,omitempty"`
		Rules          []rule `json:"rules"`
	}
	type run struct {
		Tool struct {
			Driver driver `json:"driver"`
		} `json:"tool"`
		ColumnKind string   `json:"columnKind"`
		Results    []result `json:"results"`
	}
	type log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []run  `json:"runs"`
	}

	index := map[string]int{}
	var rules []rule
	for _, r := range tool.Rules {
		index[r.ID] = len(rules)
		ru := rule{ID: r.ID, Name: r.Name, ShortDescription: msg{Text: r.Short}, HelpURI: r.HelpURI,
			DefaultConfiguration: config{Level: sarifLevel(r.Level)}}
		if r.Full != "" {
			ru.FullDescription = &msg{Text: r.Full}
		}
		if r.HelpText != "" {
			ru.Help = &msg{Text: r.HelpText}
		}
		rules = append(rules, ru)
	}
	// Codes without a description (compiler errors) get a plain rule.
	var extra []string
	for _, d := range l {
		if _, ok := index[d.Code]; !ok {
			index[d.Code] = -1
			extra = append(extra, d.Code)
		}
	}
	sort.Strings(extra)
	for _, c := range extra {
		index[c] = len(rules)
		rules = append(rules, rule{ID: c, ShortDescription: msg{Text: c}, DefaultConfiguration: config{Level: "error"}})
	}

	toLoc := func(file string, startLine, startCol, endLine, endCol int, message string) location {
		l := location{PhysicalLocation: physical{ArtifactLocation: artifact{URI: filepath.ToSlash(file)}}}
		if startLine > 0 {
			rg := &region{StartLine: startLine, StartColumn: startCol}
			if endLine >= startLine && endCol > 0 {
				rg.EndLine, rg.EndColumn = endLine, endCol
			}
			l.PhysicalLocation.Region = rg
		}
		if message != "" {
			l.Message = &msg{Text: message}
		}
		return l
	}
	results := []result{}
	for _, d := range l {
		text := d.Summary
		for _, s := range []string{d.Detail, d.Suggestion} {
			if s != "" {
				text += "\n" + s
			}
		}
		res := result{RuleID: d.Code, RuleIndex: index[d.Code], Level: sarifLevel(d.Severity), Message: msg{Text: text}, Locations: []location{}}
		if d.Subject.Start.Filename != "" {
			s, e := d.Subject.Start, d.Subject.End
			res.Locations = append(res.Locations, toLoc(s.Filename, s.Line, s.Column, e.Line, e.Column, ""))
		}
		for _, r := range d.Related {
			s, e := r.Range.Start, r.Range.End
			res.RelatedLocations = append(res.RelatedLocations, toLoc(s.Filename, s.Line, s.Column, e.Line, e.Column, r.Message))
		}
		results = append(results, res)
	}
	var out log
	out.Schema = "https://json.schemastore.org/sarif-2.1.0.json"
	out.Version = "2.1.0"
	var rn run
	rn.Tool.Driver = driver{Name: tool.Name, Version: tool.Version, InformationURI: tool.InformationURI, Rules: rules}
	rn.ColumnKind = "unicodeCodePoints"
	rn.Results = results
	out.Runs = []run{rn}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
