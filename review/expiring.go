package review

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Expiring is the report of temporary flows by end date, soonest first:
// for a weekly job, or a ticket.
type Expiring struct {
	now   time.Time
	env   string // the environment, of a policy with environments
	Flows []*model.Flow
}

// ExpiringFlows reports p's temporary flows; with a positive within, only
// those ending no later than p.Now+within (expired ones included).
func ExpiringFlows(p *model.Program, within time.Duration) Expiring {
	x := Expiring{now: p.Now, Flows: p.TemporaryFlows(within)}
	if p.Environment != nil {
		x.env = p.Environment.Name
	}
	return x
}

// daysLeft counts whole days from the report's day to f's end.
func (x Expiring) daysLeft(f *model.Flow) int { return int(f.Until.Sub(x.now).Hours() / 24) }

// left says when f ends, for people.
func (x Expiring) left(f *model.Flow) string {
	switch n := x.daysLeft(f); {
	case f.Status == model.Expired:
		return fmt.Sprintf("expired %d days ago", -n)
	case n == 1:
		return "tomorrow"
	default:
		return fmt.Sprintf("in %d days", n)
	}
}

// WriteText writes one aligned line per flow: date, when, flow, purpose,
// place.
func (x Expiring) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range x.Flows {
		fmt.Fprintf(tw, "%s\t%s\t%s -> %s %s\t%q\t%s\n", f.Until.Format("2006-01-02"), x.left(f),
			f.From.Declared().Name, f.To.Declared().Name, model.PortsString(f.Ports), f.Purpose, f.Range.Start)
	}
	return tw.Flush()
}

// WriteJSON writes the report for machines: a list of flows with until,
// days_left, status, from, to, ports, purpose, file and line.
func (x Expiring) WriteJSON(w io.Writer) error {
	type item struct {
		Until    string `json:"until"`
		DaysLeft int    `json:"days_left"`
		Status   string `json:"status"`
		From     string `json:"from"`
		To       string `json:"to"`
		Ports    string `json:"ports"`
		Purpose  string `json:"purpose"`
		File     string `json:"file"`
		Line     int    `json:"line"`
		Env      string `json:"environment,omitempty"`
	}
	out := []item{}
	for _, f := range x.Flows {
		out = append(out, item{f.Until.Format("2006-01-02"), x.daysLeft(f), f.Status.String(), f.From.Declared().Name,
			f.To.Declared().Name, model.PortsString(f.Ports), f.Purpose, f.Range.Start.Filename, f.Range.Start.Line, x.env})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
