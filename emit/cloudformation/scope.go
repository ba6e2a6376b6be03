package cloudformation

import (
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
)

// scopeResource is the AWS::EC2::NetworkInsightsAccessScope of a never
// (see emit.AccessScope for what it can say). The never and its reason are
// in the metadata: tag values take too few characters for a reason.
func scopeResource(s emit.AccessScope, groupID func(*model.Group) any, inputID func(*model.External) any, listID func(*model.PrefixList) any) *object {
	paths := func(ps []emit.ScopePath) []any {
		var out []any
		for _, p := range ps {
			path := obj()
			if st := pathStatement(p.Source, true, groupID, inputID, listID); st != nil {
				path.set("Source", st)
			}
			if st := pathStatement(p.Destination, false, groupID, inputID, listID); st != nil {
				path.set("Destination", st)
			}
			out = append(out, path)
		}
		return out
	}
	props := obj().set("MatchPaths", paths(s.Match))
	if len(s.Exclude) > 0 {
		props.set("ExcludePaths", paths(s.Exclude))
	}
	n := s.Never
	never := n.From.String() + " -> " + n.To.String() + " " + portsOrAny(n.Ports)
	if len(n.Except) > 0 {
		never += " except " + strings.Join(n.Except, ", ")
	}
	meta := obj().set("never", inert(never)).set("reason", inert(n.Reason))
	if s.Unchecked != "" {
		meta.set("unchecked", inert(s.Unchecked))
	}
	props.set("Tags", []any{obj().set("Key", "Name").set("Value", "never-"+s.Key)})
	return obj().set("Type", "AWS::EC2::NetworkInsightsAccessScope").
		set("Metadata", obj().set("sgc", meta)).
		set("Properties", props)
}

func portsOrAny(ports []model.Port) string {
	if ports == nil {
		return "all"
	}
	return model.PortsString(ports)
}

// pathStatement renders one side: a resource statement (ids, or the
// internet gateway type: never both in one statement) and a packet header
// statement (addresses, prefix lists, protocols, ports).
func pathStatement(s emit.ScopeSide, source bool, groupID func(*model.Group) any, inputID func(*model.External) any, listID func(*model.PrefixList) any) *object {
	st := obj()
	switch {
	case s.InternetGateway:
		st.set("ResourceStatement", obj().set("ResourceTypes", []any{"AWS::EC2::InternetGateway"}))
	case s.Resources():
		var ids []any
		for _, g := range s.Groups {
			ids = append(ids, groupID(g))
		}
		for _, id := range s.IDs {
			ids = append(ids, id)
		}
		for _, e := range s.Inputs {
			ids = append(ids, inputID(e))
		}
		st.set("ResourceStatement", obj().set("Resources", ids))
	}
	header := obj()
	addrs, lists := "DestinationAddresses", "DestinationPrefixLists"
	if source {
		addrs, lists = "SourceAddresses", "SourcePrefixLists"
	}
	if len(s.Addresses) > 0 {
		header.set(addrs, anyList(s.Addresses))
	}
	if len(s.PrefixLists)+len(s.Managed) > 0 {
		ids := anyList(s.PrefixLists)
		for _, l := range s.Managed {
			ids = append(ids, listID(l))
		}
		header.set(lists, ids)
	}
	if len(s.Protocols) > 0 {
		header.set("Protocols", anyList(s.Protocols))
	}
	if len(s.Ports) > 0 {
		header.set("DestinationPorts", anyList(s.Ports))
	}
	if len(header.keys) > 0 {
		st.set("PacketHeaderStatement", header)
	}
	if len(st.keys) == 0 {
		return nil
	}
	return st
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
