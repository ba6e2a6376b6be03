package usage

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/compiler/lint"
)

// WriteJSON writes the report as one JSON document: the evidence the lint
// of unused flows reads back (sgc check --usage FILE).
func (r Report) WriteJSON(w io.Writer) error {
	type doc struct {
		From         *time.Time  `json:"from"`
		To           *time.Time  `json:"to"`
		UnusedFor    Duration    `json:"unused_for"`
		Partial      bool        `json:"partial"`
		Records      int         `json:"records"`
		NoData       int         `json:"no_data"`
		Malformed    int         `json:"malformed"`
		Unverifiable int         `json:"unverifiable"`
		Others       int         `json:"other_interfaces"`
		Flows        []FlowUsage `json:"flows"`
		Unused       []FlowUsage `json:"unused"`
		Narrow       []Narrowing `json:"narrow"`
		Unexplained  []Traffic   `json:"unexplained"`
		Rejected     []Traffic   `json:"rejected"`
	}
	d := doc{UnusedFor: r.UnusedFor, Partial: r.Partial, Records: r.Stats.Records, NoData: r.Stats.NoData, Malformed: r.Stats.Malformed,
		Unverifiable: r.Unverifiable, Others: r.Others, Flows: nonNil(r.Flows), Unused: nonNil(r.Unused), Narrow: nonNil(r.Narrow),
		Unexplained: nonNil(r.Unexplained), Rejected: nonNil(r.Rejected)}
	if !r.To.IsZero() {
		d.From, d.To = &r.From, &r.To
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // a flow's key is "a -> b tcp/443", as written
	return enc.Encode(d)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteText writes the report for a terminal, section by section.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	day := func(t *time.Time) string {
		if t == nil {
			return "never"
		}
		return t.Format("2006-01-02 15:04")
	}
	peers := func(ps []Peer) string {
		var parts []string
		for _, p := range ps {
			parts = append(parts, fmt.Sprintf("%s (%d)", p.Addr, p.Records))
		}
		return strings.Join(parts, ", ")
	}
	if r.To.IsZero() {
		fmt.Fprintf(&b, "usage: no record of the policy's interfaces in the logs read (%d records)\n", r.Stats.Records)
	} else {
		fmt.Fprintf(&b, "usage: %d records from %s to %s\n", r.Stats.Records, r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	}
	b.WriteString("\nFlows:\n")
	for _, f := range r.Flows {
		if f.Records == 0 {
			fmt.Fprintf(&b, "  %-50s no traffic  [%s]\n", f.Key, f.At)
			continue
		}
		fmt.Fprintf(&b, "  %-50s %d records, %d bytes, %s .. %s  [%s]\n", f.Key, f.Records, f.Bytes, day(f.First), day(f.Last), f.At)
		if len(f.TopPeers) > 0 {
			fmt.Fprintf(&b, "      top peers: %s\n", peers(f.TopPeers))
		}
	}
	if len(r.Unused) > 0 {
		days := time.Duration(r.UnusedFor) / (24 * time.Hour)
		if r.Partial {
			fmt.Fprintf(&b, "\nNo traffic in the %s the logs cover (less than the %dd asked: read more logs before removing):\n",
				span(r.To.Sub(r.From)), days)
		} else {
			fmt.Fprintf(&b, "\nNo traffic for %dd (removal candidates):\n", days)
		}
		for _, f := range r.Unused {
			fmt.Fprintf(&b, "  %s:  %s  because %q (last seen %s)\n", f.At, f.Key, f.Purpose, day(f.Last))
		}
	}
	if len(r.Narrow) > 0 {
		b.WriteString("\nNetworks wider than what talked:\n")
		for _, n := range r.Narrow {
			fmt.Fprintf(&b, "  %s:  %s: %s of %s seen; instead of the flow, write:\n", n.At, n.Network, strings.Join(n.Seen, ", "), strings.Join(n.Blocks, ", "))
			for _, l := range strings.Split(n.Edit, "\n") {
				fmt.Fprintf(&b, "      %s\n", l)
			}
		}
	}
	section := func(title string, ts []Traffic) {
		if len(ts) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		for _, t := range ts {
			fmt.Fprintf(&b, "  %s %s %s: %d records, %s .. %s; from/to %s\n", t.Group, t.Direction, t.Port, t.Records, day(t.First), day(t.Last), peers(t.TopPeers))
		}
	}
	section("Accepted, but no flow allows it (another group's rule, or drift):", r.Unexplained)
	section("Rejected, by destination and port:", r.Rejected)
	var notes []string
	if r.Stats.NoData > 0 {
		notes = append(notes, fmt.Sprintf("%d records without data", r.Stats.NoData))
	}
	if r.Stats.Malformed > 0 {
		notes = append(notes, fmt.Sprintf("%d lines that are not records (first: %s)", r.Stats.Malformed, r.Stats.FirstError))
	}
	if r.Unverifiable > 0 {
		notes = append(notes, fmt.Sprintf("%d records only a rule to a prefix list or an external group could allow (their members are not known)", r.Unverifiable))
	}
	if r.Others > 0 {
		notes = append(notes, fmt.Sprintf("%d records of interfaces without the policy's groups", r.Others))
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\nNot counted: %s\n", strings.Join(notes, "; "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func span(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.Round(time.Minute).String()
}

// Evidence reads the JSON WriteJSON wrote back as the lint's evidence of
// use (sgc check --usage FILE).
func Evidence(data []byte) (*lint.Usage, error) {
	var d struct {
		From  *time.Time `json:"from"`
		To    *time.Time `json:"to"`
		Flows *[]struct {
			Key  string     `json:"key"`
			Last *time.Time `json:"last_seen"`
		} `json:"flows"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("not the JSON of sgc usage --format json: %v", err)
	}
	if d.Flows == nil {
		return nil, fmt.Errorf("no flows in the document: is it the output of sgc usage --format json?")
	}
	u := &lint.Usage{LastSeen: map[string]time.Time{}}
	if d.From != nil && d.To != nil {
		u.From, u.To = *d.From, *d.To
	}
	for _, f := range *d.Flows {
		var last time.Time
		if f.Last != nil {
			last = *f.Last
		}
		u.LastSeen[f.Key] = last
	}
	return u, nil
}
