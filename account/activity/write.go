package activity

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText writes the report for people: one finding a line, oldest
// first, then a summary.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s  %-17s %s (%s): %s", f.Time.UTC().Format(time.RFC3339), f.Kind, f.Group, f.GroupID, f.Call)
		if f.Rule != "" {
			fmt.Fprintf(&b, " %s", f.Rule)
		}
		if f.RuleID != "" {
			fmt.Fprintf(&b, " (%s)", f.RuleID)
		}
		fmt.Fprintf(&b, "\n    by %s", f.Principal)
		if f.SourceIP != "" {
			fmt.Fprintf(&b, " from %s", f.SourceIP)
		}
		if f.Detail != "" {
			fmt.Fprintf(&b, ": %s", f.Detail)
		}
		b.WriteString("\n")
	}
	counts := map[Kind]int{}
	for _, f := range r.Findings {
		counts[f.Kind]++
	}
	var parts []string
	for _, k := range []Kind{BrokeNever, OutsidePipeline, OpenedAndClosed, OpenToInternet, Failed} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	summary := "nothing to report"
	if len(parts) > 0 {
		summary = strings.Join(parts, ", ")
	}
	fmt.Fprintf(&b, "activity: %d security group call(s) on the policy's groups; %s", r.Events, summary)
	if r.Skipped > 0 {
		fmt.Fprintf(&b, "; %d record(s) could not be read", r.Skipped)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as JSON.
func (r Report) WriteJSON(w io.Writer) error {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Kinds lists the kinds of findings, with what each says, for SARIF's
// rules and the docs.
var Kinds = []struct {
	Kind Kind
	Says string
}{
	{BrokeNever, "a rule opened that breaks a never statement, for as long as it lasted"},
	{OutsidePipeline, "a change made by a principal that is not the pipeline's"},
	{OpenedAndClosed, "a rule opened and revoked again within the window"},
	{OpenToInternet, "a rule opened to 0.0.0.0/0 or ::/0"},
	{Failed, "a call AWS refused: it changed nothing"},
}
