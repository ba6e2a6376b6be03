// Command gen writes a synthetic policy, for benchmarks and experiments:
//
//	go run ./perf/gen -groups 5000 -flows 50000 -seed 1 -o /tmp/policy
//
// It is a development tool, not part of sgc's command line.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/load"
)

func main() {
	var cfg synth.Config
	out := flag.String("o", "", "output directory (required)")
	flag.IntVar(&cfg.Groups, "groups", 100, "number of groups")
	flag.IntVar(&cfg.Flows, "flows", 1000, "number of flows")
	flag.Int64Var(&cfg.Seed, "seed", 1, "random seed")
	flag.IntVar(&cfg.GroupsPerFile, "groups-per-file", 50, "groups per intent file (0: one file)")
	rules := flag.String("rules", "", "also write the compiled policy's groups and rules as JSON to this file: the neutral workload of the CDK comparison (perf/cdk)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -o DIR is required")
		os.Exit(2)
	}
	files := synth.Generate(cfg)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(*out, n), files[n], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if *rules != "" {
		if err := writeWorkload(*rules, files); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

// workload is a policy's groups and AWS rules, as a CDK app takes them:
// the same resources sgc emits, without the language.
type workload struct {
	Groups []wgroup `json:"groups"`
	Rules  []wrule  `json:"rules"`
}

type wgroup struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type wrule struct {
	Group       string `json:"group"`
	Egress      bool   `json:"egress"`
	Protocol    string `json:"protocol"`
	From        int    `json:"from"`
	To          int    `json:"to"`
	CIDR        string `json:"cidr,omitempty"`
	PrefixList  string `json:"prefixList,omitempty"`
	PeerGroup   string `json:"peerGroup,omitempty"`
	PeerID      string `json:"peerId,omitempty"`
	Description string `json:"description"`
}

func writeWorkload(path string, files map[string][]byte) error {
	p := load.FromSources(files, compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if p.Diags.HasErrors() {
		return fmt.Errorf("the generated policy has errors: %v", p.Diags.Err())
	}
	var w workload
	for _, g := range p.Program.Groups {
		w.Groups = append(w.Groups, wgroup{g.Name, g.Description})
	}
	for _, r := range p.Program.Rules {
		wr := wrule{Group: r.Group.Name, Egress: r.Direction == model.Egress, Protocol: string(r.Port.Protocol),
			From: r.Port.From, To: r.Port.To, Description: r.Flow.Purpose}
		switch r.Peer.Kind {
		case model.PeerCIDR:
			wr.CIDR = r.Peer.CIDR.String()
		case model.PeerPrefixList:
			wr.PrefixList = r.Peer.PrefixList.ID
		case model.PeerGroup:
			wr.PeerGroup = r.Peer.Group.Name
		case model.PeerExternal:
			wr.PeerID = r.Peer.External.ID
			if wr.PeerID == "" {
				wr.PeerID = "sg-0123456789abcdef0"
			}
		}
		w.Rules = append(w.Rules, wr)
	}
	data, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
