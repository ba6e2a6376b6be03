package importer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/account/tfstate"
)

// RemovedFile is the file of removed blocks a migration from Terraform
// writes beside the drafts, for the root module of the old configuration.
const RemovedFile = "removed.tf.example"

// removedHeader begins RemovedFile, so that a later import may replace it.
const removedHeader = "# Written by sgc import from a Terraform state"

// Migration is what taking groups over from a Terraform configuration
// adds to the drafts: the removed blocks that make the old configuration
// forget them without destroying them, and what the user must know
// before the plan.
type Migration struct {
	Files    []MigrationFile // written beside the drafts
	Warnings []string        // for the user, before any plan
}

// MigrationFile is one file a migration writes beside the drafts.
type MigrationFile struct {
	Name string
	Data []byte
	What string // what it is, for the user
	// Header is how the file begins when import wrote it: import replaces
	// only such a file (or any, with --force). A file with no header of
	// its own (a JSON template) is never replaced without --force.
	Header string
}

// Migrate compares the groups and rules state manages with the account
// (e) and the drafts made from it, and writes the removed blocks: a
// top-level module call that holds only security groups is forgotten
// whole (its block is then deleted); in a module that holds other
// resources too, each security group resource is forgotten, and the
// module's code must drop it, which is said.
func Migrate(s *tfstate.State, e *live.Export, drafts []Draft) *Migration {
	m := &Migration{}
	names := map[string]string{} // sg- id -> the draft's group name
	for _, d := range drafts {
		for _, g := range d.Adopt.Groups {
			names[g.ID] = g.Name
		}
	}
	liveRules := map[string]bool{}
	liveGroup := map[string]bool{}
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		liveGroup[g.GroupID] = true
		rules, _ := g.Rules()
		for _, r := range rules {
			liveRules[r.Identity()] = true
		}
	}
	managed := map[string]bool{}
	for _, r := range s.Resources {
		if r.GroupID != "" && !liveGroup[r.GroupID] {
			m.Warnings = append(m.Warnings, fmt.Sprintf("%s manages %s, which the account does not have (deleted since the state was refreshed?): nothing is drafted for it, and the old configuration forgets it", r.Address, r.GroupID))
			continue
		}
		for _, rule := range r.Rules {
			managed[rule.Identity()] = true
			if !liveRules[rule.Identity()] && !live.IsPlaceholder(rule) {
				m.Warnings = append(m.Warnings, fmt.Sprintf("%s manages %s %s %s, which AWS does not have (drift since the last refresh): the draft, made from the account, leaves it out", r.Address, rule.Direction, rule.Port, peerText(rule)))
			}
		}
	}
	taken := map[string]bool{}
	for _, id := range s.Groups() {
		taken[id] = true
	}
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		if !taken[g.GroupID] {
			continue
		}
		rules, _ := g.Rules()
		for _, r := range rules {
			if !managed[r.Identity()] && !live.IsPlaceholder(r) {
				m.Warnings = append(m.Warnings, fmt.Sprintf("group %s (%s) has %s %s %s in AWS, which the Terraform state does not manage (opened by hand?): drafted as a flow; keep it only if it is meant", orDefault(names[g.GroupID], g.GroupName), g.GroupID, r.Direction, r.Port, peerText(r)))
			}
		}
	}
	m.Files = append(m.Files, MigrationFile{Name: RemovedFile, Data: removedBlocks(s, names, &m.Warnings),
		What: "removed blocks for the root module of the old configuration", Header: removedHeader})
	return m
}

// removedBlocks writes RemovedFile.
func removedBlocks(s *tfstate.State, names map[string]string, warnings *[]string) []byte {
	var b strings.Builder
	b.WriteString(removedHeader + ".\n" +
		"#\n# removed blocks (Terraform >= 1.7) that make the configuration managing these\n" +
		"# security groups today forget them without destroying them, so that sgc's\n" +
		"# module imports them instead (imports.tf.example, written by sgc build).\n" +
		"# Copy this file into that root module as removed.tf, with imports.tf, delete\n" +
		"# the security group code named below, and plan: imports and forgets only.\n" +
		"# Delete both files once applied.\n")
	var refs []string
	for _, r := range s.Resources {
		if r.Type == tfstate.GroupType && names[r.GroupID] != "" {
			refs = append(refs, fmt.Sprintf("#   %s.id -> module.sg.security_group_ids[%s]", r.Address, strconv.Quote(names[r.GroupID])))
		}
	}
	if len(refs) > 0 {
		b.WriteString("#\n# What other code referenced becomes an output of sgc's module \"sg\":\n")
		b.WriteString(strings.Join(refs, "\n") + "\n")
	}
	var whole []string                // module calls forgotten whole
	inModule := map[string][]string{} // module call -> its resources forgotten one by one
	seen := map[string]bool{}
	var from []string
	for _, r := range s.Resources {
		at := r.Config
		if r.Module != "" && s.OtherResources[r.Module] == 0 {
			at = r.Module
			if !seen[at] {
				whole = append(whole, at)
			}
		} else if r.Module != "" && !seen[at] {
			inModule[r.Module] = append(inModule[r.Module], r.Config)
		}
		if !seen[at] {
			seen[at] = true
			from = append(from, at)
		}
	}
	sort.Strings(from)
	for _, at := range from {
		fmt.Fprintf(&b, "\nremoved {\n  from = %s\n\n  lifecycle {\n    destroy = false\n  }\n}\n", at)
	}
	for _, mod := range whole {
		*warnings = append(*warnings, fmt.Sprintf("%s holds only security groups: delete its module block; removed.tf forgets it whole", mod))
	}
	mods := make([]string, 0, len(inModule))
	for mod := range inModule {
		mods = append(mods, mod)
	}
	sort.Strings(mods)
	for _, mod := range mods {
		*warnings = append(*warnings, fmt.Sprintf("%s also manages %d other resources, so it stays: delete %s from its code (a module you can edit; a registry module cannot drop them: "+
			"call it without its security groups if it has such an input, or run terraform state rm for them instead of the removed blocks). "+
			"A removed block fails while the module still declares the resource",
			mod, s.OtherResources[mod], strings.Join(inModule[mod], ", ")))
	}
	return []byte(b.String())
}

// peerText names a live rule's peer for people.
func peerText(r live.Rule) string {
	switch r.PeerKind {
	case "sg":
		if r.PeerOwner != "" {
			return "group " + r.PeerOwner + "/" + r.Peer
		}
		return "group " + r.Peer
	case "pl":
		return "prefix list " + r.Peer
	}
	return r.Peer
}
