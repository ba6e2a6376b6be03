package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

func where(f *model.Flow) string {
	return fmt.Sprintf("%s:%d", f.Range.Start.Filename, f.Range.Start.Line)
}

func purposes(fs []*model.Flow) string {
	var ps []string
	for _, f := range fs {
		ps = append(ps, fmt.Sprintf("%q (%s)", f.Purpose, where(f)))
	}
	return strings.Join(ps, ", ")
}

func flowLine(f *model.Flow) string {
	s := fmt.Sprintf("%s %s because %q", pair(f), model.PortsString(f.Ports), f.Purpose)
	if f.Temporary() {
		s += " until " + f.Until.Format("2006-01-02")
	}
	return s
}

// WriteText writes the diff for a terminal; color adds ANSI colours.
func (d Diff) WriteText(w io.Writer, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	var b strings.Builder
	if d.Environment != "" {
		fmt.Fprintf(&b, "%s: ", d.environmentTitle())
	}
	fmt.Fprintf(&b, "%s\n", d.Summary())
	if len(d.Widened) > 0 {
		b.WriteString("\n" + paint("1;31", "Widened access:") + "\n")
		for _, a := range d.Widened {
			note := ""
			if a.Note != "" {
				note = " (" + a.Note + ")"
			}
			fmt.Fprintf(&b, "  %s %s can now reach %s on %s%s\n    because %s\n", paint("31", "+"), a.Source, a.Dest, model.PortsString(a.Ports), note, purposes(a.Flows))
		}
	}
	if len(d.Narrowed) > 0 {
		b.WriteString("\n" + paint("1;32", "Narrowed access:") + "\n")
		for _, a := range d.Narrowed {
			fmt.Fprintf(&b, "  %s %s can no longer reach %s on %s\n    was %s\n", paint("32", "-"), a.Source, a.Dest, model.PortsString(a.Ports), purposes(a.Flows))
		}
	}
	if len(d.Flows) > 0 {
		b.WriteString("\nFlows:\n")
		for _, c := range d.Flows {
			switch c.Kind {
			case "added":
				fmt.Fprintf(&b, "  added    %s  [%s]\n", flowLine(c.New), where(c.New))
			case "removed":
				fmt.Fprintf(&b, "  removed  %s  [%s]\n", flowLine(c.Old), where(c.Old))
			default:
				fmt.Fprintf(&b, "  %-8s %s  [%s]\n", c.Kind, pair(c.New), where(c.New))
				for _, det := range c.Details {
					fmt.Fprintf(&b, "           %s\n", det)
				}
			}
		}
	}
	if len(d.Groups) > 0 {
		b.WriteString("\nGroups:\n")
		for _, g := range d.Groups {
			kind := g.Kind
			if kind == "replaced" {
				kind = paint("1;33", "REPLACED")
			}
			fmt.Fprintf(&b, "  %-8s %s: %s\n", kind, g.Name, g.Detail)
		}
	}
	if as := d.Approvals(); len(as) > 0 {
		b.WriteString("\nApprovals needed:\n")
		for _, a := range as {
			fmt.Fprintf(&b, "  @%s\n", a.Owner)
			for _, c := range a.Changes {
				fmt.Fprintf(&b, "    %s\n", c)
			}
		}
	}
	if len(d.Findings) > 0 {
		b.WriteString("\nNew findings:\n")
		for _, f := range d.Findings {
			fmt.Fprintf(&b, "  %s %s [%s]  %s\n", f.Severity, f.Message, f.Code, f.Where)
		}
	}
	for _, p := range d.Plans {
		fmt.Fprintf(&b, "\nPlan, %s: %s\n", p.Target, p.Counts())
		for _, step := range p.Steps() {
			for _, a := range step.Addrs {
				fmt.Fprintf(&b, "  %-8s %s\n", step.Kind, a)
			}
		}
		for _, warn := range p.Warnings {
			fmt.Fprintf(&b, "  %s %s\n", paint("1;33", "WARNING"), warn)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the diff as a pull-request comment: a summary line,
// widened access first, then narrowed access, replaced groups and flows.
func (d Diff) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	if d.Environment != "" {
		fmt.Fprintf(&b, "**sgc diff**, %s: %s\n", mdText(d.environmentTitle()), d.Summary())
	} else {
		fmt.Fprintf(&b, "**sgc diff**: %s\n", d.Summary())
	}
	if len(d.Widened) > 0 {
		b.WriteString("\n### Widened access\n\n| source | destination | ports | because |\n|---|---|---|---|\n")
		for _, a := range d.Widened {
			src := a.Source
			if a.Note != "" {
				src += " (" + a.Note + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdText(src), mdText(a.Dest), mdText(model.PortsString(a.Ports)), mdText(purposes(a.Flows)))
		}
	}
	if len(d.Narrowed) > 0 {
		b.WriteString("\n### Narrowed access\n\n| source | destination | ports | was |\n|---|---|---|---|\n")
		for _, a := range d.Narrowed {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdText(a.Source), mdText(a.Dest), mdText(model.PortsString(a.Ports)), mdText(purposes(a.Flows)))
		}
	}
	if len(d.Groups) > 0 {
		b.WriteString("\n### Groups\n\n")
		for _, g := range d.Groups {
			if g.Kind == "replaced" {
				fmt.Fprintf(&b, "- :warning: **%s is replaced**: %s\n", mdText(g.Name), mdText(g.Detail))
			} else {
				fmt.Fprintf(&b, "- %s %s: %s\n", g.Kind, mdText(g.Name), mdText(g.Detail))
			}
		}
	}
	if len(d.Flows) > 0 {
		b.WriteString("\n### Flows\n\n")
		for _, c := range d.Flows {
			switch c.Kind {
			case "added":
				fmt.Fprintf(&b, "- added %s (%s)\n", mdCode(flowLine(c.New)), mdText(where(c.New)))
			case "removed":
				fmt.Fprintf(&b, "- removed %s (%s)\n", mdCode(flowLine(c.Old)), mdText(where(c.Old)))
			default:
				fmt.Fprintf(&b, "- %s %s (%s): %s\n", c.Kind, mdCode(pair(c.New)), mdText(where(c.New)), mdText(strings.Join(c.Details, "; ")))
			}
		}
	}
	if as := d.Approvals(); len(as) > 0 {
		b.WriteString("\n### Approvals needed\n\n")
		for _, a := range as {
			fmt.Fprintf(&b, "- %s:", mdText("@"+a.Owner))
			for i, c := range a.Changes {
				if i > 0 {
					b.WriteString(";")
				}
				fmt.Fprintf(&b, " %s", mdCode(c))
			}
			b.WriteString("\n")
		}
	}
	if len(d.Findings) > 0 {
		b.WriteString("\n### New findings\n\n")
		for _, f := range d.Findings {
			fmt.Fprintf(&b, "- %s %s: %s (%s)\n", mdText(f.Severity), mdCode(f.Code), mdText(f.Message), mdText(f.Where))
		}
	}
	for _, p := range d.Plans {
		if p.Empty() && len(p.Warnings) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### Plan, %s: %s\n", mdText(p.Target), mdText(p.Counts()))
		if len(p.Warnings) > 0 {
			b.WriteString("\n")
		}
		for _, warn := range p.Warnings {
			fmt.Fprintf(&b, "- :warning: %s\n", mdText(warn))
		}
		b.WriteString("\n<details><summary>resources</summary>\n\n")
		for _, step := range p.Steps() {
			for _, a := range step.Addrs {
				fmt.Fprintf(&b, "- %s %s\n", step.Kind, mdCode(a))
			}
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonFlow struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Ports   string `json:"ports"`
	Purpose string `json:"purpose"`
	Until   string `json:"until,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

func toJSONFlow(f *model.Flow) *jsonFlow {
	if f == nil {
		return nil
	}
	j := &jsonFlow{From: f.From.Declared().Name, To: f.To.Declared().Name, Ports: model.PortsString(f.Ports),
		Purpose: f.Purpose, File: f.Range.Start.Filename, Line: f.Range.Start.Line}
	if f.Temporary() {
		j.Until = f.Until.Format("2006-01-02")
	}
	return j
}

// WriteJSON writes the diff for machines.
func (d Diff) WriteJSON(w io.Writer) error {
	type access struct {
		Source string      `json:"source"`
		Dest   string      `json:"destination"`
		Ports  string      `json:"ports"`
		Note   string      `json:"note,omitempty"`
		Flows  []*jsonFlow `json:"flows"`
	}
	type change struct {
		Kind    string    `json:"kind"`
		Old     *jsonFlow `json:"old,omitempty"`
		New     *jsonFlow `json:"new,omitempty"`
		Details []string  `json:"details,omitempty"`
	}
	conv := func(as []Access) []access {
		out := []access{}
		for _, a := range as {
			ja := access{Source: a.Source, Dest: a.Dest, Ports: model.PortsString(a.Ports), Note: a.Note}
			for _, f := range a.Flows {
				ja.Flows = append(ja.Flows, toJSONFlow(f))
			}
			out = append(out, ja)
		}
		return out
	}
	doc := struct {
		Env       string        `json:"environment,omitempty"`
		Summary   string        `json:"summary"`
		Widened   []access      `json:"widened"`
		Narrowed  []access      `json:"narrowed"`
		Flows     []change      `json:"flows"`
		Groups    []GroupChange `json:"groups"`
		Plans     []Plan        `json:"plans"`
		Findings  []Finding     `json:"new_findings"`
		Approvals []Approval    `json:"approvals"`
	}{Env: d.Environment, Summary: d.Summary(), Widened: conv(d.Widened), Narrowed: conv(d.Narrowed), Flows: []change{}, Groups: d.Groups, Plans: []Plan{}, Findings: d.Findings, Approvals: d.Approvals()}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	for _, p := range d.Plans {
		for _, s := range []*[]string{&p.Create, &p.Update, &p.Replace, &p.Destroy, &p.Warnings} {
			if *s == nil {
				*s = []string{}
			}
		}
		doc.Plans = append(doc.Plans, p)
	}
	if doc.Groups == nil {
		doc.Groups = []GroupChange{}
	}
	for _, c := range d.Flows {
		doc.Flows = append(doc.Flows, change{c.Kind, toJSONFlow(c.Old), toJSONFlow(c.New), c.Details})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// environmentTitle says which environments the diff compares: one
// environment of two versions, or two environments of one version (the
// promotion question: what the second allows that the first does not).
func (d Diff) environmentTitle() string {
	if a, b, ok := strings.Cut(d.Environment, ".."); ok {
		return fmt.Sprintf("from environment %s to %s (widened: what %s allows that %s does not; narrowed: the reverse)", a, b, b, a)
	}
	return "environment " + d.Environment
}
