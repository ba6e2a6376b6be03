package review

import (
	"bytes"
	"fmt"
	"html/template"
	"path/filepath"
	"strings"

	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/fsutil"
)

// report is the audit report's content, shared by its two formats.
type report struct {
	Date, Files                    string
	Title                          string // the report's title, its environment said
	Groups, Flows, Temporary, Rule int
	Mermaid                        string
	GroupDocs                      []groupDoc
	TemporaryFlows                 []flowRow
	Findings                       []findingRow
	Waivers                        []waiverRow
	Names                          []nameRow
}

// nameRow is what a name stands for in AWS: addresses, a prefix list id,
// a group id (or an input), so an auditor can check it.
type nameRow struct{ Name, Kind, Value, Description, Source string }

type groupDoc struct {
	Name, Description string
	InternetFacing    bool
	Inbound, Outbound []flowRow
}

type flowRow struct {
	Peer, Flow, Ports, Purpose, Until, Source string
}

type findingRow struct{ Severity, ID, Where, Summary string }

type waiverRow struct{ IDs, Flow, Reason, Until, Status, Source string }

func row(f *model.Flow, peer string) flowRow {
	r := flowRow{Peer: peer, Flow: pair(f), Ports: model.PortsString(f.Ports), Purpose: f.Purpose,
		Source: fmt.Sprintf("%s:%d", filepath.Base(f.Range.Start.Filename), f.Range.Start.Line)}
	if f.Temporary() {
		r.Until = f.Until.Format("2006-01-02")
	}
	return r
}

func buildReport(p *model.Program, res lint.Result) report {
	var files []string
	for _, f := range p.Files {
		files = append(files, filepath.Base(f))
	}
	r := report{Date: p.Now.Format("2006-01-02"), Files: strings.Join(files, ", "), Groups: len(p.Groups), Flows: len(p.Flows), Rule: len(p.Rules),
		Title: "Security group policy report"}
	if env := p.Environment; env != nil {
		r.Title += ", environment " + env.Name
	}
	r.Mermaid, _ = Mermaid(p, GraphOptions{})
	// One pass over the flows, indexed by group: asking Inbound and
	// Outbound per group would cost groups × flows.
	// A flow's row is made once, for both its ends' tables.
	in, out := map[string][]flowRow{}, map[string][]flowRow{}
	active := p.ActiveFlows()
	sortBySource(active)
	for _, f := range active {
		from, to := f.From.Declared().Name, f.To.Declared().Name
		fr := row(f, from)
		in[to] = append(in[to], fr)
		fr.Peer = to
		out[from] = append(out[from], fr)
	}
	for _, g := range p.Groups {
		r.GroupDocs = append(r.GroupDocs, groupDoc{Name: g.Name, Description: g.Description, InternetFacing: g.InternetFacing,
			Inbound: in[g.Name], Outbound: out[g.Name]})
	}
	at := func(d *model.Decl) string {
		return fmt.Sprintf("%s:%d", filepath.Base(d.Range.Start.Filename), d.Range.Start.Line)
	}
	for _, n := range p.Networks {
		if n.Predeclared {
			continue
		}
		var cidrs []string
		for _, c := range n.CIDRs {
			cidrs = append(cidrs, c.String())
		}
		r.Names = append(r.Names, nameRow{n.Name, "network", strings.Join(cidrs, ", "), n.Description, at(&n.Decl)})
	}
	for _, l := range p.PrefixLists {
		v := l.ID
		if l.MaxEntries > 0 {
			v += fmt.Sprintf(" (max %d entries)", l.MaxEntries)
		}
		r.Names = append(r.Names, nameRow{l.Name, "prefix list", v, l.Description, at(&l.Decl)})
	}
	for _, x := range p.Externals {
		v := x.ID
		if v == "" {
			v = "given at deploy time (an input)"
		}
		r.Names = append(r.Names, nameRow{x.Name, "external group", v, x.Description, at(&x.Decl)})
	}
	for _, f := range p.TemporaryFlows(0) {
		r.Temporary++
		fr := row(f, "")
		if f.Status == model.Expired {
			fr.Until += " (expired)"
		}
		r.TemporaryFlows = append(r.TemporaryFlows, fr)
	}
	for _, d := range res.Diags {
		r.Findings = append(r.Findings, findingRow{d.Severity.String(), d.Code,
			fmt.Sprintf("%s:%d", filepath.Base(d.Subject.Start.Filename), d.Subject.Start.Line), d.Summary})
	}
	used := map[string]bool{}
	for _, w := range res.Waived {
		used[w.Waiver.Range.String()+"|"+w.Finding.Code] = true
	}
	for _, f := range p.Flows {
		for _, w := range f.Waivers {
			status := "waives nothing"
			var waived []string
			for _, id := range w.IDs {
				if used[w.Range.String()+"|"+id] {
					waived = append(waived, id)
				}
			}
			switch {
			case w.Expired:
				status = "expired"
			case len(waived) > 0:
				status = "waives " + strings.Join(waived, ", ")
			}
			r.Waivers = append(r.Waivers, waiverRow{strings.Join(w.IDs, ", "), pair(f) + " " + model.PortsString(f.Ports), w.Reason,
				w.Until.Format("2006-01-02"), status, fmt.Sprintf("%s:%d", filepath.Base(w.Range.Start.Filename), w.Range.Start.Line)})
		}
	}
	return r
}

// cell is s as the text of a Markdown table cell.
// writeRow writes a table row of cells already escaped. (Not fmt: a large
// policy's document is 100,000 rows.)
func writeRow(b *strings.Builder, cells ...string) {
	for _, c := range cells {
		b.WriteString("| ")
		b.WriteString(c)
		b.WriteByte(' ')
	}
	b.WriteString("|\n")
}

func cell(s string) string {
	if s == "" {
		return "—"
	}
	return mdText(s)
}

// Markdown writes the audit report: every group with its inbound and
// outbound flows, their purposes, expiry and location; the temporary flows
// by date; the lint findings and the waivers with their reasons; and the
// diagram. It is the document for an auditor who asks that every firewall
// rule have a justification.
func Markdown(p *model.Program, res lint.Result) string {
	r := buildReport(p, res)
	var b strings.Builder
	// About what a flow's two rows and the diagram take (315 bytes a flow
	// at 50,000 flows), so that the text is not copied as it grows.
	b.Grow(64<<10 + len(r.Mermaid) + 320*r.Flows + 160*(len(r.Names)+len(r.Findings)+len(r.Waivers)))
	fmt.Fprintf(&b, "<!-- %s -->\n# %s\n\nPolicy files: %s. As of %s: %d groups, %d flows (%d temporary), %d AWS rules.\n",
		Notice, mdText(r.Title), mdText(r.Files), r.Date, r.Groups, r.Flows, r.Temporary, r.Rule)
	b.WriteString("\n## Diagram\n\n```mermaid\n" + r.Mermaid + "```\n\n## Groups\n")
	table := func(title, peer string, rows []flowRow) {
		fmt.Fprintf(&b, "\n%s:\n\n", title)
		if len(rows) == 0 {
			b.WriteString("none\n")
			return
		}
		fmt.Fprintf(&b, "| %s | ports | purpose | until | written at |\n|---|---|---|---|---|\n", peer)
		for _, fr := range rows {
			writeRow(&b, cell(fr.Peer), cell(fr.Ports), cell(fr.Purpose), cell(fr.Until), mdText(fr.Source))
		}
	}
	for _, g := range r.GroupDocs {
		facing := ""
		if g.InternetFacing {
			facing = " Internet-facing."
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s.%s\n", mdText(g.Name), mdText(g.Description), facing)
		table("Inbound", "from", g.Inbound)
		table("Outbound", "to", g.Outbound)
	}
	b.WriteString("\n## Names\n\n")
	if len(r.Names) == 0 {
		b.WriteString("none: the flows name groups and internet only\n")
	} else {
		b.WriteString("What each name the flows use stands for in AWS.\n\n| name | kind | stands for | description | written at |\n|---|---|---|---|---|\n")
		for _, n := range r.Names {
			writeRow(&b, cell(n.Name), n.Kind, cell(n.Value), cell(n.Description), mdText(n.Source))
		}
	}
	b.WriteString("\n## Guarantees\n\n")
	if len(p.Nevers) == 0 {
		b.WriteString("none: the policy states no access that must never be allowed\n")
	} else {
		b.WriteString("Access that must never be allowed, proved against every rule at build time, and handed to AWS as Network Access Analyzer scopes.\n\n")
		b.WriteString("| never | ports | except | reason | written at |\n|---|---|---|---|---|\n")
		for _, n := range p.Nevers {
			ports := "all"
			if n.Ports != nil {
				ports = model.PortsString(n.Ports)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(n.From.String()+" -> "+n.To.String()), cell(ports), cell(strings.Join(n.Except, ", ")),
				cell(n.Reason), mdText(fmt.Sprintf("%s:%d", filepath.Base(n.Range.Start.Filename), n.Range.Start.Line)))
		}
	}
	b.WriteString("\n## Temporary flows\n\n")
	if len(r.TemporaryFlows) == 0 {
		b.WriteString("none\n")
	} else {
		b.WriteString("| until | flow | ports | purpose | written at |\n|---|---|---|---|---|\n")
		for _, fr := range r.TemporaryFlows {
			writeRow(&b, cell(fr.Until), cell(fr.Flow), cell(fr.Ports), cell(fr.Purpose), mdText(fr.Source))
		}
	}
	b.WriteString("\n## Findings\n\n")
	if len(r.Findings) == 0 {
		b.WriteString("none\n")
	} else {
		b.WriteString("| severity | check | at | finding |\n|---|---|---|---|\n")
		for _, f := range r.Findings {
			writeRow(&b, f.Severity, f.ID, mdText(f.Where), cell(f.Summary))
		}
	}
	b.WriteString("\n## Waivers\n\n")
	if len(r.Waivers) == 0 {
		b.WriteString("none\n")
	} else {
		b.WriteString("| checks | flow | reason | until | status | written at |\n|---|---|---|---|---|---|\n")
		for _, w := range r.Waivers {
			writeRow(&b, cell(w.IDs), cell(w.Flow), cell(w.Reason), w.Until, cell(w.Status), mdText(w.Source))
		}
	}
	return b.String()
}

// Notice marks a report as generated, so that 'sgc doc -o' may later
// replace it and never a file a person wrote.
const Notice = fsutil.Marker + " doc. DO NOT EDIT."

var htmlReport = template.Must(template.New("report").Parse(`<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,pre{background:#f6f6f6}pre{padding:.5rem;overflow:auto}.none{color:#777}
</style></head><body>
<h1>{{.Title}}</h1>
<p>Policy files: {{.Files}}. As of {{.Date}}: {{.Groups}} groups, {{.Flows}} flows ({{.Temporary}} temporary), {{.Rule}} AWS rules.</p>
<h2>Diagram</h2><p>Mermaid source (paste into any Mermaid viewer):</p><pre class="mermaid">{{.Mermaid}}</pre>
<h2>Groups</h2>
{{range .GroupDocs}}<h3>{{.Name}}</h3><p>{{.Description}}.{{if .InternetFacing}} Internet-facing.{{end}}</p>
<h4>Inbound</h4>{{template "flows" .Inbound}}<h4>Outbound</h4>{{template "flows" .Outbound}}{{end}}
<h2>Names</h2>{{if .Names}}<table><tr><th>name</th><th>kind</th><th>stands for</th><th>description</th><th>written at</th></tr>
{{range .Names}}<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td>{{.Value}}</td><td>{{.Description}}</td><td>{{.Source}}</td></tr>
{{end}}</table>{{else}}<p class="none">none</p>{{end}}
<h2>Temporary flows</h2>{{if .TemporaryFlows}}<table><tr><th>until</th><th>flow</th><th>ports</th><th>purpose</th><th>written at</th></tr>
{{range .TemporaryFlows}}<tr><td>{{.Until}}</td><td>{{.Flow}}</td><td>{{.Ports}}</td><td>{{.Purpose}}</td><td>{{.Source}}</td></tr>
{{end}}</table>{{else}}<p class="none">none</p>{{end}}
<h2>Findings</h2>{{if .Findings}}<table><tr><th>severity</th><th>check</th><th>at</th><th>finding</th></tr>
{{range .Findings}}<tr><td>{{.Severity}}</td><td>{{.ID}}</td><td>{{.Where}}</td><td>{{.Summary}}</td></tr>
{{end}}</table>{{else}}<p class="none">none</p>{{end}}
<h2>Waivers</h2>{{if .Waivers}}<table><tr><th>checks</th><th>flow</th><th>reason</th><th>until</th><th>status</th><th>written at</th></tr>
{{range .Waivers}}<tr><td>{{.IDs}}</td><td>{{.Flow}}</td><td>{{.Reason}}</td><td>{{.Until}}</td><td>{{.Status}}</td><td>{{.Source}}</td></tr>
{{end}}</table>{{else}}<p class="none">none</p>{{end}}
</body></html>
{{define "flows"}}{{if .}}<table><tr><th>peer</th><th>ports</th><th>purpose</th><th>until</th><th>written at</th></tr>
{{range .}}<tr><td>{{.Peer}}</td><td>{{.Ports}}</td><td>{{.Purpose}}</td><td>{{.Until}}</td><td>{{.Source}}</td></tr>
{{end}}</table>{{else}}<p class="none">none</p>{{end}}{{end}}`))

// HTML writes the audit report as one self-contained page.
func HTML(p *model.Program, res lint.Result) (string, error) {
	var b bytes.Buffer
	// html/template drops comments, so the notice is written before it.
	b.WriteString("<!DOCTYPE html>\n<!-- " + Notice + " -->\n")
	err := htmlReport.Execute(&b, buildReport(p, res))
	return b.String(), err
}
